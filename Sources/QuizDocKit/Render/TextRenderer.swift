import MustacheEngine

/// The render stage for one author text: its Markdown → HTML through cmark-gfm (`Markdown`),
/// with every content-policy problem reported at the YAML value of that text.
struct TextRenderer {
    var bag = DiagnosticBag()

    /// A block text's HTML.
    mutating func block(_ text: ShownText) -> String {
        render(text)
    }

    /// An inline text's HTML (a title or a choice): its paragraph's content. A one-line text
    /// that reads as something else (a list, a heading, a code fence) is refused: the mirror
    /// puts it after `## id —` or `1.`, where it would read differently again.
    mutating func inline(_ text: ShownText) -> String {
        let html = render(text)
        if html.hasPrefix("<p>"), html.hasSuffix("</p>\n"), !Self.containsParagraph(html.utf8.dropFirst(3)) {
            return String(html.dropFirst(3).dropLast(5))
        }
        if !html.isEmpty, !text.isFallback {
            bag.error(text.location, "in the '\(text.code)' text: a title or choice is one line of text, but this one reads as a list, heading, quote or code block in Markdown; reword its start or put a backslash before its first character")
        }
        return html.isEmpty ? "" : HTML.escape(text.markdown)
    }

    private mutating func render(_ text: ShownText) -> String {
        let rendered = Markdown.render(text.markdown)
        // A fallback is the English text, whose problems the English pass reports.
        if !text.isFallback {
            for problem in rendered.problems {
                let line = problem.line > 1 ? " (line \(problem.line) of the text)" : ""
                bag.error(text.location, "in the '\(text.code)' text: \(problem.message)\(line)")
            }
        }
        return rendered.html
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
}
