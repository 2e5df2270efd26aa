import Foundation
import MustacheEngine

/// Makes the files of one export format from the course, for the languages asked: one
/// file per phase and language, or one bilingual file per phase where the format can carry
/// both languages (Moodle XML, GIFT).
struct Exporter {
    let course: ExportCourse
    /// The languages asked (all of the course's, or one).
    let languages: [Language]
    /// All languages asked in one file (Moodle XML and GIFT only).
    let bilingual: Bool
    let options: ExportOptions

    func files(_ format: ExportFormat) throws -> [OutputFile] {
        switch format {
        case .moodle: return perPhase(folder: "moodle", ext: "xml") { MoodleXML(text: texts($1)).quiz($0, languages: $1) }
        case .gift: return perPhase(folder: "gift", ext: "txt") { GIFT(text: texts($1)).phase($0, languages: $1) }
        case .qti: return try eachLanguage { phase, language in
            OutputFile(path: "qti/\(phase.quiz.baseName).\(language.code).zip", data: try QTIPackage.package(phase, language: language))
        }
        case .anki: return try languages.map { language in
            OutputFile(path: "anki/\(Self.courseFileName).\(language.code).apkg", data: try AnkiDeck.package(course, language: language))
        }
        case .print: return try PrintHandout.files(course, languages: languages, shuffleSeed: options.shuffleSeed, pdf: options.pdf)
        }
    }

    /// The name of a file that holds the whole course.
    static let courseFileName = "quizzes"

    private func perPhase(folder: String, ext: String, _ make: (ExportPhase, [Language]) -> String) -> [OutputFile] {
        if bilingual, languages.count > 1 {
            return course.phases.map { OutputFile(path: "\(folder)/\($0.quiz.baseName).\(ext)", text: make($0, languages)) }
        }
        return course.phases.flatMap { phase in
            languages.map { OutputFile(path: "\(folder)/\(phase.quiz.baseName).\($0.code).\(ext)", text: make(phase, [$0])) }
        }
    }

    private func eachLanguage(_ make: (ExportPhase, Language) throws -> OutputFile) throws -> [OutputFile] {
        try course.phases.flatMap { phase in try languages.map { try make(phase, $0) } }
    }

    private func texts(_ languages: [Language]) -> MultilangText {
        MultilangText(languages: languages, style: options.multilang)
    }
}

/// One text in the languages of an export: as it is for one language; for several, each
/// language's version marked for Moodle's filters.
struct MultilangText {
    let languages: [Language]
    let style: Multilang

    /// `texts[i]` is the text in `languages[i]`.
    func join(_ texts: [String], block: Bool) -> String {
        guard languages.count > 1 else { return texts.first ?? "" }
        return zip(languages, texts).map { language, text in
            block && style == .mlang
                ? "{mlang \(language.code)}\(text){mlang}"
                : "<span lang=\"\(language.code)\" class=\"multilang\">\(text)</span>"
        }.joined()
    }
}

/// Moodle's grade table: the fractions its question editor offers, as percentages. A
/// multiple-choice key shares 100 among its choices and the wrong choices share −100, so
/// ticking every choice scores 0; every share must be one of these.
enum MoodleGrades {
    static let shares: [Int: String] = [
        1: "100", 2: "50", 3: "33.33333", 4: "25", 5: "20", 6: "16.66667", 7: "14.28571", 8: "12.5", 9: "11.11111", 10: "10",
    ]

    /// The fraction of choice `number` (1-based) of a question.
    static func fraction(_ number: Int, correct: [Int], choices: Int, multiple: Bool) -> String {
        let isCorrect = correct.contains(number)
        guard multiple else { return isCorrect ? "100" : "0" }
        let share = shares[isCorrect ? correct.count : choices - correct.count] ?? "0"
        return isCorrect ? share : (share == "0" ? "0" : "-\(share)")
    }
}

/// Moodle XML (`<quiz>`): a category per phase, `multichoice` and `essay` questions, texts
/// in HTML format.
struct MoodleXML {
    let text: MultilangText

    func quiz(_ phase: ExportPhase, languages: [Language]) -> String {
        let primary = languages[0]
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"
        // A slash in a category name is written twice; one alone starts a subcategory.
        let category = phase.heading(primary).replacingOccurrences(of: "/", with: "//")
        xml += "  <question type=\"category\">\n    <category><text>\(HTML.escape("$course$/\(category)"))</text></category>\n  </question>\n"
        for index in phase.items[primary.code]!.indices {
            let items = languages.map { phase.items[$0.code]![index] }
            xml += question(items)
        }
        return xml + "</quiz>\n"
    }

    private func question(_ items: [ExportPhase.Item]) -> String {
        let first = items[0]
        let name = text.join(items.map { HTML.escape("\($0.html.id) \(plainText($0.html.title))") }, block: false)
        func field(_ tag: String, _ value: String) -> String {
            "    <\(tag) format=\"html\"><text>\(HTML.escape(value))</text></\(tag)>\n"
        }
        let prompt = text.join(items.map(\.html.prompt), block: true)
        let answer = text.join(items.map(\.html.answer), block: true)
        var xml = "  <question type=\"\(first.html.kind == .free ? "essay" : "multichoice")\">\n"
        xml += "    <name><text>\(HTML.escape(name))</text></name>\n"
        xml += field("questiontext", prompt)
        xml += field("generalfeedback", answer)
        xml += "    <defaultgrade>1</defaultgrade>\n    <hidden>0</hidden>\n    <idnumber>\(first.html.id)</idnumber>\n"
        if first.html.kind == .free {
            let expected = items.contains { !$0.html.expected.isEmpty } ? text.join(items.map(\.html.expected), block: true) : ""
            xml += "    <penalty>0</penalty>\n"
            xml += "    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n"
            xml += "    <responsefieldlines>10</responsefieldlines>\n    <attachments>0</attachments>\n"
            xml += "    <attachmentsrequired>0</attachmentsrequired>\n"
            xml += field("graderinfo", answer + expected)
            xml += field("responsetemplate", "")
        } else {
            let multiple = first.html.kind == .multiple
            xml += "    <penalty>0.3333333</penalty>\n"
            xml += "    <single>\(multiple ? "false" : "true")</single>\n    <shuffleanswers>false</shuffleanswers>\n"
            xml += "    <answernumbering>123</answernumbering>\n"
            for number in 1...first.html.choices.count {
                let fraction = MoodleGrades.fraction(number, correct: first.html.correct, choices: first.html.choices.count, multiple: multiple)
                let choice = text.join(items.map { $0.html.choices[number - 1] }, block: false)
                xml += "    <answer fraction=\"\(fraction)\" format=\"html\">\n      <text>\(HTML.escape(choice))</text>\n"
                xml += "      <feedback format=\"html\"><text></text></feedback>\n    </answer>\n"
            }
        }
        return xml + "  </question>\n"
    }
}

/// GIFT, Moodle's text format: one question per paragraph, `::title::[html]text{answers}`.
struct GIFT {
    let text: MultilangText

    /// Escapes what Moodle's GIFT importer unescapes (`\ ~ = # { } :`, every `=` included,
    /// those inside HTML attributes too) and writes line breaks as `\n`, so that a text
    /// is one line: no line of its can start with `//`, a comment even inside a question.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "\\", "~", "=", "#", "{", "}", ":": out.unicodeScalars.append("\\"); out.unicodeScalars.append(character)
            case "\n": out += "\\n"
            case "\r": break
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    func phase(_ phase: ExportPhase, languages: [Language]) -> String {
        let primary = languages[0]
        var gift = "$CATEGORY: $course$/\(phase.heading(primary).replacingOccurrences(of: "/", with: "//").replacingOccurrences(of: "\n", with: " "))\n\n"
        for index in phase.items[primary.code]!.indices {
            gift += question(languages.map { phase.items[$0.code]![index] }) + "\n"
        }
        return gift
    }

    private func question(_ items: [ExportPhase.Item]) -> String {
        let first = items[0].html
        let title = Self.escape(text.join(items.map { HTML.escape("\($0.html.id) \(plainText($0.html.title))") }, block: false))
        let prompt = Self.escape(text.join(items.map(\.html.prompt), block: true))
        let feedback = Self.escape(text.join(items.map(\.html.answer), block: true))
        guard first.kind != .free else {
            return "::\(title)::[html]\(prompt){####\(feedback)}\n" // an essay
        }
        var gift = "::\(title)::[html]\(prompt){\n"
        do {
            let multiple = first.kind == .multiple
            for number in 1...first.choices.count {
                let choice = Self.escape(text.join(items.map { $0.html.choices[number - 1] }, block: false))
                if multiple {
                    let fraction = MoodleGrades.fraction(number, correct: first.correct, choices: first.choices.count, multiple: true)
                    gift += "~%\(fraction)%\(choice)\n"
                } else {
                    gift += "\(first.correct.contains(number) ? "=" : "~")\(choice)\n"
                }
            }
        }
        return gift + "####\(feedback)\n}\n"
    }
}
