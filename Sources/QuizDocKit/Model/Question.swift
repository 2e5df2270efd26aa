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
    public var location: SourceLocation
}
