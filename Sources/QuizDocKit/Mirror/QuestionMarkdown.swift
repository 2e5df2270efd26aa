/// The Markdown of one question in one language, in the pieces both outputs need: the mirror
/// joins them into a page, the site renders each piece into its own place.
public struct QuestionMarkdown: Sendable {
    /// Inline Markdown: the title, with " (free)" for free questions.
    public var title: String
    /// Block Markdown: the prompt, then the choices as a numbered list.
    public var body: String
    /// Block Markdown: for choice questions a lead-in generated from `correct`, so it can
    /// never contradict the key, then the explanation.
    public var answer: String

    public init(_ question: Question, in language: Language) {
        let texts = TextPicker(language: language)
        var title = texts.inline(question.title)
        if question.kind == .free {
            title += " (\(language.text(.freeMark)))"
        }
        self.title = title

        var body = texts.block(question.prompt)
        if !question.choices.isEmpty {
            let items = question.choices.enumerated().map { "\($0.offset + 1). \(texts.inline($0.element))" }
            body += "\n\n" + items.joined(separator: "\n")
        }
        self.body = body

        let explanation = texts.block(question.answer)
        if let lead = Self.leadIn(question, in: language) {
            self.answer = Self.startsWithParagraph(explanation) ? "**\(lead)** \(explanation)" : "**\(lead)**\n\n\(explanation)"
        } else {
            self.answer = explanation
        }
    }

    /// "Choices 2 and 4.", from the key; nil for a free question.
    static func leadIn(_ question: Question, in language: Language) -> String? {
        guard question.kind.hasChoices else { return nil }
        let key: UIString = question.correct.count == 1 ? .choiceLeadOne : .choiceLeadMany
        return language.text(key, ["list": language.list(question.correct.map(String.init))])
    }

    /// Whether a Markdown text opens with a plain paragraph, which the lead-in can join.
    /// Anything that would change meaning after a prefix (a list, heading, quote, fence,
    /// table, indented code, HTML) makes the lead-in a paragraph of its own.
    static func startsWithParagraph(_ markdown: String) -> Bool {
        var line = markdown.utf8.prefix { $0 != UInt8(ascii: "\n") }[...]
        guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else { return false }
        if blockStarts.contains(where: { line.starts(with: $0) }) { return false }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if isDigit(first) {
            line = line.drop(while: isDigit)
            if let after = line.first, after == UInt8(ascii: ".") || after == UInt8(ascii: ")") { return false }
        }
        return true
    }

    private static let blockStarts: [[UInt8]] = ["- ", "* ", "+ ", "#", ">", "```", "~~~", "|", "<"].map { Array($0.utf8) }
}

/// Chooses a text's translation, falling back to English marked as untranslated.
struct TextPicker {
    let language: Language

    func inline(_ text: LocalizedText) -> String {
        if let translated = text[language.code] { return translated }
        return "\(text[Language.primaryCode] ?? "") \(language.text(.untranslatedInline))"
    }

    func block(_ text: LocalizedText) -> String {
        if let translated = text[language.code] { return translated }
        return "\(language.text(.untranslatedBlock))\n\n\(text[Language.primaryCode] ?? "")"
    }
}
