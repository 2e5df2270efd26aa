import CByteScan
import Foundation

/// Reads `templates/strings/*.yaml`: one file per language, named by its code, each defining
/// every UI string. English comes first; the other languages follow by code.
enum LanguageLoader {
    static let folder = "templates/strings"

    /// The course's languages: those of `templates/strings/` that `quizdoc.yaml` keeps, in its
    /// order, with its title and description; and the settings. No language after an error.
    static func course(root: URL, bag: inout DiagnosticBag) -> (languages: [Language], settings: CourseSettings) {
        let available = load(root: root, bag: &bag)
        guard let settings = CourseSettings.load(root: root, bag: &bag) else { return ([], CourseSettings()) }
        var problems = DiagnosticBag()
        let languages = settings.apply(to: available, bag: &problems)
        bag.append(contentsOf: problems.diagnostics)
        return (problems.hasErrors ? [] : languages, settings)
    }

    static func load(root: URL, bag: inout DiagnosticBag) -> [Language] {
        let names = InputFile.list(folder, root: root, required: false, bag: &bag) ?? []
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
            guard isLanguageCode(code) else {
                bag.error(.file(path), "'\(code)' is not a language code; name the file like es.yaml or pt-br.yaml")
                continue
            }
            if let language = read(root: root, code: code, path: path, bag: &bag) {
                languages.append(language)
            }
        }
        return languages.sorted { ($0.isPrimary ? 0 : 1, $0.code) < ($1.isPrimary ? 0 : 1, $1.code) }
    }

    /// `^[a-z]{2,3}(-[a-z0-9]+)?$`, read over the bytes (an ICU regex costs more to compile
    /// than every other check of a build with nothing to do).
    static func isLanguageCode(_ code: String) -> Bool {
        let parts = code.utf8.split(separator: UInt8(ascii: "-"), maxSplits: 1, omittingEmptySubsequences: false)
        let lower = UInt8(ascii: "a")...UInt8(ascii: "z"), digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard (2...3).contains(parts[0].count), parts[0].allSatisfy(lower.contains) else { return false }
        return parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy { lower.contains($0) || digit.contains($0) })
    }

    /// UI strings go verbatim into every mirror (one inside an HTML comment, one inside
    /// `<summary>`), so they obey the content policy of quiz texts, and are one line of
    /// plain Markdown: nothing in them can open a block or break out of the answer.
    static func policyProblem(_ text: String) -> String? {
        if text.utf8.contains(UInt8(ascii: "\n")) { return "a UI string is one line; remove the line breaks" }
        if occurs("-->", in: text) { return "'-->' would end the mirror's HTML comment; reword it" }
        let rendered = Markdown.render(text)
        if let problem = rendered.problems.first { return problem.message }
        if !rendered.html.hasPrefix("<p>") || occurs("<p>", in: rendered.html, after: 3) {
            return "a UI string is one line of text, but this one reads as a heading, list, quote or code block in Markdown; reword its start"
        }
        return nil
    }

    /// Whether the bytes of `needle` occur in `text` past its first `after` bytes: a string's
    /// `contains` is Foundation's search here, which compares by Unicode equivalence (2.4 M
    /// instructions for the 276 looks a build makes), where the bytes are what a reader of
    /// the mirror or the page meets.
    private static func occurs(_ needle: StaticString, in text: String, after skipped: Int = 0) -> Bool {
        text.withUTF8Bytes { bytes in
            guard bytes.count > skipped, let base = bytes.baseAddress else { return false }
            let count = bytes.count - skipped
            return quizdoc_find(base + skipped, count, needle.utf8Start, needle.utf8CodeUnitCount) < count
        }
    }

    private static func read(root: URL, code: String, path: String, bag: inout DiagnosticBag) -> Language? {
        guard let data = InputFile.read(path, root: root, limit: Limits.fileBytes, bag: &bag) else { return nil }
        guard let node = YAMLDocument.compose(data, path: path, emptyMessage: "the strings file is empty; it defines every UI string", bag: &bag) else {
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
            guard let value = reader.require(fields, key.rawValue, in: node, what: "this strings file"),
                  let text = reader.string(value, what: "'\(key.rawValue)'") else { continue }
            if let problem = policyProblem(text) {
                reader.error(value, "'\(key.rawValue)': \(problem)")
            } else {
                strings[key] = text
            }
        }
        bag.append(contentsOf: reader.bag.diagnostics)
        return strings.count == UIString.allCases.count ? Language(code: code, strings: strings) : nil
    }
}
