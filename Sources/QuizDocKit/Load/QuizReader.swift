import Foundation
import TokenCodec
import YAMLReader

/// Turns the composed YAML tree of one quiz file into a `Quiz`, checking the schema
/// (version 1) and reporting every problem at the node that has it.
struct QuizReader {
    let name: QuizFileName
    let languages: [Language]
    /// The languages' codes, the keys of every text's mapping.
    private let codes: [String]
    var reader: NodeReader

    init(name: QuizFileName, path: String, languages: [Language]) {
        self.name = name
        self.languages = languages
        codes = languages.map(\.code)
        self.reader = NodeReader(path: path)
    }

    static let topKeys = ["schema", "phase", "title", "questions", "lint"]
    static let questionKeys = ["id", "kind", "title", "prompt", "choices", "correct", "answer", "expected", "lint"]

    mutating func read(_ root: YAMLNode) -> Quiz? {
        guard let fields = reader.mapping(root, what: "the quiz file", known: Self.topKeys) else { return nil }
        if let schema = fields["schema"], let version = reader.integer(schema, what: "'schema'", range: 0...Int.max), version != 1 {
            reader.error(schema, "schema version \(version) is not supported; this quizdoc reads version 1")
        }
        var phase: Int?
        if let node = reader.require(fields, "phase", in: root, what: "the quiz file") {
            phase = reader.integer(node, what: "'phase'", range: 0...99_999)
            if let value = phase, value != name.phase {
                reader.error(node, "'phase' is \(value) but the file name says \(name.phaseDigits); make them agree")
            }
        }
        let title = reader.require(fields, "title", in: root, what: "the quiz file").flatMap { text($0, what: "the quiz title", inline: true) }
        var questions: [Question] = []
        if let list = reader.require(fields, "questions", in: root, what: "the quiz file") {
            questions = readQuestions(list)
        }
        let allowed = fields["lint"].map { readLint($0) } ?? []
        guard let phase, let title, !reader.bag.hasErrors else { return nil }
        return Quiz(sourcePath: reader.path, baseName: name.baseName, phase: phase, phaseDigits: name.phaseDigits,
                    title: title, questions: questions, lintAllowed: allowed)
    }

    private mutating func readQuestions(_ node: YAMLNode) -> [Question] {
        guard case .sequence(let items) = node.content, !items.isEmpty else {
            reader.error(node, "'questions' must be a list of at least one question, each starting with '- id:'")
            return []
        }
        if items.count > Limits.questionsPerQuiz {
            reader.error(node, "a quiz holds at most \(Limits.questionsPerQuiz) questions; this one has \(items.count); split the phase")
            return []
        }
        var seen: [String: SourceLocation] = [:]
        var questions: [Question] = []
        for item in items {
            guard let question = readQuestion(item) else { continue }
            if let first = seen[question.id] {
                reader.error(item, "question id '\(question.id)' is used twice in this file (first at line \(first.line)); give each question its own id")
            }
            seen[question.id] = seen[question.id] ?? question.location
            questions.append(question)
        }
        return questions
    }

    private mutating func readQuestion(_ node: YAMLNode) -> Question? {
        guard let fields = reader.mapping(node, what: "a question", known: Self.questionKeys) else { return nil }
        let what = "this question"
        let id = reader.require(fields, "id", in: node, what: what).flatMap { readID($0) }
        let kind = reader.require(fields, "kind", in: node, what: what).flatMap { readKind($0) }
        let title = reader.require(fields, "title", in: node, what: what).flatMap { text($0, what: "the title", inline: true) }
        let prompt = reader.require(fields, "prompt", in: node, what: what).flatMap { text($0, what: "the prompt", inline: false) }
        let answer = reader.require(fields, "answer", in: node, what: what).flatMap { text($0, what: "the answer", inline: false) }

        var choices: [LocalizedText] = []
        var correct: [Int] = []
        if let kind {
            if kind.hasChoices {
                let choicesNode = reader.require(fields, "choices", in: node, what: "a \(kind.rawValue)-choice question")
                choices = choicesNode.map { readChoices($0) } ?? []
                if let correctNode = reader.require(fields, "correct", in: node, what: "a \(kind.rawValue)-choice question") {
                    correct = readCorrect(correctNode, kind: kind, choiceCount: choicesNode == nil ? nil : choices.count)
                }
                if let extra = fields["expected"] {
                    reader.error(extra, "only free questions have 'expected' words; remove it, or make the kind 'free'")
                }
            } else {
                for key in ["choices", "correct"] {
                    if let extra = fields[key] {
                        reader.error(extra, "a free question has no '\(key)'; remove it, or make the kind 'single' or 'multiple'")
                    }
                }
            }
        }
        let expected = kind == .free ? fields["expected"].flatMap { readExpected($0) } : nil
        let allowed = fields["lint"].map { readLint($0) } ?? []
        guard let id, let kind, let title, let prompt, let answer else { return nil }
        return Question(id: id, kind: kind, title: title, prompt: prompt, choices: choices, correct: correct,
                        answer: answer, expected: expected, location: reader.location(of: node),
                        correctLocation: fields["correct"].map { reader.location(of: $0) }, lintAllowed: allowed)
    }

    private mutating func readID(_ node: YAMLNode) -> String? {
        guard let id = reader.string(node, what: "'id'") else { return nil }
        let prefix = "q-\(name.phaseDigits)-"
        let number = id.hasPrefix(prefix) ? id.dropFirst(prefix.count) : ""
        guard number.count >= 2, number.utf8.allSatisfy(ASCII.isDigit) else {
            reader.error(node, "question id '\(id)' must look like '\(prefix)01': 'q-', the phase number as the file name writes it, '-', and at least two digits")
            return nil
        }
        return id
    }

    private mutating func readKind(_ node: YAMLNode) -> Question.Kind? {
        guard let word = reader.string(node, what: "'kind'") else { return nil }
        if let kind = Question.Kind(rawValue: word) { return kind }
        let known = Question.Kind.allCases.map(\.rawValue)
        let hint = Suggestion.nearest(to: word, in: known).map { "; did you mean '\($0)'?" } ?? ""
        reader.error(node, "'kind' must be one of \(known.joined(separator: ", ")); found '\(word)'\(hint)")
        return nil
    }

    private mutating func readChoices(_ node: YAMLNode) -> [LocalizedText] {
        guard case .sequence(let items) = node.content else {
            reader.error(node, "'choices' must be a list, each entry a mapping like {en: ..., es: ...}; found \(reader.describe(node))")
            return []
        }
        guard Limits.choices.contains(items.count) else {
            reader.error(node, "a question has \(Limits.choices.lowerBound) to \(Limits.choices.upperBound) choices; this one has \(items.count)")
            return []
        }
        return items.compactMap { text($0, what: "a choice", inline: true) }
    }

    /// `lint: {allow: [rule, ...]}`: lint rules a question (or a whole phase) breaks on
    /// purpose. Unknown rule ids are errors, with the nearest known one.
    private mutating func readLint(_ node: YAMLNode) -> [String] {
        guard let fields = reader.mapping(node, what: "'lint'", known: ["allow"]) else { return [] }
        guard let list = fields["allow"] else {
            reader.error(node, "'lint' holds 'allow', a list of rule ids like [longest-choice]")
            return []
        }
        guard case .sequence(let items) = list.content else {
            reader.error(list, "'allow' must be a list of rule ids like [longest-choice]; found \(reader.describe(list))")
            return []
        }
        var rules: [String] = []
        for item in items {
            guard let rule = reader.string(item, what: "a lint rule id") else { continue }
            if LintRule(rawValue: rule) != nil {
                rules.append(rule)
            } else {
                let known = LintRule.allCases.map(\.rawValue)
                let hint = Suggestion.nearest(to: rule, in: known).map { "; did you mean '\($0)'?" } ?? ""
                reader.error(item, "'\(rule)' is not a lint rule\(hint) (rules: \(known.joined(separator: ", ")))")
            }
        }
        return rules
    }

    /// `expected: {en: [..], es: [..]}`: words a good answer contains, per language, as
    /// short one-line texts; the lists may differ in length between languages.
    private mutating func readExpected(_ node: YAMLNode) -> LocalizedList? {
        guard case .mapping = node.content, let fields = reader.mapping(node, what: "'expected'", known: codes) else {
            if case .mapping = node.content {} else {
                reader.error(node, "'expected' must be a mapping of word lists like {\(codes.map { "\($0): [..]" }.joined(separator: ", "))}; found \(reader.describe(node))")
            }
            return nil
        }
        var lists: [String: [(text: String, location: SourceLocation)]] = [:]
        for language in languages {
            guard let list = fields[language.code] else {
                if language.isPrimary {
                    reader.error(node, "'expected' has no English words; add 'en: [..]'")
                } else {
                    reader.bag.warning(reader.location(of: node), "'expected' has no '\(language.code)' words; the \(language.code) page shows the English ones marked as untranslated")
                }
                continue
            }
            guard case .sequence(let items) = list.content, !items.isEmpty else {
                reader.error(list, "the '\(language.code)' expected words must be a list of at least one word, like [quantization, bandwidth]")
                continue
            }
            guard items.count <= Limits.expectedWords else {
                reader.error(list, "a question expects at most \(Limits.expectedWords) words; this list has \(items.count)")
                continue
            }
            var words: [(String, SourceLocation)] = []
            for item in items {
                guard let word = reader.string(item, what: "an expected word") else { continue }
                if word.isEmpty || word.unicodeScalars.count > Limits.expectedWordCharacters || word.utf8.contains(UInt8(ascii: "\n")) {
                    reader.error(item, "an expected word is one short line of 1 to \(Limits.expectedWordCharacters) characters")
                } else {
                    words.append((word, reader.location(of: item)))
                }
            }
            lists[language.code] = words
        }
        guard lists[Language.primaryCode] != nil else { return nil }
        return LocalizedList(lists: lists.mapValues { $0.map(\.text) }, location: reader.location(of: node),
                             itemLocations: lists.mapValues { $0.map(\.location) })
    }

    /// `correct`: a list of 1-based choice numbers (a single question may write one number).
    private mutating func readCorrect(_ node: YAMLNode, kind: Question.Kind, choiceCount: Int?) -> [Int] {
        let items: [YAMLNode]
        switch node.content {
        case .sequence(let sequence): items = sequence
        case .scalar: items = [node]
        default:
            reader.error(node, "'correct' must be a list of choice numbers like [2, 4]; found \(reader.describe(node))")
            return []
        }
        if items.isEmpty {
            reader.error(node, "'correct' is empty; list the numbers of the correct choices, e.g. [2]")
            return []
        }
        if kind == .single, items.count != 1 {
            reader.error(node, "a single-choice question has exactly one correct choice; found \(items.count) (use kind 'multiple' for more)")
        }
        var numbers: [Int] = []
        let upper = choiceCount ?? Limits.choices.upperBound
        for item in items {
            guard let number = reader.integer(item, what: "a choice number in 'correct'", range: 1...max(upper, 1)) else { continue }
            if numbers.contains(number) {
                reader.error(item, "choice \(number) is listed twice in 'correct'; list each choice once")
            } else {
                numbers.append(number)
            }
        }
        return numbers.sorted()
    }

    /// A translated text: a mapping from language codes to Markdown. English is required;
    /// a missing translation is a warning and falls back to English, marked as untranslated.
    private mutating func text(_ node: YAMLNode, what: String, inline: Bool) -> LocalizedText? {
        guard case .mapping = node.content else {
            let example = codes.map { "\($0): ..." }.joined(separator: ", ")
            reader.error(node, "\(what) must be a mapping of translations like {\(example)}; found \(reader.describe(node))")
            return nil
        }
        guard let fields = reader.mapping(node, what: what, known: codes) else { return nil }
        let limit = inline ? Limits.inlineTextCharacters : Limits.textCharacters
        var texts: [LocalizedText.Value] = []
        texts.reserveCapacity(languages.count)
        for language in languages {
            guard let valueNode = fields[language.code] else {
                if language.isPrimary {
                    reader.error(node, "\(what) has no English text; add 'en:'")
                } else {
                    reader.bag.warning(reader.location(of: node),
                                       "\(what) has no '\(language.code)' translation; the \(language.code) mirror shows the English text marked as untranslated")
                }
                continue
            }
            guard let value = reader.string(valueNode, what: "the '\(language.code)' text of \(what)") else { continue }
            if value.isEmpty, !language.isPrimary {
                // An empty placeholder (as `quizdoc new` writes them) is a missing translation.
                reader.bag.warning(reader.location(of: valueNode),
                                   "\(what) has an empty '\(language.code)' translation; the \(language.code) mirror shows the English text marked as untranslated")
            } else if value.isEmpty {
                reader.error(valueNode, "the '\(language.code)' text of \(what) is empty; write it, or remove the key to mark it untranslated")
            } else if value.utf8.count > limit, value.unicodeScalars.count > limit {
                reader.error(valueNode, "the '\(language.code)' text of \(what) is \(value.unicodeScalars.count) characters long; the limit is \(limit)")
            } else if inline, Self.hasLineBreak(value) {
                reader.error(valueNode, "\(what) is one line of text; remove the line breaks")
            } else {
                texts.append(LocalizedText.Value(code: language.code, text: value, location: reader.location(of: valueNode)))
            }
        }
        return LocalizedText(texts, at: reader.location(of: node))
    }

    private static func hasLineBreak(_ text: String) -> Bool {
        text.withUTF8Bytes { bytes in bytes.baseAddress.map { memchr($0, Int32(UInt8(ascii: "\n")), bytes.count) != nil } ?? false }
    }
}
