/// A Mustache template, compiled once and rendered many times over typed values.
///
/// quizdoc renders thousands of pages a build with the same four templates, so it compiles
/// them to a tree of parts and renders over `TemplateValue`s: no reflection, no dynamic casts,
/// bytes appended to one buffer. The dialect is Mustache's core and inheritance modules:
/// `{{name}}` (HTML-escaped), `{{{name}}}` and `{{&name}}` (raw), dotted names and `{{.}}`,
/// `{{#section}}`, `{{^inverted}}`, `{{! comments }}`, `{{>partial}}`, `{{<parent}}` with
/// `{{$block}}` overrides, and standalone tags removed with their line. Not supported, and
/// refused with a located error: set delimiters (`{{=<% %>=}}`), lambdas, pragmas.
struct Template: Sendable {
    /// A piece of a compiled template.
    indirect enum Part: Sendable {
        case text([UInt8])
        case variable(name: [String], escaped: Bool)
        case section(name: [String], parts: [Part], inverted: Bool)
        case partial(name: String, indentation: [UInt8])
        /// `{{<name}}…{{/name}}`: the named template, with these blocks overridden.
        case parent(name: String, blocks: [String: [Part]])
        /// `{{$name}}default{{/name}}`: the caller's override, or the default.
        case block(name: String, parts: [Part])
    }

    let parts: [Part]
    /// The templates this one includes, as partials or parents (checked when loaded).
    let references: [String]

    /// A syntax error, at a 1-based line and column of the template's text.
    struct SyntaxError: Error, Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    init(_ source: String) throws(SyntaxError) {
        var parser = Parser(Array(source.utf8))
        parts = try parser.parseAll()
        references = parser.references.sorted()
    }
}

/// A value a template shows: text (escaped by `{{x}}`, as is by `{{{x}}}`), a flag for
/// `{{#x}}`/`{{^x}}`, a list a section repeats over, or an object whose keys the names inside
/// its section see first.
enum TemplateValue: Sendable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])

    /// Falsey values skip a section and show an inverted one.
    var isFalsey: Bool {
        switch self {
        case .flag(let flag): !flag
        case .list(let items): items.isEmpty
        case .text, .object: false
        }
    }
}

// MARK: - Rendering

/// Templates by name, so partials and parents can be found.
struct TemplateLibrary: Sendable {
    private(set) var templates: [String: Template] = [:]

    mutating func register(_ template: Template, named name: String) {
        templates[name] = template
    }

    /// Names a template refers to that are not registered, and reference cycles (a template
    /// that includes itself would render forever), as messages by template name.
    func problems() -> [(template: String, message: String)] {
        var found: [(String, String)] = []
        for name in templates.keys.sorted() {
            for reference in templates[name]!.references where templates[reference] == nil {
                found.append((name, "includes '\(reference)', which is not a template; create templates/site/\(reference).mustache"))
            }
            if reaches(name, from: name, seen: []) {
                found.append((name, "includes itself (through partials or parents); break the cycle"))
            }
        }
        return found
    }

    private func reaches(_ target: String, from name: String, seen: Set<String>) -> Bool {
        for reference in templates[name]?.references ?? [] {
            if reference == target { return true }
            if !seen.contains(reference), reaches(target, from: reference, seen: seen.union([reference])) { return true }
        }
        return false
    }

    /// Renders the named template over `value`, as UTF-8; an unknown name renders nothing.
    func render(_ name: String, _ value: TemplateValue) -> [UInt8] {
        guard let template = templates[name] else { return [] }
        var renderer = Renderer(library: self)
        var stack = [value]
        renderer.render(template.parts, stack: &stack, blocks: [:])
        return renderer.out
    }
}

private struct Renderer {
    let library: TemplateLibrary
    var out: [UInt8] = []

    init(library: TemplateLibrary) {
        self.library = library
        out.reserveCapacity(64 * 1024)
    }

    mutating func render(_ parts: [Template.Part], stack: inout [TemplateValue], blocks: [String: [Template.Part]]) {
        for part in parts {
            switch part {
            case .text(let bytes):
                out.append(contentsOf: bytes)
            case .variable(let name, let escaped):
                switch lookup(name, in: stack) {
                case .text(let text)?: escaped ? appendEscaped(text) : out.append(contentsOf: text.utf8)
                case .flag(let flag)?: out.append(contentsOf: (flag ? "true" : "false").utf8)
                case .list, .object, nil: break
                }
            case .section(let name, let inner, let inverted):
                let value = lookup(name, in: stack)
                if inverted {
                    if value?.isFalsey ?? true { render(inner, stack: &stack, blocks: blocks) }
                    continue
                }
                switch value {
                case .list(let items)?:
                    for item in items {
                        stack.append(item)
                        render(inner, stack: &stack, blocks: blocks)
                        stack.removeLast()
                    }
                case .flag(true)?:
                    render(inner, stack: &stack, blocks: blocks)
                case .text?, .object?:
                    stack.append(value!)
                    render(inner, stack: &stack, blocks: blocks)
                    stack.removeLast()
                case .flag(false)?, nil:
                    break
                }
            case .partial(let name, let indentation):
                guard let template = library.templates[name] else { continue }
                if indentation.isEmpty {
                    render(template.parts, stack: &stack, blocks: [:])
                } else {
                    var inner = Renderer(library: library)
                    inner.render(template.parts, stack: &stack, blocks: [:])
                    appendIndented(inner.out, indentation)
                }
            case .parent(let name, let overrides):
                guard let template = library.templates[name] else { continue }
                // The outermost override of a block wins.
                render(template.parts, stack: &stack, blocks: overrides.merging(blocks) { _, outer in outer })
            case .block(let name, let defaults):
                render(blocks[name] ?? defaults, stack: &stack, blocks: blocks)
            }
        }
    }

    /// Mustache's name resolution: the first name from the top of the stack down, the rest
    /// within what it found; `.` is the top of the stack.
    private func lookup(_ name: [String], in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = name.first else { return stack.last }
        var found: TemplateValue?
        for value in stack.reversed() {
            if case .object(let fields) = value, let field = fields[first] {
                found = field
                break
            }
        }
        for key in name.dropFirst() {
            guard case .object(let fields)? = found else { return nil }
            found = fields[key]
        }
        return found
    }

    private mutating func appendEscaped(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
    }

    /// A standalone partial's output, with its tag's indentation before every line.
    private mutating func appendIndented(_ rendered: [UInt8], _ indentation: [UInt8]) {
        var atLineStart = true
        for byte in rendered {
            if atLineStart { out.append(contentsOf: indentation) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
    }
}

// MARK: - Parsing

private struct Parser {
    let source: [UInt8]
    var index = 0
    var references: Set<String> = []

    init(_ source: [UInt8]) {
        self.source = source
    }

    /// What a tag is, from its sigil.
    enum Kind {
        case variable, raw, section, inverted, close, comment, partial, parent, block
    }

    struct Tag {
        var kind: Kind
        var name: String
        /// Where the tag starts (`{{`) and where it ends (after `}}`).
        var start: Int
        var end: Int
    }

    /// An open section, parent or block, and the parts gathered inside it so far.
    struct Open {
        var tag: Tag
        var parts: [Template.Part] = []
        var blocks: [String: [Template.Part]] = [:]
    }

    mutating func parseAll() throws(Template.SyntaxError) -> [Template.Part] {
        var open: [Open] = [Open(tag: Tag(kind: .section, name: "", start: 0, end: 0))]
        var textStart = 0
        func append(_ part: Template.Part) {
            open[open.count - 1].parts.append(part)
        }
        while let tag = try nextTag() {
            var textEnd = tag.start
            var resume = tag.end
            var indentation: [UInt8] = []
            if tag.kind != .variable, tag.kind != .raw, let line = standaloneLine(tag) {
                textEnd = line.start
                resume = line.end
                indentation = Array(source[line.start..<tag.start])
            }
            if textStart < textEnd { append(.text(Array(source[textStart..<textEnd]))) }
            textStart = resume
            index = resume
            switch tag.kind {
            case .comment:
                break
            case .variable, .raw:
                append(.variable(name: try dotted(tag), escaped: tag.kind == .variable))
            case .partial:
                references.insert(tag.name)
                append(.partial(name: tag.name, indentation: indentation))
            case .section, .inverted, .parent, .block:
                if tag.kind == .parent { references.insert(tag.name) }
                open.append(Open(tag: tag))
            case .close:
                guard open.count > 1 else {
                    throw error(at: tag.start, "'{{/\(tag.name)}}' closes nothing; remove it or open '{{#\(tag.name)}}' before it")
                }
                let closed = open.removeLast()
                guard closed.tag.name == tag.name else {
                    throw error(at: tag.start, "'{{/\(tag.name)}}' does not match the open '\(closed.tag.name)' (line \(position(closed.tag.start).line)); close that first")
                }
                switch closed.tag.kind {
                case .section, .inverted:
                    append(.section(name: try dotted(closed.tag), parts: closed.parts, inverted: closed.tag.kind == .inverted))
                case .parent:
                    append(.parent(name: closed.tag.name, blocks: closed.blocks))
                default:
                    // A block inside a parent overrides; anywhere else it is a default.
                    if open[open.count - 1].tag.kind == .parent {
                        open[open.count - 1].blocks[closed.tag.name] = closed.parts
                    } else {
                        append(.block(name: closed.tag.name, parts: closed.parts))
                    }
                }
            }
        }
        if textStart < source.count { append(.text(Array(source[textStart...]))) }
        if open.count > 1 {
            let unclosed = open[open.count - 1].tag
            throw error(at: unclosed.start, "'\(unclosed.name)' is opened here but never closed; add '{{/\(unclosed.name)}}'")
        }
        return open[0].parts
    }

    /// The next tag from `index` on, or nil at the end.
    private mutating func nextTag() throws(Template.SyntaxError) -> Tag? {
        guard let start = find([UInt8(ascii: "{"), UInt8(ascii: "{")], from: index) else { return nil }
        var cursor = start + 2
        var closing: [UInt8] = [UInt8(ascii: "}"), UInt8(ascii: "}")]
        var kind = Kind.variable
        if cursor < source.count {
            switch source[cursor] {
            case UInt8(ascii: "{"): kind = .raw; closing = Array("}}}".utf8)
            case UInt8(ascii: "&"): kind = .raw
            case UInt8(ascii: "#"): kind = .section
            case UInt8(ascii: "^"): kind = .inverted
            case UInt8(ascii: "/"): kind = .close
            case UInt8(ascii: "!"): kind = .comment
            case UInt8(ascii: ">"): kind = .partial
            case UInt8(ascii: "<"): kind = .parent
            case UInt8(ascii: "$"): kind = .block
            case UInt8(ascii: "="):
                throw error(at: start, "changing the delimiters ('{{=…=}}') is not supported; keep '{{' and '}}'")
            case UInt8(ascii: "%"):
                throw error(at: start, "pragmas ('{{%…}}') are not supported; remove it")
            default: break
            }
            if kind != .variable { cursor += 1 }
        }
        guard let end = find(closing, from: cursor) else {
            throw error(at: start, "this tag is never closed; add '\(String(decoding: closing, as: UTF8.self))'")
        }
        let name = String(decoding: source[cursor..<end], as: UTF8.self).trimmingSpaces
        if kind != .comment, name.isEmpty || name.contains(where: { $0 == "{" || $0 == "}" || $0 == " " }) {
            throw error(at: start, name.isEmpty ? "this tag has no name; write '{{name}}'" : "'\(name)' is not a name; names are words joined by dots")
        }
        return Tag(kind: kind, name: name, start: start, end: end + closing.count)
    }

    /// The line around a tag, if nothing else is on it but spaces and tabs: the span to
    /// remove, from the line's start to after its line break.
    private func standaloneLine(_ tag: Tag) -> (start: Int, end: Int)? {
        var start = tag.start
        while start > 0, source[start - 1] == UInt8(ascii: " ") || source[start - 1] == UInt8(ascii: "\t") { start -= 1 }
        guard start == 0 || source[start - 1] == UInt8(ascii: "\n") else { return nil }
        var end = tag.end
        while end < source.count, source[end] == UInt8(ascii: " ") || source[end] == UInt8(ascii: "\t") { end += 1 }
        if end == source.count { return (start, end) }
        if source[end] == UInt8(ascii: "\n") { return (start, end + 1) }
        if source[end] == UInt8(ascii: "\r"), end + 1 < source.count, source[end + 1] == UInt8(ascii: "\n") { return (start, end + 2) }
        return nil
    }

    private func dotted(_ tag: Tag) throws(Template.SyntaxError) -> [String] {
        if tag.name == "." { return [] }
        let parts = tag.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else {
            throw error(at: tag.start, "'\(tag.name)' is not a name; names are words joined by dots")
        }
        return parts
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        source[start...].firstRange(of: needle)?.lowerBound
    }

    private func position(_ offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for at in 0..<offset where source[at] == UInt8(ascii: "\n") {
            line += 1
            lineStart = at + 1
        }
        let column = String(decoding: source[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return (line, column)
    }

    private func error(at offset: Int, _ message: String) -> Template.SyntaxError {
        let (line, column) = position(offset)
        return Template.SyntaxError(line: line, column: column, message: message)
    }
}

private extension String {
    var trimmingSpaces: String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
