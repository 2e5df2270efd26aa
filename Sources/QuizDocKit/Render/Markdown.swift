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

    /// Parses `markdown` once: checks it against the content policy and renders it.
    /// The HTML is empty when there are problems.
    public static func render(_ markdown: String) -> Rendered {
        precondition(registered)
        let lines = lineProblems(markdown)
        if lines.contains(where: \.isLimit) {
            return Rendered(html: "", problems: lines)
        }
        let options = CMARK_OPT_UNSAFE
        guard let parser = cmark_parser_new(options) else { return Rendered(html: "", problems: [Problem(line: 1, message: "out of memory")]) }
        defer { cmark_parser_free(parser) }
        for name in extensions {
            if let syntax = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntax)
            }
        }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return Rendered(html: "", problems: [Problem(line: 1, message: "out of memory")]) }
        defer { cmark_node_free(document) }

        let problems = check(document) + lines
        guard problems.isEmpty else { return Rendered(html: "", problems: problems) }
        guard let html = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return Rendered(html: "", problems: [Problem(line: 1, message: "out of memory")])
        }
        defer { free(html) }
        return Rendered(html: String(cString: html), problems: [])
    }

    /// Walks the tree for raw HTML and link targets.
    private static func check(_ document: OpaquePointer) -> [Problem] {
        var problems: [Problem] = []
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
                if !isAllowedTag(literal) {
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
        return problems
    }

    static func isAllowedTag(_ literal: String) -> Bool {
        let tag = literal.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard tag.hasPrefix("<"), tag.hasSuffix(">") else { return false }
        var name = tag.dropFirst().dropLast()
        if name.hasPrefix("/") { name = name.dropFirst() }
        if name.hasSuffix("/") { name = name.dropLast() }
        let bare = name.trimmingCharacters(in: .whitespaces)
        return allowedTags.contains(bare) && (bare == "br" || !tag.hasSuffix("/>"))
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
        var markdown = markdown
        return markdown.withUTF8(lineProblems)
    }

    private static func lineProblems(_ bytes: UnsafeBufferPointer<UInt8>) -> [Problem] {
        var problems: [Problem] = []
        var line = 1, pipes = 0, column = 0, atSigns = 0
        var state = ReferenceScan.indent
        for byte in bytes {
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
        return problems
    }

    private enum ReferenceScan { case indent, label, afterLabel, done }
}
