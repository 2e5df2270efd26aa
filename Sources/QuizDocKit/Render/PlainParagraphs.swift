/// Texts with no Markdown in them, rendered without a parser: paragraphs of words and plain
/// punctuation, which cmark-gfm would only wrap in `<p>` and escape. Most titles and choices,
/// and many prompts and answers, are such texts; building, running and freeing a cmark-gfm
/// parser for each cost a sixth of a build's instructions.
///
/// Recognised conservatively, byte by byte: a byte that could start any block or inline
/// construct of CommonMark or of the extensions quizdoc enables (emphasis, code, links,
/// autolinks, entities, HTML, escapes, strikethrough, tables, task lists), or any line that
/// could start a block (list markers, headings, quotes, indented code, setext underlines)
/// or end in a hard break, sends the text to cmark-gfm instead. A debug build renders every
/// text both ways and stops when they differ, so the tests hold this to cmark-gfm on every
/// text they build.
enum PlainParagraphs {
    /// The HTML cmark-gfm makes of `bytes`, when the text is plain paragraphs; nil otherwise.
    static func html(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        byteKinds.withUnsafeBufferPointer { kinds in
            var html: [UInt8] = []
            html.reserveCapacity(bytes.count + 16)
            var inParagraph = false
            var lineStart = 0
            while lineStart <= bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                defer { lineStart = lineEnd + 1 }
                if lineEnd == lineStart {
                    // A blank line ends the paragraph.
                    if inParagraph { html.append(contentsOf: paragraphEnd); inParagraph = false }
                    continue
                }
                let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
                guard isPlainLine(line, kinds: kinds) else { return nil }
                html.append(contentsOf: inParagraph ? [UInt8(ascii: "\n")] : paragraphStart)
                inParagraph = true
                // The line as it is, but its quotes.
                var runStart = 0
                for index in line.indices where line[index] == UInt8(ascii: "\"") {
                    html.append(contentsOf: UnsafeBufferPointer(rebasing: line[runStart..<index]))
                    html.append(contentsOf: quote)
                    runStart = index + 1
                }
                html.append(contentsOf: UnsafeBufferPointer(rebasing: line[runStart...]))
            }
            if inParagraph { html.append(contentsOf: paragraphEnd) }
            return String(decoding: html, as: UTF8.self)
        }
    }

    /// Whether `html` would render `bytes` without cmark-gfm: the same test, no HTML made.
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        byteKinds.withUnsafeBufferPointer { kinds in
            var lineStart = 0
            while lineStart < bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                if lineEnd > lineStart, !isPlainLine(UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]), kinds: kinds) {
                    return false
                }
                lineStart = lineEnd + 1
            }
            return true
        }
    }

    private static let paragraphStart = Array("<p>".utf8)
    private static let paragraphEnd = Array("</p>\n".utf8)
    private static let quote = Array("&quot;".utf8)

    /// What each byte is inside a line: text, something Markdown reads, or a byte that is
    /// text in some places only (`.` after "www", `:` before anything but a space).
    private enum Kind: UInt8 { case markdown, text, depends }

    private static let byteKinds: [Kind] = (0...255).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "?"), UInt8(ascii: "!"),
             UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "/"),
             UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "="), UInt8(ascii: "#"), 0x80...:
            return .text
        case UInt8(ascii: "."), UInt8(ascii: ":"):
            return .depends
        default:
            // Control characters and tabs, & < > * _ ` ~ [ ] \ | @ { } $ ^ and the rest.
            return .markdown
        }
    }

    /// A line that continues or starts a paragraph and holds only text: it starts with a
    /// letter, a non-ASCII character, an opening parenthesis or quote, or digits that are not
    /// a list number (`1.`, `2)`); it ends in no space; it has no byte that Markdown reads.
    private static func isPlainLine(_ line: UnsafeBufferPointer<UInt8>, kinds: UnsafeBufferPointer<Kind>) -> Bool {
        guard let first = line.first, let last = line.last, last != UInt8(ascii: " ") else { return false }
        switch first {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x80...,
             UInt8(ascii: "("), UInt8(ascii: "\""), UInt8(ascii: "'"):
            break
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            let afterDigits = line.firstIndex { $0 < UInt8(ascii: "0") || $0 > UInt8(ascii: "9") } ?? line.count
            if afterDigits < line.count, line[afterDigits] == UInt8(ascii: ".") || line[afterDigits] == UInt8(ascii: ")") {
                return false
            }
        default:
            return false
        }
        for index in line.indices {
            switch kinds[Int(line[index])] {
            case .text:
                continue
            case .markdown:
                return false
            case .depends where line[index] == UInt8(ascii: "."):
                // "www." starts an autolink.
                if index >= 3, line[index - 1] | 0x20 == UInt8(ascii: "w"), line[index - 2] | 0x20 == UInt8(ascii: "w"),
                   line[index - 3] | 0x20 == UInt8(ascii: "w") {
                    return false
                }
            case .depends:
                // A scheme's colon ("https:", "mailto:") can start an autolink; a colon
                // before a space or at the end cannot.
                if index + 1 < line.count, line[index + 1] != UInt8(ascii: " ") { return false }
            }
        }
        return true
    }
}
