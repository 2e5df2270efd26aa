import MustacheEngine
import Synchronization

/// The HTML of one question in one language, in the places the phase page shows: the same
/// pieces as the mirror's, each author text rendered on its own (so one text can never leak
/// into the next), then laid out as the mirror lays them out.
public struct QuestionHTML: Sendable {
    public var id: String { fields.id }
    public var kind: Question.Kind { fields.kind }
    /// Inline HTML.
    public var title: String { fields.title }
    /// Block HTML.
    public var prompt: String { fields.prompt }
    /// "Choose one.", as text.
    public var howToAnswer: String { fields.howToAnswer }
    /// Inline HTML of each choice.
    public var choices: [String] { fields.choices }
    /// Block HTML: the lead-in, then the explanation.
    public var answer: String { fields.answer }
    /// "Expected to contain: A, B.", with each word in a `span.keyword` whose
    /// `data-keyword` is its plain text; empty when the question expects none.
    public var expected: String { fields.expected }
    /// 1-based choice numbers of the key.
    public var correct: [Int] { fields.correct }
    public var fingerprint: String { fields.fingerprint }
    /// "Translation possibly outdated…", when it is.
    public var outdatedNote: String? { fields.outdatedNote }

    /// The fields, in one object that copies share (the page and the search index each take
    /// a phase's questions: see `LocalizedQuestion`).
    private let fields: Fields

    private final class Fields: Sendable {
        let id: String
        let kind: Question.Kind
        let title, prompt, howToAnswer: String
        let choices: [String]
        let answer, expected: String
        let correct: [Int]
        let fingerprint: String
        let outdatedNote: String?

        init(id: String, kind: Question.Kind, title: String, prompt: String, howToAnswer: String, choices: [String], answer: String,
             expected: String, correct: [Int], fingerprint: String, outdatedNote: String?) {
            (self.id, self.kind, self.title, self.prompt, self.howToAnswer) = (id, kind, title, prompt, howToAnswer)
            (self.choices, self.answer, self.expected, self.correct) = (choices, answer, expected, correct)
            (self.fingerprint, self.outdatedNote) = (fingerprint, outdatedNote)
        }
    }

    init(id: String, kind: Question.Kind, title: String, prompt: String, howToAnswer: String, choices: [String], answer: String,
         expected: String, correct: [Int], fingerprint: String, outdatedNote: String?) {
        fields = Fields(id: id, kind: kind, title: title, prompt: prompt, howToAnswer: howToAnswer, choices: choices, answer: answer,
                        expected: expected, correct: correct, fingerprint: fingerprint, outdatedNote: outdatedNote)
    }

    /// The same question with another answer (a printed handout's, for its shuffled choices).
    func with(answer: String) -> QuestionHTML {
        QuestionHTML(id: id, kind: kind, title: title, prompt: prompt, howToAnswer: howToAnswer, choices: choices, answer: answer,
                     expected: expected, correct: correct, fingerprint: fingerprint, outdatedNote: outdatedNote)
    }

    /// The prompt and the choices as one block, as the page lays them out.
    public var body: String {
        guard !choices.isEmpty else { return prompt }
        return prompt + "<ol class=\"choices\">\n" + choices.map { "<li>\($0)</li>\n" }.joined() + "</ol>\n"
    }
}

/// Formats the localized questions (and phase titles) of one language as page HTML: an
/// untranslated text shows the English one, marked, in `lang="en"`.
struct PageFormatter {
    let language: Language
    var renderer = TextRenderer()
    /// The untranslated marks, rendered once per language.
    private let untranslatedBlock: String
    private let untranslatedInline: String

    /// The untranslated marks' HTML by their Markdown, rendered once in a build rather than
    /// once for each phase.
    private static let renderedBlocks = Mutex<[String: String]>([:])

    /// `rendersBlocks: false`: prompts and answers checked, not rendered (`check`).
    init(language: Language, rendersBlocks: Bool = true) {
        self.language = language
        renderer.rendersBlocks = rendersBlocks
        let block = language.text(.untranslatedBlock)
        untranslatedBlock = Self.renderedBlocks.withLock { $0[block] } ?? {
            let html = Markdown.render(block).html
            Self.renderedBlocks.withLock { $0[block] = html }
            return html
        }()
        untranslatedInline = HTML.escape(language.text(.untranslatedInline))
    }

    var diagnostics: [Diagnostic] { renderer.bag.diagnostics }

    mutating func question(_ question: LocalizedQuestion) -> QuestionHTML {
        var answer = block(question.answer)
        if let leadIn = question.leadIn {
            let lead = "<strong>\(HTML.escape(leadIn))</strong>"
            if question.leadInJoinsAnswer, answer.utf8.starts(with: "<p>".utf8) {
                // Copied as UTF-8 from after `<p>`, a scalar boundary: not decoded again.
                var joined = "<p>\(lead) "
                joined.append(contentsOf: answer[answer.utf8.index(answer.startIndex, offsetBy: 3)...])
                answer = joined
            } else {
                answer = "<p>\(lead)</p>\n" + answer
            }
        }
        return QuestionHTML(id: question.id, kind: question.kind, title: inline(question.title),
                            prompt: block(question.prompt), howToAnswer: question.howToAnswer,
                            choices: question.choices.map { inline($0) }, answer: answer,
                            expected: expected(question.expected), correct: question.correct,
                            fingerprint: question.fingerprint,
                            outdatedNote: question.isOutdated ? language.text(.outdatedNote) : nil)
    }

    /// "Expected to contain: A, B.": the UI string around the words, each word marked up
    /// for the page's script to tick off.
    private mutating func expected(_ words: [ShownText]) -> String {
        guard let first = words.first else { return "" }
        let spans = words.map { word -> String in
            let html = renderer.inline(word)
            return "<span class=\"keyword\" data-keyword=\"\(HTML.escape(plainText(html)))\">\(html)</span>"
        }
        let line = SiteBuilder.html(language, .expectedWords, inserting: spans.joined(separator: ", "), as: "list")
        return first.isFallback ? "<span lang=\"\(first.code)\">\(line)</span> \(untranslatedInline)" : line
    }

    mutating func block(_ text: ShownText) -> String {
        let html = renderer.block(text)
        guard text.isFallback else { return html }
        return untranslatedBlock + "<div lang=\"\(text.code)\">\n\(html)</div>\n"
    }

    mutating func inline(_ text: ShownText) -> String {
        let html = renderer.inline(text)
        guard text.isFallback else { return html }
        return "<span lang=\"\(text.code)\">\(html)</span> \(untranslatedInline)"
    }
}
