import CByteScan
import CCmarkGFM
import Foundation

/// The one file that talks to cmark-gfm. The rest of quizdoc sees a Swift function from
/// Markdown to HTML that also reports what the content policy refuses.
///
/// Texts come from many contributors, so they are Markdown, not HTML: raw HTML other than a
/// few harmless inline tags, and links or images whose URL has a scheme other than http,
/// https or mailto, are reported as problems. Because every text is checked before it is
/// rendered, rendering may use `CMARK_OPT_UNSAFE`, which the allowed inline tags need.
public enum Markdown {
    /// Something in a text the content policy refuses, at a line of that text (1-based).
    public struct Problem: Hashable, Sendable {
        public var line: Int
        public var message: String
        /// A limit against slow inputs: the text is not given to cmark-gfm at all.
        var isLimit = false
    }

    public struct Rendered: Sendable {
        public var html: String
        public var problems: [Problem]
    }

    static let extensions = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]
    /// Inline tags a text may use, without attributes.
    static let allowedTags: Set<String> = ["kbd", "sub", "sup", "br"]
    static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// The extensions, looked up once: the registry is global to the process and never
    /// changes once registered (by name, each lookup cost a C string and a list walk per text).
    nonisolated(unsafe) private static let syntaxExtensions: [OpaquePointer] = {
        precondition(registered)
        return extensions.compactMap { cmark_find_syntax_extension($0) }
    }()

    /// A parser with the extensions attached, or nil when out of memory.
    private static func parser(options: Int32) -> OpaquePointer? {
        guard let parser = cmark_parser_new(options) else { return nil }
        for syntax in syntaxExtensions { cmark_parser_attach_syntax_extension(parser, syntax) }
        return parser
    }

    /// A paragraph parsed after every text, so that one parse tells whether the text keeps
    /// a block open (an unclosed code fence, an HTML block) that would swallow what follows
    /// it in the mirror. It is removed before rendering. (In the mirror, a paragraph follows
    /// every block text: the how-to-answer line after a prompt, `</details>` after an answer.)
    private static let probe = "quizdocprobe"
    private static let paragraphProbe = "\n\n\(probe)\n"

    /// Parses `markdown` once: checks it against the content policy and renders it.
    /// The HTML is empty when there are problems.
    public static func render(_ markdown: String) -> Rendered {
        render(markdown, makingHTML: true)
    }

    /// The inline HTML of a text that `render` makes one paragraph of without a problem and
    /// without the parser, when it is one line (`PlainParagraphs.lineContent`): what a title
    /// or a choice mostly is. Nil for any other text, which `render` is for.
    static func lineContent(_ markdown: String) -> String? {
        precondition(registered)
        guard lineProblems(markdown).isEmpty else { return nil }
        var text = markdown
        let content = text.withUTF8(PlainParagraphs.lineContent)
        assert(content.map { "<p>\($0)</p>\n" == render(markdown).html } ?? true, "one line rendered unlike render: \(markdown.debugDescription)")
        return content
    }

    /// What `render` reports of a text, without making its HTML (for `check`, which writes
    /// no page): a plain text is not parsed, another one not rendered.
    static func problems(_ markdown: String) -> [Problem] {
        let problems = render(markdown, makingHTML: false).problems
        assert(problems == render(markdown).problems, "problems unlike render's: \(markdown.debugDescription)")
        return problems
    }

    /// The gates every text passes, in order: the line limits (a text over one never reaches
    /// cmark-gfm), plain paragraphs (no parser), then cmark-gfm.
    private static func render(_ markdown: String, makingHTML: Bool) -> Rendered {
        precondition(registered)
        let lines = lineProblems(markdown)
        if lines.contains(where: \.isLimit) {
            return Rendered(html: "", problems: lines)
        }
        if lines.isEmpty {
            var text = markdown
            // (A text of plain paragraphs has none of the triggers either.)
            if !makingHTML, !text.withUTF8(mayHaveParseProblems) {
                return Rendered(html: "", problems: [])
            }
            if makingHTML, let html = text.withUTF8(PlainParagraphs.html) {
                assert(html == parse(markdown, lines: lines).html, "plain paragraphs rendered unlike cmark-gfm: \(markdown.debugDescription)")
                return Rendered(html: html, problems: [])
            }
        }
        return parse(markdown, lines: lines, makingHTML: makingHTML)
    }

    /// Whether cmark-gfm's parse could find a problem in a text whose lines have none: only
    /// raw HTML and autolinks in angle brackets (`<`), a code fence left open (three
    /// backticks or tildes in a row), a link or image target (`](`), a definition (`]:`), or
    /// an autolink the GFM extension makes (`://`, and `@` for mail and XMPP addresses) can
    /// give one. A text with none of them (most prose: emphasis, code spans, lists, tables)
    /// is not parsed by `check`, which only asks for problems; `build` parses it to render
    /// it anyway.
    static func mayHaveParseProblems(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previous: UInt8 = 0
        var run = 0
        var index = 0
        while index < bytes.count {
            // Past the bytes that cannot be part of a trigger: each trigger holds one of
            // < @ ` ~ ] :, and one that ends a run (] or :) makes the next byte count; what
            // follows a run of none depends only on its last byte.
            if previous != UInt8(ascii: "]"), previous != UInt8(ascii: ":") {
                let quiet = quizdoc_markdown_untriggered_run(bytes.baseAddress! + index, bytes.count - index)
                if quiet > 0 {
                    index += quiet
                    previous = bytes[index - 1]
                    run = 1
                    guard index < bytes.count else { break }
                }
            }
            let end = min(index + 8, bytes.count)
            for byte in bytes[index..<end] {
                run = byte == previous ? run + 1 : 1
                switch byte {
                case UInt8(ascii: "<"), UInt8(ascii: "@"):
                    return true
                case UInt8(ascii: "`") where run == 3, UInt8(ascii: "~") where run == 3:
                    return true
                case UInt8(ascii: "(") where previous == UInt8(ascii: "]"),
                     UInt8(ascii: ":") where previous == UInt8(ascii: "]"),
                     UInt8(ascii: "/") where previous == UInt8(ascii: ":"):
                    return true
                default:
                    break
                }
                previous = byte
            }
            index = end
        }
        return false
    }

    /// `render` through cmark-gfm, `lines` being the text's `lineProblems`.
    static func parse(_ markdown: String, lines: [Problem] = [], makingHTML: Bool = true) -> Rendered {
        let options = CMARK_OPT_UNSAFE
        guard let parser = parser(options: options) else { return Rendered(html: "", problems: [Problem(line: 1, message: "out of memory")]) }
        defer { cmark_parser_free(parser) }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        var tail = paragraphProbe
        tail.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return Rendered(html: "", problems: [Problem(line: 1, message: "out of memory")]) }
        defer { cmark_node_free(document) }

        var copy = markdown
        let textLines = copy.withUTF8 { $0.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } }
        let problems = closes(document, lastLine: textLines) + check(document) + lines
        guard problems.isEmpty, makingHTML else { return Rendered(html: "", problems: problems) }
        guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return Rendered(html: "", problems: [Problem(line: 1, message: "out of memory")])
        }
        defer { free(html) }
        return Rendered(html: String(cString: html), problems: [])
    }

    /// Whether the text ended every block it opened and leaves the probe after it alone, as
    /// the mirror needs (so one text cannot swallow or continue the next); removes the probe.
    private static func closes(_ document: OpaquePointer, lastLine: Int) -> [Problem] {
        guard let last = cmark_node_last_child(document) else { return [] }
        let text = cmark_node_first_child(last)
        let alone = cmark_node_get_type(last) == CMARK_NODE_PARAGRAPH
            && text != nil && cmark_node_next(text) == nil && cmark_node_get_type(text) == CMARK_NODE_TEXT
            && cmark_node_get_literal(text).map { strcmp($0, probe) == 0 } == true
        if alone {
            cmark_node_unlink(last)
            cmark_node_free(last)
            return []
        }
        return [Problem(line: lastLine, message: "the text leaves a block open (an unclosed code fence or HTML block?), which would swallow what follows it in the mirror; close it")]
    }

    /// quizdoc's own Markdown (a whole mirror, raw HTML included) as cmark-gfm renders it,
    /// without the content policy: for the tests that compare a mirror's structure with
    /// its page's.
    static func renderTrusted(_ markdown: String) -> String {
        precondition(registered)
        guard let parser = parser(options: CMARK_OPT_UNSAFE) else { return "" }
        defer { cmark_parser_free(parser) }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let html = cmark_render_html(document, CMARK_OPT_UNSAFE, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    /// Whether a text's first block is a paragraph (so a prefix joins it without changing
    /// what it is): its first line alone cannot tell a setext heading or a table from one.
    public static func opensWithParagraph(_ markdown: String) -> Bool {
        precondition(registered)
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return false }
        defer { cmark_parser_free(parser) }
        if let table = cmark_find_syntax_extension("table") { cmark_parser_attach_syntax_extension(parser, table) }
        // The first block ends at the first blank line: no need to parse past it.
        var text = String(markdown.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .prefix { !$0.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } }
            .map { Substring(decoding: $0, as: UTF8.self) }.joined(separator: "\n"))
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return false }
        defer { cmark_node_free(document) }
        return cmark_node_first_child(document).map { cmark_node_get_type($0) == CMARK_NODE_PARAGRAPH } ?? false
    }

    /// Walks the tree for raw HTML and link targets, and for allowed tags that are not
    /// closed within their paragraph (`x<sub>y` would leave `<sub>` open over the page).
    private static func check(_ document: OpaquePointer) -> [Problem] {
        var problems: [Problem] = []
        var openTags: [OpaquePointer: [(name: String, line: Int)]] = [:]
        var order: [OpaquePointer] = []
        guard let iterator = cmark_iter_new(document) else { return problems }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let line = Int(cmark_node_get_start_line(node))
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                if let tag = allowedTag(literal) {
                    guard tag.name != "br", let parent = cmark_node_parent(node) else { break }
                    if openTags[parent] == nil { order.append(parent) }
                    var stack = openTags[parent] ?? []
                    if !tag.closing {
                        stack.append((tag.name, line))
                    } else if stack.last?.name == tag.name {
                        stack.removeLast()
                    } else {
                        problems.append(Problem(line: line, message: "</\(tag.name)> closes no open <\(tag.name)> in its paragraph; open it before, in the same paragraph"))
                    }
                    openTags[parent] = stack
                } else {
                    let firstLine = literal.trimmingCharacters(in: .whitespacesAndNewlines).prefix { $0 != "\n" }
                    let shown = firstLine.prefix(40)
                    problems.append(Problem(line: line, message: "raw HTML \(shown) is not allowed; write Markdown instead (allowed tags: <kbd>, <sub>, <sup>, <br>, without attributes)"))
                }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                if let scheme = scheme(of: url), !allowedSchemes.contains(scheme) {
                    problems.append(Problem(line: line, message: "the link target '\(url.prefix(40))' uses the scheme '\(scheme):', which is not allowed; use an http, https or mailto link, or a relative one"))
                }
            default:
                break
            }
        }
        for parent in order {
            for open in openTags[parent] ?? [] {
                problems.append(Problem(line: open.line, message: "<\(open.name)> is never closed in its paragraph; add </\(open.name)>"))
            }
        }
        return problems
    }

    /// The allowed tag a raw HTML literal is (`<sub>`, `</sub>`, `<br/>`), or nil.
    static func allowedTag(_ literal: String) -> (name: String, closing: Bool)? {
        let tag = literal.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard tag.hasPrefix("<"), tag.hasSuffix(">") else { return nil }
        var name = tag.dropFirst().dropLast()
        let closing = name.hasPrefix("/")
        if closing { name = name.dropFirst() }
        if name.hasSuffix("/") { name = name.dropLast() }
        let bare = name.trimmingCharacters(in: .whitespaces)
        guard allowedTags.contains(bare), bare == "br" || !tag.hasSuffix("/>") else { return nil }
        return (bare, closing)
    }

    /// The scheme of a URL as a browser would read it: control characters and white space
    /// removed, lowercased; nil for a relative URL.
    static func scheme(of url: String) -> String? {
        let cleaned = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })).lowercased()
        guard let colon = cleaned.firstIndex(of: ":") else { return nil }
        let candidate = cleaned[..<colon]
        if candidate.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { return nil }
        return String(candidate)
    }

    /// One pass over the bytes for what the tree does not show: lines with more `|` than
    /// `Limits.tableCells` (cmark-gfm 0.29's table extension is quadratic in a table's
    /// width), more `@` than `Limits.atSigns` (its autolinker is quadratic in them), and
    /// link reference definitions (`[x]: url`), which reach across texts once the
    /// mirror joins them and hide their target from the tree; texts write links inline.
    private static func lineProblems(_ markdown: String) -> [Problem] {
        markdown.withUTF8Bytes(lineProblems)
    }

    private static func lineProblems(_ bytes: UnsafeBufferPointer<UInt8>) -> [Problem] {
        var problems: [Problem] = []
        var line = 1, pipes = 0, column = 0, atSigns = 0
        var state = ReferenceScan.indent
        var invisible = InvisibleScan()
        var index = 0
        while index < bytes.count {
            if state == .done {
                // Past a line's start, only the bytes the switch below looks at matter.
                index += quizdoc_markdown_quiet_run(bytes.baseAddress! + index, bytes.count - index)
                guard index < bytes.count else { break }
            }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1; pipes = 0; column = 0; state = .indent
                continue
            case UInt8(ascii: "@"):
                atSigns += 1
                if atSigns == Limits.atSigns + 1 {
                    problems.append(Problem(line: line, message: "the text has more than \(Limits.atSigns) '@' characters, which slow the Markdown renderer down; write fewer", isLimit: true))
                }
            case UInt8(ascii: "|"):
                pipes += 1
                if pipes == Limits.tableCells + 1 {
                    problems.append(Problem(line: line, message: "a line has more than \(Limits.tableCells) '|' characters; tables are limited to \(Limits.tableCells) columns", isLimit: true))
                }
            case 0..<0x20 where byte != UInt8(ascii: "\t"), 0x7F, 0xC2, 0xE2, 0xEF:
                let length = byte < 0x80 ? 1 : byte == 0xC2 ? 2 : 3
                guard index - 1 + length <= bytes.count else { break }
                var scalar = UInt32(byte)
                if length == 2 { scalar = UInt32(bytes[index] & 0x3F) | 0x80 }
                if length == 3 {
                    scalar = (UInt32(byte & 0x0F) << 12) | (UInt32(bytes[index] & 0x3F) << 6) | UInt32(bytes[index + 1] & 0x3F)
                }
                if let problem = invisible.check(scalar, line: line) { problems.append(problem) }
            default:
                break
            }
            column += 1
            if state == .done { continue }
            switch (state, byte) {
            case (.indent, UInt8(ascii: " ")) where column <= 3: break
            case (.indent, UInt8(ascii: "[")): state = .label
            case (.label, UInt8(ascii: "]")): state = .afterLabel
            case (.label, _): break
            case (.afterLabel, UInt8(ascii: ":")):
                problems.append(Problem(line: line, message: "link reference definitions ([label]: url) are not supported; write the link inline as [text](url)"))
                state = .done
            default: state = .done
            }
        }
        return problems + invisible.unclosed()
    }

    /// Characters a reader cannot see that change what they see: control characters (a
    /// carriage return is a line break to CommonMark, an escape sequence rewrites a
    /// terminal), noncharacters, line and paragraph separators, and bidirectional overrides
    /// and isolates left open (an unclosed U+202E reverses the page's text after it).
    struct InvisibleScan {
        private var reported: Set<UInt32> = []
        /// Open embeddings and overrides (false) and isolates (true), with their lines.
        private var open: [(isolate: Bool, scalar: UInt32, line: Int)] = []

        static func name(_ scalar: UInt32) -> String {
            String(format: "U+%04X", scalar)
        }

        mutating func check(_ scalar: UInt32, line: Int) -> Problem? {
            switch scalar {
            case 0x202A, 0x202B, 0x202D, 0x202E:
                open.append((false, scalar, line))
                return nil
            case 0x2066, 0x2067, 0x2068:
                open.append((true, scalar, line))
                return nil
            case 0x202C:
                if open.last?.isolate == false { open.removeLast(); return nil }
                return Problem(line: line, message: "the bidirectional formatting character U+202C closes nothing; remove it")
            case 0x2069:
                guard let isolate = open.lastIndex(where: \.isolate) else {
                    return Problem(line: line, message: "the bidirectional formatting character U+2069 closes nothing; remove it")
                }
                open.removeSubrange(isolate...)
                return nil
            case 0..<0x20, 0x7F, 0x80...0x9F:
                guard reported.insert(scalar).inserted else { return nil }
                return Problem(line: line, message: "the text contains the control character \(Self.name(scalar)), which is invisible and changes how the text reads; remove it")
            case 0x2028, 0x2029, 0xFFFE, 0xFFFF:
                guard reported.insert(scalar).inserted else { return nil }
                return Problem(line: line, message: "the text contains \(Self.name(scalar)) (a line separator or noncharacter); use a plain line break or remove it")
            case 0xFEFF:
                // cmark-gfm drops it at the start of a document only: a text would read
                // differently alone on its page than inside the mirror.
                guard reported.insert(scalar).inserted else { return nil }
                return Problem(line: line, message: "the text contains U+FEFF (a byte order mark), which is invisible; remove it")
            default:
                return nil
            }
        }

        func unclosed() -> [Problem] {
            open.map { Problem(line: $0.line, message: "the bidirectional formatting character \(Self.name($0.scalar)) is never closed in this text, so it would reverse the page after it; close it with \($0.isolate ? "U+2069" : "U+202C") or remove it") }
        }
    }

    private enum ReferenceScan { case indent, label, afterLabel, done }
}
