import Foundation

/// `quizdoc new`: skeletons an author fills in, which `quizdoc build` accepts as they are
/// (every translation an empty placeholder, counted as missing). Never overwrites a file.
public enum Scaffold {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static let schemaLine = "# yaml-language-server: $schema=../../\(QuizSchema.path)\n"

    /// A new phase file with one free question; returns its path.
    public static func phase(root: URL, number: Int, slug: String, title: String, translations: [String: String]) throws(Failure) -> String {
        let digits = number < 10 ? "0\(number)" : String(number)
        let fileName = "phase-\(digits)-\(slug).yaml"
        guard QuizFileName(fileName) != nil else {
            throw Failure(description: "'\(fileName)' is not a quiz file name: the slug is lowercase letters, digits and hyphens, the phase 0 to 99999")
        }
        let folder = root.appendingPathComponent(ProjectLayout.quizzes)
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        if let other = existing.first(where: { QuizFileName($0)?.phase == number }) {
            throw Failure(description: "phase \(number) already has a quiz file, \(ProjectLayout.quizzes)/\(other)")
        }
        let languages = codes(root: root)
        var yaml = schemaLine + "schema: 1\nphase: \(number)\ntitle:\n"
        for code in languages { yaml += "  \(code): \(quoted(code == Language.primaryCode ? title : translations[code] ?? ""))\n" }
        yaml += "questions:\n" + question(id: "q-\(digits)-01", kind: .free, languages: languages)
        try write(yaml, to: folder.appendingPathComponent(fileName), creatingFolder: true)
        return "\(ProjectLayout.quizzes)/\(fileName)"
    }

    /// Appends a question with the next free id to the phase's file; returns its id.
    public static func question(root: URL, phase: Int, kind: Question.Kind) throws(Failure) -> String {
        let folder = root.appendingPathComponent(ProjectLayout.quizzes)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard let fileName = names.sorted().first(where: { QuizFileName($0)?.phase == phase }), let name = QuizFileName(fileName) else {
            throw Failure(description: "phase \(phase) has no quiz file; create it with `quizdoc new phase \(phase) --slug … --title …`")
        }
        let url = folder.appendingPathComponent(fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw Failure(description: "cannot read \(fileName)") }
        let prefix = "q-\(name.phaseDigits)-"
        let numbers = text.split(separator: "\n").compactMap { line -> Int? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("- id: \(prefix)") || trimmed.hasPrefix("id: \(prefix)") else { return nil }
            return Int(trimmed.split(separator: "-").last ?? "")
        }
        // Appending works only when the questions list ends the file.
        let lastTopKey = text.split(separator: "\n").last { !$0.hasPrefix(" ") && !$0.hasPrefix("#") && $0.contains(":") }
        guard lastTopKey?.hasPrefix("questions:") == true else {
            throw Failure(description: "\(fileName) does not end with its questions list; add the question by hand")
        }
        let next = (numbers.max() ?? 0) + 1
        let id = prefix + (next < 10 ? "0\(next)" : String(next))
        let updated = (text.hasSuffix("\n") ? text : text + "\n") + question(id: id, kind: kind, languages: codes(root: root))
        try write(updated, to: url, creatingFolder: false, replacing: true)
        return id
    }

    private static func question(id: String, kind: Question.Kind, languages: [String]) -> String {
        func text(_ key: String, _ english: String, indent: String = "    ") -> String {
            "\(indent)\(key):\n" + languages.map { "\(indent)  \($0): \(quoted($0 == Language.primaryCode ? english : ""))\n" }.joined()
        }
        var yaml = "  - id: \(id)\n    kind: \(kind.rawValue)\n"
        yaml += text("title", "TODO: a short title")
        yaml += text("prompt", "TODO: the question")
        if kind.hasChoices {
            yaml += "    choices:\n"
            for number in 1...3 {
                yaml += "      - " + languages.map { "\($0): \(quoted($0 == Language.primaryCode ? "TODO: choice \(number)" : ""))" }
                    .joined(separator: "\n        ") + "\n"
            }
            yaml += "    correct: \(kind == .single ? "[1]" : "[1, 3]")\n"
        }
        yaml += text("answer", kind == .free ? "TODO: the model answer" : "TODO: why the key is right")
        return yaml
    }

    private static func codes(root: URL) -> [String] {
        var bag = DiagnosticBag()
        let languages = LanguageLoader.course(root: root, bag: &bag).languages.map(\.code)
        return languages.isEmpty ? [Language.primaryCode] : languages
    }

    private static func quoted(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }

    private static func write(_ text: String, to url: URL, creatingFolder: Bool, replacing: Bool = false) throws(Failure) {
        if creatingFolder { try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true) }
        if !replacing, FileManager.default.fileExists(atPath: url.path) {
            throw Failure(description: "\(url.lastPathComponent) exists; quizdoc new never overwrites")
        }
        do {
            try AtomicFile.replace(url, with: Data(text.utf8), path: url.path)
        } catch {
            throw Failure(description: "\(error)")
        }
    }
}
