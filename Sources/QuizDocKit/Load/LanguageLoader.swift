import Foundation

/// Reads `templates/strings/*.yaml`: one file per language, named by its code, each defining
/// every UI string. English comes first; the other languages follow by code.
enum LanguageLoader {
    static let folder = "templates/strings"

    static func load(root: URL, bag: inout DiagnosticBag) -> [Language] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let files = names.filter { $0.hasSuffix(".yaml") }.sorted()
        guard files.contains("\(Language.primaryCode).yaml") else {
            bag.error(.file("\(folder)/\(Language.primaryCode).yaml"),
                      "the English UI strings are missing; restore \(folder)/\(Language.primaryCode).yaml")
            return []
        }
        var languages: [Language] = []
        for file in files {
            let path = "\(folder)/\(file)"
            let code = String(file.dropLast(".yaml".count))
            guard code.range(of: "^[a-z]{2,3}(-[a-z0-9]+)?$", options: .regularExpression) != nil else {
                bag.error(.file(path), "'\(code)' is not a language code; name the file like es.yaml or pt-br.yaml")
                continue
            }
            if let language = read(directory.appendingPathComponent(file), code: code, path: path, bag: &bag) {
                languages.append(language)
            }
        }
        return languages.sorted { ($0.isPrimary ? 0 : 1, $0.code) < ($1.isPrimary ? 0 : 1, $1.code) }
    }

    private static func read(_ url: URL, code: String, path: String, bag: inout DiagnosticBag) -> Language? {
        guard let data = try? Data(contentsOf: url) else {
            bag.error(.file(path), "cannot read the file; check its permissions")
            return nil
        }
        guard let node = YAMLDocument.compose(Array(data), path: path, emptyMessage: "the strings file is empty; it defines every UI string", bag: &bag) else {
            return nil
        }
        var reader = NodeReader(path: path)
        let keys = UIString.allCases.map(\.rawValue)
        guard let fields = reader.mapping(node, what: "a strings file", known: keys) else {
            bag.append(contentsOf: reader.bag.diagnostics)
            return nil
        }
        var strings: [UIString: String] = [:]
        for key in UIString.allCases {
            guard let value = reader.require(fields, key.rawValue, in: node, what: "this strings file") else { continue }
            strings[key] = reader.string(value, what: "'\(key.rawValue)'")
        }
        bag.append(contentsOf: reader.bag.diagnostics)
        return strings.count == UIString.allCases.count ? Language(code: code, strings: strings) : nil
    }
}
