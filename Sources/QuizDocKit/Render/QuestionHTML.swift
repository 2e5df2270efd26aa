/// The HTML of one question in one language: the same pieces as `QuestionMarkdown`, each
/// author text rendered on its own (so one text can never leak into the next), then joined
/// exactly as the mirror joins them.
public struct QuestionHTML: Sendable {
    public var id: String
    public var title: String
    public var body: String
    public var answer: String
}

/// Renders the texts of a quiz in one language and maps content-policy problems back to the
/// YAML: each problem is reported at the value of the text that has it.
struct HTMLRenderer {
    let language: Language
    var bag = DiagnosticBag()
    /// UI strings rendered once per language.
    private var untranslatedBlock: String
    private var untranslatedInline: String

    init(language: Language) {
        self.language = language
        untranslatedBlock = Markdown.render(language.text(.untranslatedBlock)).html
        untranslatedInline = Self.escape(language.text(.untranslatedInline))
    }

    mutating func question(_ question: Question) -> QuestionHTML {
        var title = inline(question.title)
        if question.kind == .free {
            title += " (\(Self.escape(language.text(.freeMark))))"
        }
        var body = block(question.prompt)
        if !question.choices.isEmpty {
            body += "<ol class=\"choices\">\n"
            for choice in question.choices {
                body += "<li>\(inline(choice))</li>\n"
            }
            body += "</ol>\n"
        }
        var answer = block(question.answer)
        if let leadIn = QuestionMarkdown.leadIn(question, in: language) {
            let lead = "<strong>\(Self.escape(leadIn))</strong>"
            // The same test as the mirror's, on the same Markdown, so both join alike.
            let explanation = TextPicker(language: language).block(question.answer)
            if QuestionMarkdown.startsWithParagraph(explanation), answer.hasPrefix("<p>") {
                answer = "<p>\(lead) " + answer.dropFirst(3)
            } else {
                answer = "<p>\(lead)</p>\n" + answer
            }
        }
        return QuestionHTML(id: question.id, title: title, body: body, answer: answer)
    }

    /// A block text; an untranslated one shows the English text, marked, in `lang="en"`.
    mutating func block(_ text: LocalizedText) -> String {
        if text[language.code] != nil {
            return render(text, code: language.code)
        }
        return untranslatedBlock + "<div lang=\"\(Language.primaryCode)\">\n\(render(text, code: Language.primaryCode))</div>\n"
    }

    /// An inline text (a title or a choice): its paragraph's content.
    mutating func inline(_ text: LocalizedText) -> String {
        if text[language.code] != nil {
            return unwrapParagraph(render(text, code: language.code), source: text[language.code] ?? "")
        }
        let english = text[Language.primaryCode] ?? ""
        let html = unwrapParagraph(render(text, code: Language.primaryCode), source: english)
        return "<span lang=\"\(Language.primaryCode)\">\(html)</span> \(untranslatedInline)"
    }

    private mutating func render(_ text: LocalizedText, code: String) -> String {
        let rendered = Markdown.render(text[code] ?? "")
        let location = text.valueLocations[code] ?? text.location
        for problem in rendered.problems {
            // Only the English pass reports problems in English texts, so each is reported once.
            guard code == language.code else { continue }
            let line = problem.line > 1 ? " (line \(problem.line) of the text)" : ""
            bag.error(location, "in the '\(code)' text: \(problem.message)\(line)")
        }
        return rendered.html
    }

    /// A one-line text renders as `<p>…</p>`; anything else (it read as a list or a heading)
    /// is shown as the plain text it was meant to be.
    private func unwrapParagraph(_ html: String, source: String) -> String {
        if html.hasPrefix("<p>"), html.hasSuffix("</p>\n"), !Self.containsParagraph(html.utf8.dropFirst(3)) {
            return String(html.dropFirst(3).dropLast(5))
        }
        return html.isEmpty ? "" : Self.escape(source)
    }

    /// Whether `<p>` occurs in the bytes. A hand loop: Foundation's `contains` on `String`
    /// goes through a locale-aware search, and the standard library's generic
    /// `firstRange(of:)` cost a third more CPU over a full build (it runs for every title and
    /// choice).
    private static func containsParagraph(_ bytes: Substring.UTF8View) -> Bool {
        let tag = Array("<p>".utf8)
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(of: tag[0]) {
            if bytes[found...].starts(with: tag) { return true }
            index = bytes.index(after: found)
        }
        return false
    }

    /// Escapes text for HTML element content and double- or single-quoted attributes.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
