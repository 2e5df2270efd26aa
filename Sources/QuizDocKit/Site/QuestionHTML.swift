import MustacheEngine

/// The HTML of one question in one language, in the places the phase page shows: the same
/// pieces as the mirror's, each author text rendered on its own (so one text can never leak
/// into the next), then joined exactly as the mirror joins them.
public struct QuestionHTML: Sendable {
    public var id: String
    public var title: String
    public var body: String
    public var answer: String
}

/// Formats the localized questions (and phase titles) of one language as page HTML: an
/// untranslated text shows the English one, marked, in `lang="en"`.
struct PageFormatter {
    let language: Language
    var renderer = TextRenderer()
    /// The untranslated marks, rendered once per language.
    private let untranslatedBlock: String
    private let untranslatedInline: String

    init(language: Language) {
        self.language = language
        untranslatedBlock = Markdown.render(language.text(.untranslatedBlock)).html
        untranslatedInline = HTML.escape(language.text(.untranslatedInline))
    }

    var diagnostics: [Diagnostic] { renderer.bag.diagnostics }

    mutating func question(_ question: LocalizedQuestion) -> QuestionHTML {
        var title = inline(question.title)
        if let mark = question.kindMark {
            title += " (\(HTML.escape(mark)))"
        }
        var body = block(question.prompt, followedBy: question.choices.isEmpty ? .paragraph : .choices)
        if !question.choices.isEmpty {
            body += "<ol class=\"choices\">\n"
            for choice in question.choices {
                body += "<li>\(inline(choice))</li>\n"
            }
            body += "</ol>\n"
        }
        var answer = block(question.answer)
        if let leadIn = question.leadIn {
            let lead = "<strong>\(HTML.escape(leadIn))</strong>"
            if question.leadInJoinsAnswer, answer.hasPrefix("<p>") {
                answer = "<p>\(lead) " + answer.dropFirst(3)
            } else {
                answer = "<p>\(lead)</p>\n" + answer
            }
        }
        return QuestionHTML(id: question.id, title: title, body: body, answer: answer)
    }

    mutating func block(_ text: ShownText, followedBy follower: Markdown.Follower = .paragraph) -> String {
        let html = renderer.block(text, followedBy: follower)
        guard text.isFallback else { return html }
        return untranslatedBlock + "<div lang=\"\(text.code)\">\n\(html)</div>\n"
    }

    mutating func inline(_ text: ShownText) -> String {
        let html = renderer.inline(text)
        guard text.isFallback else { return html }
        return "<span lang=\"\(text.code)\">\(html)</span> \(untranslatedInline)"
    }
}
