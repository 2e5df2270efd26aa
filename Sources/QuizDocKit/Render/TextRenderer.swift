import CByteScan
import MustacheEngine
import ValidatedUTF8

/// The render stage for one author text: its Markdown → HTML through cmark-gfm (`Markdown`),
/// with every content-policy problem reported at the YAML value of that text.
struct TextRenderer {
    var bag = DiagnosticBag()
    /// Whether block texts are rendered, or only checked (their HTML empty): `check`
    /// writes no page. Inline texts are rendered either way, their shape being a check, but
    /// for those of one plain line, whose shape is known without their HTML.
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
        // `check` makes no page: a text of one plain line has the shape, and only its
        // problems are asked for (the line's: an invisible character, a limit).
        var markdown = text.markdown
        if !rendersBlocks, markdown.withUTF8(PlainParagraphs.isOneLineParagraph) {
            report(Markdown.problems(text.markdown), of: text)
            return ""
        }
        // Most are one plain line: their content made at once, not a paragraph made and taken apart.
        if let content = Markdown.lineContent(text.markdown) { return content }
        var html = render(text)
        if let content = html.withUTF8(Self.paragraphContent) { return content }
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

    /// The content of HTML that is one paragraph, `<p>…</p>\n` with no other `<p>` in it;
    /// nil for anything else. A hand loop over the UTF-8: `String`'s `hasPrefix` and
    /// `dropFirst` work on characters, and cost more than the rest of an inline text's
    /// way without a parser.
    private static func paragraphContent(_ html: UnsafeBufferPointer<UInt8>) -> String? {
        let start = 3, end = html.count - 5
        guard end >= start, html[0] == UInt8(ascii: "<"), html[1] == UInt8(ascii: "p"), html[2] == UInt8(ascii: ">"),
              html[end] == UInt8(ascii: "<"), html[end + 1] == UInt8(ascii: "/"), html[end + 2] == UInt8(ascii: "p"),
              html[end + 3] == UInt8(ascii: ">"), html[end + 4] == UInt8(ascii: "\n") else { return nil }
        // A second paragraph inside: each `<` found by `memchr` (a loop over every byte cost
        // a fifth of rendering a title or a choice).
        var index = start
        while index + 2 < end {
            index += quizdoc_run_before(html.baseAddress! + index, end - 2 - index, UInt8(ascii: "<"))
            guard index + 2 < end else { break }
            if html[index + 1] == UInt8(ascii: "p"), html[index + 2] == UInt8(ascii: ">") { return nil }
            index += 1
        }
        return String(validatedUTF8: UnsafeBufferPointer(rebasing: html[start..<end]))
    }
}
