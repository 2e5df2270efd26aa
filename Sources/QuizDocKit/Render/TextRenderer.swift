import MustacheEngine

/// The render stage for one author text: its Markdown → HTML through cmark-gfm (`Markdown`),
/// with every content-policy problem reported at the YAML value of that text.
struct TextRenderer {
    var bag = DiagnosticBag()
    /// Whether block texts are rendered, or only checked (their HTML empty): `check`
    /// writes no page. Inline texts are rendered either way, their shape being a check.
    var rendersBlocks = true

    /// A block text's HTML.
    mutating func block(_ text: ShownText) -> String {
        guard rendersBlocks else {
            report(Markdown.problems(text.markdown), of: text)
            return ""
        }
        return render(text)
    }

    /// An inline text's HTML (a title or a choice): its paragraph's content. A one-line text
    /// that reads as something else (a list, a heading, a code fence) is refused: the mirror
    /// puts it after `## id —` or `1.`, where it would read differently again.
    mutating func inline(_ text: ShownText) -> String {
        let html = render(text)
        if html.hasPrefix("<p>"), html.hasSuffix("</p>\n"), !Self.containsParagraph(html, after: 3) {
            return String(html.dropFirst(3).dropLast(5))
        }
        if !html.isEmpty, !text.isFallback {
            bag.error(text.location, "in the '\(text.code)' text: a title or choice is one line of text, but this one reads as a list, heading, quote or code block in Markdown; reword its start or put a backslash before its first character")
        }
        return html.isEmpty ? "" : HTML.escape(text.markdown)
    }

    private mutating func render(_ text: ShownText) -> String {
        let rendered = Markdown.render(text.markdown)
        report(rendered.problems, of: text)
        return rendered.html
    }

    private mutating func report(_ problems: [Markdown.Problem], of text: ShownText) {
        // A fallback is the English text, whose problems the English pass reports.
        guard !text.isFallback else { return }
        for problem in problems {
            let line = problem.line > 1 ? " (line \(problem.line) of the text)" : ""
            bag.error(text.location, "in the '\(text.code)' text: \(problem.message)\(line)")
        }
    }

    /// Whether `<p>` occurs in the HTML after its first `offset` bytes: a hand loop over the
    /// contiguous UTF-8. Foundation's `contains` on `String` goes through a locale-aware
    /// search, and the standard library's generic searches walk a `UTF8View` index by index
    /// (it runs for every title and choice).
    private static func containsParagraph(_ html: String, after offset: Int) -> Bool {
        var html = html
        return html.withUTF8 { bytes in
            var index = offset
            while index + 2 < bytes.count {
                if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "p"), bytes[index + 2] == UInt8(ascii: ">") {
                    return true
                }
                index += 1
            }
            return false
        }
    }
}
