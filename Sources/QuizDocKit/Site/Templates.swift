import Foundation
import Mustache

/// The site's Mustache templates (`templates/site/*.mustache`) and static assets
/// (`templates/assets/`), loaded once per run so the look can change without touching Swift.
struct Templates: Sendable {
    static let folder = "templates/site"
    static let assetsFolder = "templates/assets"
    static let required = ["layout", "index", "phase", "404"]

    let library: MustacheLibrary
    /// Asset files by path relative to `assets/`, sorted.
    let assets: [(path: String, contents: Data)]

    static func load(root: URL, bag: inout DiagnosticBag) -> Templates? {
        var library = MustacheLibrary()
        var ok = true
        for name in required {
            let path = "\(folder)/\(name).mustache"
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
                bag.error(.file(path), "the site template is missing; restore \(path)")
                ok = false
                continue
            }
            do {
                try library.register(String(decoding: data, as: UTF8.self), named: name)
            } catch let error as MustacheTemplate.ParserError {
                bag.error(SourceLocation(path: path, line: error.context.lineNumber, column: error.context.columnNumber),
                          "template syntax error: \(error.error)")
                ok = false
            } catch {
                bag.error(.file(path), "template syntax error: \(error)")
                ok = false
            }
        }
        let assetsURL = root.appendingPathComponent(assetsFolder)
        var assets: [(String, Data)] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: assetsURL.path)) ?? []).sorted()
        for name in names where !name.hasPrefix(".") {
            if let data = FileManager.default.contents(atPath: assetsURL.appendingPathComponent(name).path) {
                assets.append((name, data))
            }
        }
        return ok ? Templates(library: library, assets: assets) : nil
    }

    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }
}
