import CByteScan
import TokenCodec
import ValidatedUTF8

/// Texts with no Markdown in them, rendered without a parser: paragraphs of words and plain
/// punctuation, which cmark-gfm would only wrap in `<p>` and escape; words in strong emphasis
/// of the plainest kind (`**word**` between spaces, `strongDelimiter`); code spans of the
/// plainest kind (one backtick, a line's text, one backtick: `codeSpanEnd`); tight bullet lists
/// of one-line items after a blank line (`- ` and such text); tables of such cells between
/// blank lines, without alignment (`table`). Most titles and choices, and many prompts and
/// answers, are such texts; building, running and freeing a cmark-gfm parser for each cost a
/// sixth of a build's instructions.
///
/// Recognised conservatively, byte by byte: a byte that could start any other block or
/// inline construct of CommonMark or of the extensions quizdoc enables (emphasis, code,
/// links, autolinks, entities, HTML, escapes, strikethrough, task lists), or any line that
/// could start a block (list markers, headings, quotes, indented code, setext underlines)
/// or end in a hard break, sends the text to cmark-gfm instead. A debug build renders every
/// text both ways and stops when they differ, so the tests hold this to cmark-gfm on every
/// text they build.
enum PlainParagraphs {
    /// The HTML cmark-gfm makes of `bytes`, when the text is plain paragraphs; nil otherwise.
    static func html(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var html: [UInt8] = []
        html.reserveCapacity(bytes.count + 16)
        guard scan(bytes, into: &html, making: true) else { return nil }
        return String(validatedUTF8: html)
    }

    /// The content of the one paragraph `html` makes of `bytes` (what its `<p>` and `</p>`
    /// enclose) when `bytes` is one line it renders as one paragraph
    /// (`isOneLineParagraph`); nil otherwise. One string made, not the paragraph's and then
    /// its content's.
    static func lineContent(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard isOneLine(bytes) else { return nil }
        var html: [UInt8] = []
        html.reserveCapacity(bytes.count + 16)
        guard scan(bytes, into: &html, making: true) else { return nil }
        // `<p>`, the content, `</p>\n`: one line is one paragraph.
        return html.withUnsafeBufferPointer { String(validatedUTF8: UnsafeBufferPointer(rebasing: $0[3..<($0.count - 5)])) }
    }

    /// Whether `html` would render `bytes` without cmark-gfm: the same test, no HTML made.
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var none: [UInt8] = []
        return scan(bytes, into: &none, making: false)
    }

    /// Whether `bytes` is one line that `html` renders as one paragraph: the shape a title
    /// or a choice must have, known without making its HTML.
    static func isOneLineParagraph(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        isOneLine(bytes) && isPlain(bytes)
    }

    /// One line that does not start a list item: the shape of a title or a choice, before the
    /// scan that decides whether it is plain (its line break looked for with `memchr`).
    private static func isOneLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return quizdoc_run_before(base, bytes.count, UInt8(ascii: "\n")) == bytes.count && !isItemStart(bytes, at: 0)
    }

    /// One pass over the text: each line tested (`isPlainStart`, then each byte's `Kind`) and,
    /// when `making`, copied in runs, a quote escaped, paragraphs, list items and tables wrapped.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into html: inout [UInt8], making: Bool) -> Bool {
        byteKinds.withUnsafeBufferPointer { kinds in
            var inParagraph = false
            // In a tight list of one-line items (`- ` and plain text), or right after one.
            var inList = false, afterList = false
            var lineStart = 0
            while lineStart < bytes.count {
                if bytes[lineStart] == UInt8(ascii: "\n") {
                    // A blank line ends the paragraph, or the list.
                    if making, inParagraph { html.append(contentsOf: paragraphEnd) }
                    if making, inList { html.append(contentsOf: listEnd) }
                    afterList = afterList || inList
                    inParagraph = false
                    inList = false
                    lineStart += 1
                    continue
                }
                if bytes[lineStart] == UInt8(ascii: "|") {
                    // A table follows a blank line, and a blank line or the end follows it.
                    guard !inParagraph, !inList, let end = table(bytes, at: lineStart, kinds, into: &html, making: making) else { return false }
                    afterList = false
                    lineStart = end + 1
                    continue
                }
                // An item follows a blank line or another item; anything else after an item
                // (a line that would continue its paragraph, an item after a blank line,
                // which makes the list loose) is left to cmark-gfm.
                let isItem = isItemStart(bytes, at: lineStart)
                guard isItem ? !inParagraph && !afterList : !inList else { return false }
                let start = isItem ? lineStart + 2 : lineStart
                guard isPlainStart(bytes, at: start) else { return false }
                if making {
                    if isItem {
                        html.append(contentsOf: inList ? itemStart : listStart)
                    } else {
                        html.append(contentsOf: inParagraph ? newline : paragraphStart)
                    }
                }
                inList = isItem
                inParagraph = !isItem
                afterList = false
                // A line ending in a space may end in a hard break.
                guard let end = inline(bytes, from: start, to: bytes.count, kinds, into: &html, making: making),
                      bytes[end - 1] != UInt8(ascii: " ") else { return false }
                if making, isItem { html.append(contentsOf: itemEnd) }
                lineStart = end + 1
            }
            if making, inParagraph { html.append(contentsOf: paragraphEnd) }
            if making, inList { html.append(contentsOf: listEnd) }
            return true
        }
    }

    /// The inline text from `start` to the first line break or `end`: where it stops; nil
    /// when it holds anything but text, quotes (escaped), strong emphasis that closes before
    /// it stops, and the marks that are text where they stand.
    private static func inline(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, _ kinds: UnsafeBufferPointer<Kind>,
                               into html: inout [UInt8], making: Bool) -> Int? {
        var index = start, runStart = start
        var strong = false
        scanning: while index < end {
            // Runs of text eight bytes at a time (one test each, no switch).
            while index + 8 <= end, isText(bytes, index, kinds), isText(bytes, index + 1, kinds), isText(bytes, index + 2, kinds),
                  isText(bytes, index + 3, kinds), isText(bytes, index + 4, kinds), isText(bytes, index + 5, kinds),
                  isText(bytes, index + 6, kinds), isText(bytes, index + 7, kinds) {
                index += 8
            }
            guard index < end else { break }
            switch kinds[Int(bytes[index])] {
            case .text:
                break
            case .newline:
                break scanning
            case .star:
                guard let opens = strongDelimiter(bytes, at: index, lineStart: start), opens != strong else { return nil }
                if making {
                    html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    html.append(contentsOf: opens ? strongStart : strongEnd)
                }
                strong = opens
                index += 2
                runStart = index
                continue
            case .quote:
                if making {
                    html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    html.append(contentsOf: quote)
                }
                runStart = index + 1
            case .backtick:
                guard let close = codeSpanEnd(bytes, at: index, end: end) else { return nil }
                if making {
                    html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    html.append(contentsOf: codeStart)
                    appendCode(UnsafeBufferPointer(rebasing: bytes[(index + 1)..<close]), to: &html)
                    html.append(contentsOf: codeEnd)
                }
                index = close + 1
                runStart = index
                continue
            case .markdown:
                return nil
            case .depends where bytes[index] == UInt8(ascii: "."):
                // "www." starts an autolink.
                if index - start >= 3, bytes[index - 1] | 0x20 == UInt8(ascii: "w"),
                   bytes[index - 2] | 0x20 == UInt8(ascii: "w"), bytes[index - 3] | 0x20 == UInt8(ascii: "w") {
                    return nil
                }
            case .depends:
                // A scheme's colon ("https:", "mailto:") can start an autolink; a colon
                // before a space or at the line's end cannot.
                if index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: " "), bytes[index + 1] != UInt8(ascii: "\n") {
                    return nil
                }
            }
            index += 1
        }
        // Strong emphasis closes where it opened.
        guard !strong else { return nil }
        if making { html.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
        return index
    }

    @inline(__always)
    private static func isText(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ kinds: UnsafeBufferPointer<Kind>) -> Bool {
        kinds[Int(bytes[index])] == .text
    }

    /// A table of plain cells at `start`: a header row, a row of dashes, body rows, each row
    /// fenced by `|` with as many cells as the header, each cell inline text (`inline`); a
    /// blank line or the text's end after it. Where it ends (the line break after its last
    /// row, or the text's end); nil for any other table or text starting with `|`.
    private static func table(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ kinds: UnsafeBufferPointer<Kind>,
                              into html: inout [UInt8], making: Bool) -> Int? {
        guard let header = row(bytes, at: start), header.end < bytes.count,
              let delimiter = row(bytes, at: header.end + 1), delimiter.cells.count == header.cells.count,
              delimiter.cells.allSatisfy({ !$0.isEmpty && $0.allSatisfy { bytes[$0] == UInt8(ascii: "-") } }) else { return nil }
        func cells(_ cells: [Range<Int>], _ open: [UInt8], _ close: [UInt8]) -> Bool {
            if making { html.append(contentsOf: rowStart) }
            for cell in cells {
                if making { html.append(contentsOf: open) }
                guard inline(bytes, from: cell.lowerBound, to: cell.upperBound, kinds, into: &html, making: making) == cell.upperBound else {
                    return false
                }
                if making { html.append(contentsOf: close) }
            }
            if making { html.append(contentsOf: rowEnd) }
            return true
        }
        if making { html.append(contentsOf: tableStart) }
        guard cells(header.cells, headerCellStart, headerCellEnd) else { return nil }
        if making { html.append(contentsOf: headEnd) }
        var end = delimiter.end, hasBody = false
        while end + 1 < bytes.count, bytes[end + 1] != UInt8(ascii: "\n") {
            guard let body = row(bytes, at: end + 1), body.cells.count == header.cells.count else { return nil }
            if making, !hasBody { html.append(contentsOf: bodyStart) }
            hasBody = true
            guard cells(body.cells, cellStart, cellEnd) else { return nil }
            end = body.end
        }
        if making { html.append(contentsOf: hasBody ? bodyEnd : tableEnd) }
        return end
    }

    /// The line at `start` as a table row, `|` first and last: its cells between the bars,
    /// spaces trimmed, and where the line ends.
    private static func row(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (cells: [Range<Int>], end: Int)? {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        guard end - start >= 2, bytes[start] == UInt8(ascii: "|"), bytes[end - 1] == UInt8(ascii: "|") else { return nil }
        var cells: [Range<Int>] = []
        var cellStart = start + 1
        for index in (start + 1)..<end where bytes[index] == UInt8(ascii: "|") {
            var lower = cellStart, upper = index
            while lower < upper, bytes[lower] == UInt8(ascii: " ") { lower += 1 }
            while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
            cells.append(lower..<upper)
            cellStart = index + 1
        }
        return (cells, end)
    }

    /// Where the code span that opens at `index` closes, when it is of the plainest kind: a
    /// single backtick, then text on the same line (before `end`) that neither starts nor ends
    /// with a space (so none is stripped) and holds no `|` (which splits a table's cells even
    /// in code), then a single backtick. Nil for any other backtick, which cmark-gfm reads.
    /// Inside, every byte is literal: emphasis, links, escapes and entities are not read.
    private static func codeSpanEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Int? {
        let first = index + 1
        guard first < end, bytes[first] != UInt8(ascii: "`"), bytes[first] != UInt8(ascii: " ") else { return nil }
        var close = first
        while close < end {
            switch bytes[close] {
            case UInt8(ascii: "`"):
                guard bytes[close - 1] != UInt8(ascii: " "), close + 1 == bytes.count || bytes[close + 1] != UInt8(ascii: "`") else {
                    return nil
                }
                return close
            case UInt8(ascii: "|"), 0..<0x20, 0x7F:
                return nil
            default:
                close += 1
            }
        }
        return nil
    }

    /// A code span's text, escaped as cmark-gfm escapes it.
    private static func appendCode(_ code: UnsafeBufferPointer<UInt8>, to html: inout [UInt8]) {
        var runStart = 0
        for (index, byte) in code.enumerated() {
            let entity: [UInt8]
            switch byte {
            case UInt8(ascii: "&"): entity = ampersand
            case UInt8(ascii: "<"): entity = lessThan
            case UInt8(ascii: ">"): entity = greaterThan
            case UInt8(ascii: "\""): entity = quote
            default: continue
            }
            html.append(contentsOf: UnsafeBufferPointer(rebasing: code[runStart..<index]))
            html.append(contentsOf: entity)
            runStart = index + 1
        }
        html.append(contentsOf: UnsafeBufferPointer(rebasing: code[runStart...]))
    }

    /// Whether the line at `start` starts a bullet list item: `- ` and then its text.
    private static func isItemStart(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        start + 2 < bytes.count && bytes[start] == UInt8(ascii: "-") && bytes[start + 1] == UInt8(ascii: " ")
    }

    /// Whether the `*` at `index` is strong emphasis of the plainest kind, and which end:
    /// true for `**` opening at the line's start or after a space or an opening mark, before
    /// a letter or digit (a delimiter run that can only open); false for `**` closing after
    /// a letter or digit, before the line's end, a space or a mark that ends a phrase (one
    /// that can only close); nil for any other star, which cmark-gfm reads. Opening and
    /// closing in turn on one line, these pair as CommonMark pairs them, each closer with the
    /// opener before it.
    private static func strongDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, lineStart: Int) -> Bool? {
        let after = index + 2
        guard after <= bytes.count, bytes[index + 1] == UInt8(ascii: "*"), after == bytes.count || bytes[after] != UInt8(ascii: "*"),
              index == lineStart || bytes[index - 1] != UInt8(ascii: "*") else { return nil }
        if index == lineStart || opensAfter(bytes[index - 1]) {
            return after < bytes.count && isWordStart(bytes, at: after) ? true : nil
        }
        guard isWordEnd(bytes, before: index) else { return nil }
        guard after < bytes.count else { return false }
        switch bytes[after] {
        case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: ";"), UInt8(ascii: ":"),
             UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "'"):
            return false
        default:
            return nil
        }
    }

    /// A space, or a mark that opens a phrase: before it, `**` cannot close.
    private static func opensAfter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "(") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// An ASCII letter or digit, or a Latin-1 letter (U+00C0 to U+00FF but × and ÷), starts at `index`.
    private static func isWordStart(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let byte = bytes[index]
        if byte == 0xC3 { return index + 1 < bytes.count && isLatin1LetterTail(bytes[index + 1]) }
        return isASCIILetterOrDigit(byte)
    }

    /// The same letters end just before `index`.
    private static func isWordEnd(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Bool {
        let byte = bytes[index - 1]
        if byte >= 0x80 { return index >= 2 && bytes[index - 2] == 0xC3 && isLatin1LetterTail(byte) }
        return isASCIILetterOrDigit(byte)
    }

    private static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
        ASCII.isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }

    private static func isLatin1LetterTail(_ byte: UInt8) -> Bool {
        byte >= 0x80 && byte <= 0xBF && byte != 0x97 && byte != 0xB7
    }

    /// Whether the line at `start` (not blank) may start or continue a paragraph as text: it
    /// starts with a letter, a non-ASCII character, an opening parenthesis or quote, strong
    /// emphasis opening (`strongDelimiter`), one backtick, or digits that are not a list
    /// number (`1.`, `2)`).
    private static func isPlainStart(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        switch bytes[start] {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x80...,
             UInt8(ascii: "("), UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        case UInt8(ascii: "*"):
            return strongDelimiter(bytes, at: start, lineStart: start) == true
        case UInt8(ascii: "`"):
            // One backtick (three start a fenced code block).
            return start + 1 < bytes.count && bytes[start + 1] != UInt8(ascii: "`")
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            var afterDigits = start
            while afterDigits < bytes.count, bytes[afterDigits] >= UInt8(ascii: "0"), bytes[afterDigits] <= UInt8(ascii: "9") {
                afterDigits += 1
            }
            return afterDigits == bytes.count || (bytes[afterDigits] != UInt8(ascii: ".") && bytes[afterDigits] != UInt8(ascii: ")"))
        default:
            return false
        }
    }

    private static let paragraphStart = Array("<p>".utf8)
    private static let paragraphEnd = Array("</p>\n".utf8)
    private static let quote = Array("&quot;".utf8)
    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let codeStart = Array("<code>".utf8)
    private static let codeEnd = Array("</code>".utf8)
    private static let listStart = Array("<ul>\n<li>".utf8)
    private static let itemStart = Array("<li>".utf8)
    private static let itemEnd = Array("</li>\n".utf8)
    private static let listEnd = Array("</ul>\n".utf8)
    private static let tableStart = Array("<table>\n<thead>\n".utf8)
    private static let headEnd = Array("</thead>\n".utf8)
    private static let bodyStart = Array("<tbody>\n".utf8)
    private static let bodyEnd = Array("</tbody>\n</table>\n".utf8)
    private static let tableEnd = Array("</table>\n".utf8)
    private static let rowStart = Array("<tr>\n".utf8)
    private static let rowEnd = Array("</tr>\n".utf8)
    private static let headerCellStart = Array("<th>".utf8)
    private static let headerCellEnd = Array("</th>\n".utf8)
    private static let cellStart = Array("<td>".utf8)
    private static let cellEnd = Array("</td>\n".utf8)
    private static let strongStart = Array("<strong>".utf8)
    private static let strongEnd = Array("</strong>".utf8)
    private static let newline = [UInt8(ascii: "\n")]

    /// What each byte is: text, something Markdown reads, a byte that is text in some places
    /// only (`.` after "www", `:` before anything but a space), a quote (text, escaped in
    /// HTML), a line break, a star (strong emphasis in some places only), a backtick (a code
    /// span's start, when it is one of the plainest kind).
    private enum Kind: UInt8 { case markdown, text, depends, quote, newline, star, backtick }

    private static let byteKinds: [Kind] = (0...255).map { value in
        let byte = UInt8(value)
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "?"), UInt8(ascii: "!"),
             UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "/"),
             UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "="), UInt8(ascii: "#"), 0x80...:
            return .text
        case UInt8(ascii: "\""):
            return .quote
        case UInt8(ascii: "\n"):
            return .newline
        case UInt8(ascii: "."), UInt8(ascii: ":"):
            return .depends
        case UInt8(ascii: "*"):
            return .star
        case UInt8(ascii: "`"):
            return .backtick
        default:
            // Control characters and tabs, & < > _ ~ [ ] \ | @ { } $ ^ and the rest.
            return .markdown
        }
    }
}
