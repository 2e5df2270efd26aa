import CByteScan
import ValidatedUTF8

/// A fast reader for the plain subset of YAML that quiz files are written in, tried before
/// libyaml: block mappings with word keys, block sequences (indented, indentless, and the
/// compact `- key: value`), one-line plain and quoted scalars, one-line flow collections,
/// and literal or folded block scalars, with comments and blank lines anywhere.
///
/// It answers only when it is sure: anything outside the subset (tabs, CR or other line
/// breaks, control characters, a byte order mark, document markers and directives,
/// anchors, aliases and tags, empty values, duplicate keys, multi-line plain or quoted
/// scalars, flow collections over several lines, escapes other than the common four,
/// nesting past the limit, any indentation it does not expect) gives nil, and the caller
/// reads the document with libyaml, which refuses or accepts it with its own words. So the
/// subset needs no error messages, and every tree it returns must be the very tree libyaml
/// composes: same texts, same plain-or-quoted, same lines and columns. Debug builds check
/// that on every document (`YAMLComposer.compose`), and a differential test checks it over
/// thousands of generated and mutated ones.
///
/// The rules below are libyaml's (`scanner.c`), restricted: block scalars follow
/// `yaml_parser_scan_block_scalar` line for line, so their chomping and folding agree.
struct SimpleYAML {
    /// Not in the subset: let libyaml read it.
    struct Outside: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    /// The next byte to read.
    private var at = 0
    /// The 1-based number of the line `at` is on, and the index of that line's first byte.
    private var line = 1
    private var lineStart = 0
    /// The last column `column(_:)` computed, and at which byte.
    private var columnMark = (index: 0, column: 1)

    static func compose(_ text: String, maxDepth: Int) -> YAMLNode? {
        var text = text
        return text.withUTF8 { compose(bytes: $0, maxDepth: maxDepth) }
    }

    /// The same, from bytes that may not be UTF-8: invalid UTF-8 is outside the subset too,
    /// so a file's bytes need no `String` of their own (and no pass of their own to check
    /// them) when this reader answers.
    static func compose(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> YAMLNode? {
        var reader = SimpleYAML(bytes: bytes, maxDepth: maxDepth)
        return try? reader.document()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private mutating func document() throws(Outside) -> YAMLNode {
        try Self.checkCharacters(bytes)
        guard let indent = nextLineIndent() else { throw Outside() }
        let root = try blockNode(indent: indent, depth: 1)
        guard nextLineIndent() == nil else { throw Outside() }
        return root
    }

    /// Refuses, in one pass, every byte libyaml reads differently from a plain line of text:
    /// invalid UTF-8, control characters (tab and CR included), the C1 controls and NEL, the
    /// line and paragraph separators, byte order marks and non-characters, and the lines
    /// that start a document marker (`---`, `...`) or a directive (`%`).
    private static func checkCharacters(_ bytes: UnsafeBufferPointer<UInt8>) throws(Outside) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let count = bytes.count
        // A line that starts a directive (`%`) or a document marker (`---`, `...`).
        func checkLineStart(_ index: Int) throws(Outside) {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") { throw Outside() }
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "."), index + 2 < count,
               bytes[index + 1] == byte, bytes[index + 2] == byte {
                throw Outside()
            }
        }
        try checkLineStart(0)
        var index = 0
        while true {
            // Past the common case at once, sixteen bytes at a time: printable ASCII, and the
            // line feeds whose next line cannot start a marker (a run that stopped at each
            // line's end cost a call and a look at its first byte a line).
            index += quizdoc_yaml_plain_run(base + index, count - index)
            guard index < count else { return }
            let byte = bytes[index]
            if byte == newline {
                // Its next line starts with '%', '-' or '.'.
                try checkLineStart(index + 1)
                index += 1
            } else if byte < 0x20 || byte == 0x7F {
                throw Outside()
            } else {
                let length = try sequenceLength(bytes, at: index)
                let next = bytes[index + 1], third = length > 2 ? bytes[index + 2] : 0
                switch byte {
                case 0xC2 where next < 0xA0: throw Outside()
                case 0xE2 where next == 0x80 && (third == 0xA8 || third == 0xA9): throw Outside()
                case 0xEF where (next == 0xBB && third == 0xBF) || (next == 0xBF && third >= 0xBE): throw Outside()
                default: break
                }
                index += length
            }
        }
    }

    /// The length of the well-formed UTF-8 sequence that starts at `index` with a byte of
    /// 0x80 or more (the Unicode Standard's table 3-7: no overlong form, no surrogate,
    /// nothing past U+10FFFF); anything else is outside.
    @inline(__always)
    private static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) throws(Outside) -> Int {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF // the second byte's range
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw Outside()
        }
        guard index + length <= bytes.count, bytes[index + 1] >= low, bytes[index + 1] <= high else { throw Outside() }
        for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { throw Outside() }
        return length
    }

    // MARK: Lines

    /// Skips blank and comment lines from the start of a line; the indentation of the next
    /// line with content, `at` left at its start, or nil at the end of the text.
    private mutating func nextLineIndent() -> Int? {
        while at < bytes.count {
            var index = at
            while index < bytes.count, bytes[index] == space { index += 1 }
            if index == bytes.count {
                at = index
                return nil
            }
            if bytes[index] == newline || bytes[index] == hash {
                at = index
                skipRestOfLine()
                continue
            }
            return index - at
        }
        return nil
    }

    /// Moves past the next line break (or to the end of the text).
    private mutating func skipRestOfLine() {
        at = lineEnd(from: at)
        if at < bytes.count { consumeNewline() }
    }

    private mutating func consumeNewline() {
        at += 1
        line += 1
        lineStart = at
    }

    /// After a scalar or flow collection: only spaces, and a comment after at least one of
    /// them, may end the line.
    private mutating func endOfLine() throws(Outside) {
        let start = at
        while at < bytes.count, bytes[at] == space { at += 1 }
        guard at < bytes.count else { return }
        if bytes[at] == newline || (bytes[at] == hash && at > start) {
            skipRestOfLine()
            return
        }
        throw Outside()
    }

    /// The 1-based column of a byte of the current line, in Unicode scalars as libyaml counts,
    /// counted on from the last one asked on the line (a long flow line is walked once).
    private mutating func column(_ index: Int) -> Int {
        var (position, column) = columnMark.index >= lineStart && columnMark.index <= index ? columnMark : (lineStart, 1)
        while position < index {
            if bytes[position] & 0xC0 != 0x80 { column += 1 }
            position += 1
        }
        columnMark = (index, column)
        return column
    }

    /// A scalar's bytes as a string: the file's UTF-8 was checked whole (`checkCharacters`)
    /// and every range ends next to an ASCII byte or the file's end, so it is not checked again.
    private func text(_ range: Range<Int>) -> String {
        String(validatedUTF8: UnsafeBufferPointer(rebasing: bytes[range]))
    }

    private func isEntry(_ index: Int) -> Bool {
        bytes[index] == dash && (index + 1 == bytes.count || bytes[index + 1] == space || bytes[index + 1] == newline)
    }

    /// Where the `:` after a word key starting at `index` is, when one is there and followed
    /// by a space or the end of the line.
    private func keyEnd(_ index: Int) -> Int? {
        guard index < bytes.count, isWordByte(bytes[index]), bytes[index] != dash, bytes[index] != dot else { return nil }
        var end = index + 1
        while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
        guard end < bytes.count, bytes[end] == colon, end - index <= 1000 else { return nil }
        let after = end + 1
        guard after == bytes.count || bytes[after] == space || bytes[after] == newline else { return nil }
        return end
    }

    private func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), dash, dot: true
        default: false
        }
    }

    // MARK: Block collections

    /// The mapping or sequence whose first line starts at `at`, indented by `indent`.
    private mutating func blockNode(indent: Int, depth: Int) throws(Outside) -> YAMLNode {
        let first = at + indent
        if isEntry(first) { return try sequence(indent: indent, depth: depth) }
        if keyEnd(first) != nil { return try mapping(indent: indent, firstKey: first, depth: depth) }
        throw Outside()
    }

    /// A block mapping whose keys sit at `indent`, the first of them at `firstKey` (mid-line
    /// in a compact `- key: value`).
    private mutating func mapping(indent: Int, firstKey: Int, depth: Int) throws(Outside) -> YAMLNode {
        guard depth <= maxDepth else { throw Outside() }
        let startLine = line, startColumn = column(firstKey)
        var pairs: [YAMLNode.Pair] = []
        var keys = DuplicateKeys()
        var keyStart = firstKey
        while true {
            guard let keyEnd = keyEnd(keyStart) else { throw Outside() }
            let key = text(keyStart..<keyEnd)
            try keys.insert(key)
            let keyNode = YAMLNode(content: .scalar(key, plain: true), line: line, column: column(keyStart))
            at = keyEnd + 1
            let value = try valueAfterIndicator(parentIndent: indent, allowsIndentlessSequence: true, depth: depth)
            pairs.append(YAMLNode.Pair(key: keyNode, value: value))
            guard let next = nextLineIndent(), next >= indent else { break }
            guard next == indent else { throw Outside() }
            keyStart = at + indent
        }
        return YAMLNode(content: .mapping(pairs), line: startLine, column: startColumn)
    }

    /// A block sequence whose `-` entries sit at `indent`.
    private mutating func sequence(indent: Int, depth: Int) throws(Outside) -> YAMLNode {
        guard depth <= maxDepth else { throw Outside() }
        let startLine = line, startColumn = indent + 1
        var items: [YAMLNode] = []
        while true {
            at += indent + 1
            var content = at
            while content < bytes.count, bytes[content] == space { content += 1 }
            if content < bytes.count, isEntry(content) { throw Outside() }
            if keyEnd(content) != nil {
                items.append(try mapping(indent: content - lineStart, firstKey: content, depth: depth + 1))
            } else {
                items.append(try valueAfterIndicator(parentIndent: indent, allowsIndentlessSequence: false, depth: depth))
            }
            guard let next = nextLineIndent(), next >= indent else { break }
            guard next == indent else { throw Outside() }
            guard isEntry(at + indent) else { break }
        }
        return YAMLNode(content: .sequence(items), line: startLine, column: startColumn)
    }

    /// The value after a key's `:` or an entry's `-`: on the same line, or a block collection
    /// on the lines below, indented deeper than the parent (or as deep, for a sequence that
    /// is a mapping's value). Leaves `at` at the start of a line.
    private mutating func valueAfterIndicator(parentIndent: Int, allowsIndentlessSequence: Bool, depth: Int) throws(Outside) -> YAMLNode {
        let start = at
        while at < bytes.count, bytes[at] == space { at += 1 }
        if at == bytes.count || bytes[at] == newline || (bytes[at] == hash && at > start) {
            skipRestOfLine()
            guard let indent = nextLineIndent() else { throw Outside() }
            if indent > parentIndent || (indent == parentIndent && allowsIndentlessSequence && isEntry(at + indent)) {
                return try blockNode(indent: indent, depth: depth + 1)
            }
            throw Outside()
        }
        if bytes[at] == pipe || bytes[at] == greater {
            return try blockScalar(parentIndent: parentIndent)
        }
        let node = try inlineNode(depth: depth + 1, inFlow: false)
        try endOfLine()
        return node
    }

    // MARK: Scalars and flow collections on one line

    /// A quoted or plain scalar, or a flow collection, starting at `at`.
    private mutating func inlineNode(depth: Int, inFlow: Bool) throws(Outside) -> YAMLNode {
        let startLine = line, startColumn = column(at)
        switch bytes[at] {
        case doubleQuote:
            return YAMLNode(content: .scalar(try doubleQuoted(), plain: false), line: startLine, column: startColumn)
        case singleQuote:
            return YAMLNode(content: .scalar(try singleQuoted(), plain: false), line: startLine, column: startColumn)
        case openBracket, openBrace:
            return try flowCollection(depth: depth, line: startLine, column: startColumn)
        default:
            return YAMLNode(content: .scalar(try plain(inFlow: inFlow), plain: true), line: startLine, column: startColumn)
        }
    }

    /// A plain scalar to the end of its line (before a comment), or in a flow collection to
    /// the next `,`, `]` or `}`; trailing spaces are not part of it.
    private mutating func plain(inFlow: Bool) throws(Outside) -> String {
        let start = at
        switch bytes[at] {
        case dash, UInt8(ascii: "?"), colon, comma, openBracket, closeBracket, openBrace, closeBrace, hash,
             UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), pipe, greater, singleQuote, doubleQuote,
             UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), newline:
            throw Outside()
        default: break
        }
        var end = start
        scan: while at < bytes.count {
            switch bytes[at] {
            case newline:
                break scan
            case colon:
                if inFlow { throw Outside() }
                if at + 1 == bytes.count || bytes[at + 1] == space || bytes[at + 1] == newline { throw Outside() }
            case hash:
                if inFlow { throw Outside() }
                if bytes[at - 1] == space { break scan }
            case comma, closeBracket, closeBrace:
                if inFlow { break scan }
            case openBracket, openBrace:
                if inFlow { throw Outside() }
            case space:
                at += 1
                continue scan
            default:
                break
            }
            at += 1
            end = at
        }
        at = end
        return text(start..<end)
    }

    /// A double-quoted scalar closed on its line, with the escapes `\"`, `\\`, `\n`, `\t`.
    private mutating func doubleQuoted() throws(Outside) -> String {
        at += 1
        var start = at
        var escaped: [UInt8]?
        while at < bytes.count {
            switch bytes[at] {
            case doubleQuote:
                let result: String
                if var escaped {
                    escaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<at]))
                    result = String(validatedUTF8: escaped)
                } else {
                    result = text(start..<at)
                }
                at += 1
                return result
            case backslash:
                guard at + 1 < bytes.count else { throw Outside() }
                let replacement: UInt8
                switch bytes[at + 1] {
                case doubleQuote: replacement = doubleQuote
                case backslash: replacement = backslash
                case UInt8(ascii: "n"): replacement = newline
                case UInt8(ascii: "t"): replacement = 0x09
                default: throw Outside()
                }
                escaped = (escaped ?? []) + UnsafeBufferPointer(rebasing: bytes[start..<at])
                escaped?.append(replacement)
                at += 2
                start = at
            case newline:
                throw Outside()
            default:
                // Past the bytes copied as they are, sixteen at a time.
                at += 1 + quizdoc_quoted_run(bytes.baseAddress! + at + 1, bytes.count - at - 1)
            }
        }
        throw Outside()
    }

    /// A single-quoted scalar closed on its line, `''` standing for one quote.
    private mutating func singleQuoted() throws(Outside) -> String {
        at += 1
        var start = at
        var result = ""
        while at < bytes.count {
            switch bytes[at] {
            case singleQuote:
                if at + 1 < bytes.count, bytes[at + 1] == singleQuote {
                    result += text(start..<(at + 1))
                    at += 2
                    start = at
                    continue
                }
                result += text(start..<at)
                at += 1
                return result
            case newline:
                throw Outside()
            default:
                at += 1
            }
        }
        throw Outside()
    }

    /// `[a, b]` or `{key: value, …}` closed on its line, without trailing commas.
    private mutating func flowCollection(depth: Int, line: Int, column: Int) throws(Outside) -> YAMLNode {
        guard depth <= maxDepth else { throw Outside() }
        let isMapping = bytes[at] == openBrace
        let close = isMapping ? closeBrace : closeBracket
        at += 1
        var items: [YAMLNode] = []
        var pairs: [YAMLNode.Pair] = []
        var keys = DuplicateKeys()
        skipSpaces()
        if at < bytes.count, bytes[at] == close {
            at += 1
        } else {
            while true {
                guard at < bytes.count, bytes[at] != newline else { throw Outside() }
                if isMapping {
                    guard let keyEnd = keyEnd(at), keyEnd + 1 < bytes.count, bytes[keyEnd + 1] == space else { throw Outside() }
                    let key = text(at..<keyEnd)
                    try keys.insert(key)
                    let keyNode = YAMLNode(content: .scalar(key, plain: true), line: line, column: self.column(at))
                    at = keyEnd + 1
                    skipSpaces()
                    guard at < bytes.count, bytes[at] != newline else { throw Outside() }
                    pairs.append(YAMLNode.Pair(key: keyNode, value: try inlineNode(depth: depth + 1, inFlow: true)))
                } else {
                    items.append(try inlineNode(depth: depth + 1, inFlow: true))
                }
                skipSpaces()
                guard at < bytes.count else { throw Outside() }
                if bytes[at] == close {
                    at += 1
                    break
                }
                guard bytes[at] == comma else { throw Outside() }
                at += 1
                skipSpaces()
                guard at < bytes.count, bytes[at] != close else { throw Outside() }
            }
        }
        return YAMLNode(content: isMapping ? .mapping(pairs) : .sequence(items), line: line, column: column)
    }

    private mutating func skipSpaces() {
        while at < bytes.count, bytes[at] == space { at += 1 }
    }

    // MARK: Block scalars

    /// A literal (`|`) or folded (`>`) scalar, as `yaml_parser_scan_block_scalar` reads it:
    /// the indentation of its first line with content, deeper than `parentIndent`, is the
    /// scalar's; it ends at the first line with content indented less. Leaves `at` at the
    /// start of that line.
    private mutating func blockScalar(parentIndent: Int) throws(Outside) -> YAMLNode {
        let startLine = line, startColumn = column(at)
        let literal = bytes[at] == pipe
        at += 1
        var chomping = 0 // -1 strip, 0 clip, +1 keep
        if at < bytes.count, bytes[at] == dash || bytes[at] == UInt8(ascii: "+") {
            chomping = bytes[at] == dash ? -1 : 1
            at += 1
        }
        if at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) { throw Outside() }
        try endOfLine()

        var indent = 0
        var lineIndent = 0
        var output: [UInt8] = []
        var leadingBreak = false
        var trailingBreaks = 0
        var leadingBlank = false

        /// `yaml_parser_scan_block_scalar_breaks`: eats the indentation and the empty lines
        /// that follow, and fixes the scalar's indentation on its first call.
        func breaks(_ reader: inout SimpleYAML) {
            var maxIndent = 0
            while true {
                lineIndent = 0
                while indent == 0 || lineIndent < indent, reader.at < reader.bytes.count, reader.bytes[reader.at] == space {
                    reader.at += 1
                    lineIndent += 1
                }
                maxIndent = max(maxIndent, lineIndent)
                guard reader.at < reader.bytes.count, reader.bytes[reader.at] == newline else { break }
                trailingBreaks += 1
                reader.consumeNewline()
            }
            if indent == 0 { indent = max(maxIndent, parentIndent + 1, 1) }
        }

        breaks(&self)
        while lineIndent == indent, at < bytes.count {
            let trailingBlank = bytes[at] == space
            if !literal, leadingBreak, !leadingBlank, !trailingBlank {
                if trailingBreaks == 0 { output.append(space) }
            } else if leadingBreak {
                output.append(newline)
            }
            leadingBreak = false
            output.append(contentsOf: repeatElement(newline, count: trailingBreaks))
            trailingBreaks = 0
            leadingBlank = bytes[at] == space
            let start = at
            at = lineEnd(from: at)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<at]))
            if at < bytes.count {
                leadingBreak = true
                consumeNewline()
            }
            breaks(&self)
        }
        if chomping != -1, leadingBreak { output.append(newline) }
        if chomping == 1 { output.append(contentsOf: repeatElement(newline, count: trailingBreaks)) }
        if at < bytes.count { at = lineStart }
        return YAMLNode(content: .scalar(String(validatedUTF8: output), plain: false), line: startLine, column: startColumn)
    }

    /// Where the line that holds `index` ends: its line break, or the end of the text.
    private func lineEnd(from index: Int) -> Int {
        index < bytes.count ? index + quizdoc_run_before(bytes.baseAddress! + index, bytes.count - index, newline) : bytes.count
    }

    /// The keys of one mapping so far, to refuse a repeated one (libyaml's path then reports it).
    private struct DuplicateKeys {
        private var list: [String] = []
        private var set: Set<String>?

        mutating func insert(_ key: String) throws(Outside) {
            if set != nil {
                guard set!.insert(key).inserted else { throw Outside() }
                return
            }
            guard !list.contains(key) else { throw Outside() }
            list.append(key)
            if list.count > 16 { set = Set(list) }
        }
    }
}

private let newline = UInt8(ascii: "\n")
private let space = UInt8(ascii: " ")
private let hash = UInt8(ascii: "#")
private let dash = UInt8(ascii: "-")
private let dot = UInt8(ascii: ".")
private let colon = UInt8(ascii: ":")
private let comma = UInt8(ascii: ",")
private let pipe = UInt8(ascii: "|")
private let greater = UInt8(ascii: ">")
private let backslash = UInt8(ascii: "\\")
private let doubleQuote = UInt8(ascii: "\"")
private let singleQuote = UInt8(ascii: "'")
private let openBracket = UInt8(ascii: "[")
private let closeBracket = UInt8(ascii: "]")
private let openBrace = UInt8(ascii: "{")
private let closeBrace = UInt8(ascii: "}")
