import TokenCodec

/// One self-assessment question, as validated from the YAML.
public struct Question: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case free
        case single
        case multiple

        /// Whether the question offers choices and a key of correct ones.
        public var hasChoices: Bool { self != .free }
    }

    public var id: String { shared.fields.id }
    public var kind: Kind { shared.fields.kind }
    /// Inline Markdown.
    public var title: LocalizedText { shared.fields.title }
    /// Markdown.
    public var prompt: LocalizedText { shared.fields.prompt }
    /// Empty for free questions.
    public var choices: [LocalizedText] { shared.fields.choices }
    /// 1-based choice numbers, ascending. Empty for free questions.
    public var correct: [Int] { shared.fields.correct }
    /// Markdown: the model answer (free) or the explanation (single, multiple).
    public var answer: LocalizedText { shared.fields.answer }
    /// Free questions only: words a good answer contains, per language (inline Markdown
    /// each), shown with the answer and ticked off as a learner types. Empty when none.
    public var expected: LocalizedList? { shared.fields.expected }
    public var location: SourceLocation { shared.fields.location }
    /// Where `correct` is written, for diagnostics about the key.
    public var correctLocation: SourceLocation? { shared.fields.correctLocation }
    /// Lint rules this question allows (`lint: {allow: [...]}`).
    public var lintAllowed: [String] { shared.fields.lintAllowed }

    /// The fields, in one object that copies share: a build hands each question to the
    /// linter, the translation check, the phase's summary and each language's localizing,
    /// and a copy of the fields themselves retained (and then released) a dozen strings
    /// and arrays, 12,000 times in a 100-phase course.
    private let shared: Shared

    private final class Shared: Sendable {
        let fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }

    private struct Fields: Hashable, Sendable {
        let id: String
        let kind: Kind
        let title, prompt: LocalizedText
        let choices: [LocalizedText]
        let correct: [Int]
        let answer: LocalizedText
        let expected: LocalizedList?
        let location: SourceLocation
        let correctLocation: SourceLocation?
        let lintAllowed: [String]
    }

    public init(id: String, kind: Kind, title: LocalizedText, prompt: LocalizedText, choices: [LocalizedText], correct: [Int],
                answer: LocalizedText, expected: LocalizedList?, location: SourceLocation, correctLocation: SourceLocation?,
                lintAllowed: [String] = []) {
        shared = Shared(Fields(id: id, kind: kind, title: title, prompt: prompt, choices: choices, correct: correct, answer: answer,
                               expected: expected, location: location, correctLocation: correctLocation, lintAllowed: lintAllowed))
    }

    public static func == (lhs: Question, rhs: Question) -> Bool {
        lhs.shared === rhs.shared || lhs.shared.fields == rhs.shared.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(shared.fields)
    }

    /// What a learner's saved result depends on: the kind, the English prompt and choices,
    /// and the key. Editing any of them makes the site forget that question's result (and
    /// only that one's); a translation or a typo in the explanation does not.
    public var fingerprint: String {
        var hash = Fingerprint()
        hash.add(kind.rawValue)
        hash.add(prompt[Language.primaryCode] ?? "")
        for choice in choices { hash.add(choice[Language.primaryCode] ?? "") }
        hash.add(correct.map(String.init).joined(separator: ","))
        let hex = String(hash.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// A list of short texts per language (the lists may differ in length), with the place of
/// each item.
public struct LocalizedList: Hashable, Sendable {
    public var lists: [String: [String]]
    public var location: SourceLocation
    public var itemLocations: [String: [SourceLocation]]

    /// The list as `language` shows it: its own, or the English one marked as a fallback.
    public func shown(in language: Language) -> [ShownText] {
        let code = lists[language.code] != nil ? language.code : Language.primaryCode
        return (lists[code] ?? []).enumerated().map { index, text in
            ShownText(markdown: text, isFallback: code != language.code, code: code,
                      location: itemLocations[code]?[index] ?? location)
        }
    }
}
