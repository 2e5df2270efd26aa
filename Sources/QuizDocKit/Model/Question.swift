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

    public var id: String
    public var kind: Kind
    /// Inline Markdown.
    public var title: LocalizedText
    /// Markdown.
    public var prompt: LocalizedText
    /// Empty for free questions.
    public var choices: [LocalizedText]
    /// 1-based choice numbers, ascending. Empty for free questions.
    public var correct: [Int]
    /// Markdown: the model answer (free) or the explanation (single, multiple).
    public var answer: LocalizedText
    /// Free questions only: words a good answer contains, per language (inline Markdown
    /// each), shown with the answer and ticked off as a learner types. Empty when none.
    public var expected: LocalizedList?
    public var location: SourceLocation
    /// Where `correct` is written, for diagnostics about the key.
    public var correctLocation: SourceLocation?
    /// Lint rules this question allows (`lint: {allow: [...]}`).
    public var lintAllowed: [String] = []

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
