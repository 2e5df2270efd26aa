import Foundation
import YAMLReader

/// The course's own settings, from an optional `quizdoc.yaml` at the project root:
///
/// ```yaml
/// title: {en: Inference engineering, es: Ingeniería de inferencia}
/// description: {en: "…", es: "…"}
/// base_url: https://example.org/course/
/// edit_url: https://github.com/org/course/edit/main/
/// languages: [en, es]   # their order in the language switcher
/// ```
///
/// Every key is optional; without the file everything works as before (the UI strings' site
/// title and intro, the languages of `templates/strings/` in their usual order). Command-line
/// flags override it.
/// Read like a quiz file: a mistake is an error at its line and column.
struct CourseSettings: Sendable, Equatable {
    static let path = "quizdoc.yaml"
    static let keys = ["title", "description", "base_url", "edit_url", "languages"]

    /// Per language code; a language without one keeps its UI strings' `site_title`.
    var titles: [String: String] = [:]
    var descriptions: [String: String] = [:]
    var baseURL: String?
    /// Prefix of a phase's "Edit this phase" link: `edit_url + data/quizzes/<file>.yaml`.
    var editURL: String?
    /// The order of the languages (English first): every language of `templates/strings/`, once.
    var languages: [String]?
    /// Where each language code, and each title and description, was written.
    var locations: [String: SourceLocation] = [:]

    /// The settings, or the defaults when there is no file; nil after an error (reported).
    static func load(root: URL, bag: inout DiagnosticBag) -> CourseSettings? {
        guard InputFile.kind(path, root: root) != .missing else { return CourseSettings() }
        guard let bytes = InputFile.read(path, root: root, limit: Limits.fileBytes, bag: &bag),
              let node = YAMLDocument.compose(bytes, path: path, emptyMessage: "quizdoc.yaml is empty; remove it or set one of \(keys.joined(separator: ", "))", bag: &bag)
        else { return nil }
        var reader = NodeReader(path: path)
        defer { bag.append(contentsOf: reader.bag.diagnostics) }
        guard let fields = reader.mapping(node, what: "quizdoc.yaml", known: keys) else { return nil }
        var settings = CourseSettings()
        if let node = fields["title"] { settings.titles = reader.perLanguage(node, what: "'title'", locations: &settings.locations) }
        if let node = fields["description"] {
            settings.descriptions = reader.perLanguage(node, what: "'description'", locations: &settings.locations)
        }
        for (key, keyPath) in [("base_url", \CourseSettings.baseURL), ("edit_url", \CourseSettings.editURL)] {
            guard let node = fields[key], let text = reader.string(node, what: "'\(key)'") else { continue }
            switch BaseURL.parse(text) {
            case .success(let url): settings[keyPath: keyPath] = url
            case .failure(let problem):
                reader.error(node, "'\(key)' must be an absolute http(s) URL with a host and no query or fragment, like https://example.org/course/; this one is not: \(problem)")
            }
        }
        if let node = fields["languages"] { settings.languages = reader.languageList(node, locations: &settings.locations) }
        return reader.bag.hasErrors ? nil : settings
    }

    /// The languages of `templates/strings/` in these settings' order, with the course's
    /// title and description in place of the UI strings' defaults. A listed language without
    /// strings, strings not listed, or a title for a language that has none, is an error.
    func apply(to available: [Language], bag: inout DiagnosticBag) -> [Language] {
        func location(_ key: String) -> SourceLocation { locations[key] ?? .file(Self.path) }
        var chosen = available
        if let languages {
            let known = Dictionary(available.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
            chosen = []
            for code in languages {
                if let language = known[code] {
                    chosen.append(language)
                } else {
                    bag.error(location("languages.\(code)"), "'languages' lists '\(code)', but templates/strings/\(code).yaml does not exist; the languages there are \(available.map(\.code).joined(separator: ", "))")
                }
            }
            for language in available where !languages.contains(language.code) {
                bag.error(location("languages"), "'languages' does not list '\(language.code)', which templates/strings/\(language.code).yaml defines; list every language once, or remove its strings file")
            }
        }
        let codes = Set(chosen.map(\.code))
        for (what, texts) in [("title", titles), ("description", descriptions)] {
            for code in texts.keys.sorted() where !codes.contains(code) {
                bag.error(location("\(what).\(code)"), "'\(what)' has a text in '\(code)', which is not one of the course's languages (\(available.map(\.code).joined(separator: ", ")))")
            }
        }
        return chosen.map { language in
            var strings = language.strings
            if let title = titles[language.code] { strings[.siteTitle] = title }
            if let description = descriptions[language.code] { strings[.siteIntro] = description }
            return Language(code: language.code, strings: strings)
        }
    }
}

extension NodeReader {
    /// `{en: …, es: …}`: one line of text per language code, each obeying the UI strings' policy.
    fileprivate mutating func perLanguage(_ node: YAMLNode, what: String, locations: inout [String: SourceLocation]) -> [String: String] {
        guard case .mapping(let pairs) = node.content else {
            error(node, "\(what) must be a mapping of language codes to texts, like {en: Course quizzes, es: Cuestionarios del curso}; found \(describe(node))")
            return [:]
        }
        var texts: [String: String] = [:]
        for pair in pairs {
            let (key, value) = (pair.key, pair.value)
            guard case .scalar(let code, _) = key.content, let text = string(value, what: "\(what) in '\(code)'") else { continue }
            locations["\(what.trimmingCharacters(in: ["'"])).\(code)"] = location(of: key)
            if let problem = LanguageLoader.policyProblem(text) {
                error(value, "\(what) in '\(code)': \(problem)")
            } else {
                texts[code] = text
            }
        }
        return texts
    }

    /// `[en, es]`: language codes, English first, each once.
    fileprivate mutating func languageList(_ node: YAMLNode, locations: inout [String: SourceLocation]) -> [String]? {
        locations["languages"] = location(of: node)
        guard case .sequence(let items) = node.content, !items.isEmpty else {
            error(node, "'languages' must be a list of language codes, like [en, es]; found \(describe(node))")
            return nil
        }
        var codes: [String] = []
        for item in items {
            guard let code = string(item, what: "a language code") else { continue }
            if codes.contains(code) {
                error(item, "'languages' lists '\(code)' twice")
            } else if codes.isEmpty, code != Language.primaryCode {
                error(item, "'languages' must start with '\(Language.primaryCode)': quiz texts are written in English first, and the site's root pages are English")
            } else {
                codes.append(code)
                locations["languages.\(code)"] = location(of: item)
            }
        }
        return codes
    }
}
