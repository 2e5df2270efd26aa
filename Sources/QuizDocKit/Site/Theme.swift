import Foundation
import MustacheEngine

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
        let present = ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? [])
            .filter { $0.hasSuffix(".mustache") && !$0.hasPrefix(".") }
            .map { String($0.dropLast(".mustache".count)) }
        for name in Set(required + present).sorted() {
            let path = "\(folder)/\(name).mustache"
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
                bag.error(.file(path), "the site template is missing; restore \(path)")
                ok = false
                continue
            }
            do {
                library.register(try Template(String(decoding: data, as: UTF8.self)), named: name)
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
        let assetsURL = root.appendingPathComponent(assetsFolder)
        var assets: [(String, Data)] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: assetsURL.path)) ?? []).sorted()
        for name in names where !name.hasPrefix(".") {
            if let data = FileManager.default.contents(atPath: assetsURL.appendingPathComponent(name).path) {
                assets.append((name, data))
            }
        }
        return ok ? Theme(library: library, assets: assets) : nil
    }

    /// The named template filled with the values of `context`.
    func fill(_ template: String, _ context: [String: TemplateValue]) -> Data {
        Data(library.render(template, .object(context)))
    }
}
