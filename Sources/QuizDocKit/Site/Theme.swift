import Foundation
import MustacheEngine
import TokenCodec

/// The site's theme: its Mustache templates (`templates/site/*.mustache`, compiled by
/// `MustacheEngine`) and static assets (`templates/assets/`), loaded once per run so the look
/// can change without touching Swift.
struct Theme: Sendable {
    static let folder = "templates/site"
    static let assetsFolder = "templates/assets"
    static let required = ["layout", "index", "phase", "404"]

    let library: TemplateLibrary
    /// Asset files by path relative to `assets/`, sorted.
    let assets: [(path: String, contents: Data)]

    static func load(root: URL, bag: inout DiagnosticBag) -> Theme? {
        var library = TemplateLibrary()
        var ok = true
        // The required templates, and any other `.mustache` file there as a partial or parent.
        let present = (InputFile.list(folder, root: root, required: false, bag: &bag) ?? [])
            .filter { $0.hasSuffix(".mustache") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(".mustache".count)) }
        for name in Set(required + present).sorted() {
            let path = "\(folder)/\(name).mustache"
            guard InputFile.kind(path, root: root) != .missing else {
                bag.error(.file(path), "the site template is missing; restore \(path)")
                ok = false
                continue
            }
            var problems = DiagnosticBag()
            guard let bytes = InputFile.read(path, root: root, limit: Limits.fileBytes, bag: &problems),
                  case .success(let text) = SourceText.decode(bytes, path: path).mapError({ problems.append(contentsOf: [$0]); return $0 })
            else {
                bag.append(contentsOf: problems.diagnostics)
                ok = false
                continue
            }
            do {
                library.register(try Template(text), named: name)
            } catch {
                bag.error(SourceLocation(path: path, line: error.line, column: error.column), "template syntax error: \(error.message)")
                ok = false
            }
        }
        for (template, problem) in library.problems() {
            let message = switch problem {
            case .missing(let name): "includes '\(name)', which is not a template; create \(folder)/\(name).mustache"
            case .cycle: "includes itself (through partials or parents); break the cycle"
            }
            bag.error(.file("\(folder)/\(template).mustache"), "the template \(message)")
            ok = false
        }
        var assets: [(String, Data)] = []
        var problems = DiagnosticBag()
        collectAssets("", root: root, depth: 0, into: &assets, bag: &problems)
        bag.append(contentsOf: problems.diagnostics)
        return ok && !problems.hasErrors ? Theme(library: library, assets: assets) : nil
    }

    /// The files of `templates/assets/` and its subfolders, each through the input gate, with
    /// names that are safe in a URL; hidden files are left out with a warning.
    private static func collectAssets(_ subfolder: String, root: URL, depth: Int, into assets: inout [(String, Data)],
                                      bag: inout DiagnosticBag) {
        let folder = subfolder.isEmpty ? assetsFolder : "\(assetsFolder)/\(subfolder)"
        for name in InputFile.list(folder, root: root, required: false, bag: &bag) ?? [] {
            let path = "\(folder)/\(name)"
            let relative = subfolder.isEmpty ? name : "\(subfolder)/\(name)"
            if name.hasPrefix(".") {
                bag.warning(.file(path), "hidden file left out of the site; rename it if the site needs it")
                continue
            }
            guard name.utf8.allSatisfy({ ASCII.isDigit($0) || ($0 | 0x20 >= UInt8(ascii: "a") && $0 | 0x20 <= UInt8(ascii: "z"))
                                         || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }) else {
                bag.error(.file(path), "asset names use only letters, digits, '-', '_' and '.'; rename it")
                continue
            }
            if InputFile.kind(path, root: root) == .folder {
                guard depth < Limits.assetDepth else {
                    bag.error(.file(path), "assets are nested more than \(Limits.assetDepth) folders deep")
                    continue
                }
                collectAssets(relative, root: root, depth: depth + 1, into: &assets, bag: &bag)
                continue
            }
            guard assets.count < Limits.assetFiles else {
                bag.error(.file(path), "the theme has more than \(Limits.assetFiles) asset files")
                return
            }
            if let bytes = InputFile.read(path, root: root, limit: Limits.assetBytes, bag: &bag) {
                assets.append((relative, Data(bytes)))
            }
        }
    }

    /// The named template filled with the values of `context`, in room made for about
    /// `capacity` bytes.
    func fill(_ template: String, _ context: TemplateObject, capacity: Int = 0) -> [UInt8] {
        library.render(template, .object(context), capacity: capacity)
    }

    /// `fill`, with the layout of `list` and what it takes from the last render.
    func fill(_ template: String, _ context: TemplateObject, capacity: Int = 0, list: ListReuse?) -> ListRender {
        library.render(template, .object(context), capacity: capacity, list: list)
    }
}
