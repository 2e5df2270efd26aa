import CByteScan

/// A Mustache template, compiled once and rendered many times over typed values.
///
/// quizdoc renders thousands of pages a build with the same four templates, so it compiles
/// them to a tree of parts and renders over `TemplateValue`s: no reflection, no dynamic casts,
/// bytes appended to one buffer. The dialect is Mustache's core and inheritance modules:
/// `{{name}}` (HTML-escaped), `{{{name}}}` and `{{&name}}` (raw), dotted names and `{{.}}`,
/// `{{#section}}`, `{{^inverted}}`, `{{! comments }}`, `{{>partial}}`, `{{<parent}}` with
/// `{{$block}}` overrides, and standalone tags removed with their line. Not supported, and
/// refused with a located error: set delimiters (`{{=<% %>=}}`), lambdas, pragmas.
public struct Template: Sendable {
    /// A piece of a compiled template.
    /// A text or a variable is not boxed, and points into its template's storage: its copy
    /// (the renderer's, for each part it shows) retains and releases nothing.
    enum Part: Sendable {
        case text(Text)
        case variable(name: Names, escaped: Bool)
        indirect case section(name: [Name], parts: [Part], inverted: Bool)
        /// A standalone partial's `indentation` goes before every line of the partial.
        indirect case partial(name: String, indentation: [UInt8])
        /// `{{<name}}…{{/name}}`: the named template, with these blocks overridden (and,
        /// standalone, indented like a partial).
        indirect case parent(name: String, blocks: [String: [Part]], indentation: [UInt8])
        /// `{{$name}}default{{/name}}`: the caller's override, or the default. A block whose
        /// opening tag is standalone holds its content with its own indentation removed, and
        /// indents whichever content it shows by `indentation` (the spec's reindentation).
        indirect case block(name: String, parts: [Part], indentation: [UInt8])
    }

    /// One name of a dotted name, with its key (`TemplateObject.key`) made when the template
    /// is compiled rather than at each lookup.
    struct Name: Sendable {
        let text: String
        let key: UInt64

        init(_ text: String) {
            self.text = text
            key = TemplateObject.key(text)
        }
    }

    let parts: [Part]
    /// The templates this one includes, as partials or parents (checked when loaded).
    let references: [String]
    /// Where the texts and the variables' names are.
    private let storage: PartStorage

    /// A syntax error, at a 1-based line and column of the template's text.
    public struct SyntaxError: Error, Equatable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    public init(_ source: String) throws(SyntaxError) {
        var parser = Parser(Array(source.utf8))
        parts = try parser.parseAll()
        references = parser.references.sorted()
        storage = parser.storage
    }

    /// A text part's bytes, in the `PartStorage` its template keeps. An array, retained and
    /// released each time its part was shown, cost a third of the renderer's reference
    /// counting (a page's template shows a text part beside each of a question's fields).
    struct Text: @unchecked Sendable {
        let start: UnsafePointer<UInt8>
        let count: Int

        var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }
    }

    /// A variable's dotted name, in the `PartStorage` its template keeps (see `Text`).
    struct Names: @unchecked Sendable {
        let start: UnsafePointer<Name>
        let count: Int

        var names: UnsafeBufferPointer<Name> { UnsafeBufferPointer(start: start, count: count) }
    }

    /// The texts and variable names of a template's parts: written while it is parsed,
    /// read-only after, freed with the last copy of the template (which holds the parts that
    /// point here).
    final class PartStorage: @unchecked Sendable {
        private var texts: [UnsafeMutableBufferPointer<UInt8>] = []
        private var names: [UnsafeMutableBufferPointer<Name>] = []

        func store(_ bytes: some Collection<UInt8>) -> Text {
            let piece = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            _ = piece.initialize(from: bytes)
            texts.append(piece)
            return Text(start: UnsafePointer(piece.baseAddress!), count: bytes.count)
        }

        func store(_ dotted: [Name]) -> Names {
            // Room for one at least (`{{.}}` has no names): only the `count` stored are
            // deinitialized.
            let start = UnsafeMutablePointer<Name>.allocate(capacity: max(dotted.count, 1))
            start.initialize(from: dotted, count: dotted.count)
            names.append(UnsafeMutableBufferPointer(start: start, count: dotted.count))
            return Names(start: UnsafePointer(start), count: dotted.count)
        }

        deinit {
            for piece in texts { piece.deallocate() }
            for piece in names {
                piece.baseAddress!.deinitialize(count: piece.count)
                piece.baseAddress!.deallocate()
            }
        }
    }
}

/// A value a template shows: text (escaped by `{{x}}`, as is by `{{{x}}}`), a flag for
/// `{{#x}}`/`{{^x}}`, a list a section repeats over, or an object whose keys the names inside
/// its section see first.
public enum TemplateValue: Sendable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case object(TemplateObject)

    /// The value of a name of an object; nil for anything else.
    func field(_ name: Template.Name) -> TemplateValue? {
        guard case .object(let fields) = self else { return nil }
        return fields[name]
    }

    /// Falsey values skip a section and show an inverted one.
    public var isFalsey: Bool {
        switch self {
        case .flag(let flag): !flag
        case .list(let items): items.isEmpty
        case .text, .object: false
        }
    }
}

/// An object's names and their values. A page's objects have a few dozen names at most, and
/// a lookup scans their keys, numbers made from the names (`key`) that a compiled template
/// holds ready: no hashing per lookup, one allocation per object (a `Dictionary` hashed every
/// name of every object made, and every name looked up in it).
public struct TemplateObject: Sendable, ExpressibleByDictionaryLiteral {
    /// A struct, not a tuple: an array of tuples is destroyed through the runtime's generic
    /// tuple witness, element by element (with YAML's pairs, 0.6 % of a full build's
    /// instructions).
    private struct Entry {
        let key: UInt64
        let name: String
        var value: TemplateValue
    }

    private var entries: [Entry] = []

    public init() {}

    /// The object with these names, each with the value at its index: no name hashed or
    /// looked for again.
    public init(_ names: TemplateNames, _ values: [TemplateValue]) {
        precondition(names.keys.count == values.count, "a value for each name")
        entries.reserveCapacity(values.count)
        for index in values.indices { entries.append(Entry(key: names.keys[index], name: names.names[index], value: values[index])) }
    }

    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        entries.reserveCapacity(elements.count)
        for (name, value) in elements { self[name] = value }
    }

    public init(_ dictionary: [String: TemplateValue]) {
        for (name, value) in dictionary { entries.append(Entry(key: Self.key(name), name: name, value: value)) }
    }

    /// The value of a name; setting nil removes it.
    public subscript(name: String) -> TemplateValue? {
        get { index(Self.key(name), name).map { entries[$0].value } }
        set {
            let key = Self.key(name)
            switch (index(key, name), newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append(Entry(key: key, name: name, value: value))
            case (nil, nil): break
            }
        }
    }

    /// The same names and values as a dictionary.
    public var dictionary: [String: TemplateValue] {
        Dictionary(entries.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    subscript(name: Template.Name) -> TemplateValue? {
        index(name.key, name.text).map { entries[$0].value }
    }

    private func index(_ key: UInt64, _ name: String) -> Int? {
        entries.firstIndex { $0.key == key && $0.name == name }
    }

    /// FNV-1a over the name's UTF-8 (contiguous: `String.UTF8View` checks each index).
    static func key(_ name: String) -> UInt64 {
        var name = name
        return name.withUTF8 { bytes in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
            return hash
        }
    }
}

/// The names of objects of one kind (a page's questions), each hashed (`TemplateObject.key`)
/// once for them all: made for each question, its 15 names were hashed, and each looked for
/// among the ones before it.
public struct TemplateNames: Sendable {
    fileprivate let names: [String]
    fileprivate let keys: [UInt64]

    /// Each name once.
    public init(_ names: [String]) {
        precondition(Set(names).count == names.count, "each name once")
        self.names = names
        keys = names.map(TemplateObject.key)
    }
}

// MARK: - Rendering

/// Templates by name, so partials and parents can be found.
public struct TemplateLibrary: Sendable {
    private(set) var templates: [String: Template] = [:]

    public init() {}

    public mutating func register(_ template: Template, named name: String) {
        templates[name] = template
    }

    /// What keeps a library from rendering: a template that includes a name that is not
    /// registered, or one that includes itself (it would render forever).
    public enum Problem: Equatable, Sendable {
        case missing(String)
        case cycle
    }

    /// Every problem, by template name, sorted.
    public func problems() -> [(template: String, problem: Problem)] {
        var found: [(String, Problem)] = []
        for name in templates.keys.sorted() {
            for reference in templates[name]!.references where templates[reference] == nil {
                found.append((name, .missing(reference)))
            }
            if reaches(name, from: name, seen: []) {
                found.append((name, .cycle))
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
    /// `capacity`: room made for the output at once, for a caller that knows about how long
    /// it will be (a page of 700 KB grown by doubling was copied 1.4 MB on the way).
    public func render(_ name: String, _ value: TemplateValue, capacity: Int = 0) -> [UInt8] {
        render(name, value, capacity: capacity, list: nil).bytes
    }

    /// `render`, with where the elements of `list` went in the output (`ListLayout`), and
    /// the bytes of each element that `list` says is unchanged taken from its last render
    /// rather than rendered again.
    public func render(_ name: String, _ value: TemplateValue, capacity: Int = 0, list: ListReuse?) -> ListRender {
        guard let template = templates[name] else { return ListRender(bytes: [], layout: nil, tookEveryUnchanged: true) }
        var renderer = Renderer(library: self, capacity: capacity)
        renderer.list = list
        renderer.layout = list.map { _ in ListLayout() }
        var stack = [value]
        renderer.render(template.parts, stack: &stack, blocks: [:])
        return ListRender(bytes: renderer.out.take(), layout: renderer.layout, tookEveryUnchanged: !renderer.missedUnchanged)
    }
}

/// A render with a `ListReuse`.
public struct ListRender: Sendable {
    public var bytes: [UInt8]
    /// Where the list's elements went; nil when it was shown where its elements cannot be
    /// taken next time (indented).
    public var layout: ListLayout?
    /// Whether every element said unchanged was taken from the last render, and the list
    /// shown nowhere else: a caller that put a stand-in for each unchanged element (rather
    /// than make a value it would not show) has its page only then, and renders again with
    /// the values otherwise.
    public var tookEveryUnchanged: Bool
}

/// Where the elements of one list went in a render's output: each element's start and end,
/// for every section over the list in the order they were rendered.
public struct ListLayout: Sendable, Equatable {
    public var bounds: [Int] = []

    public init(bounds: [Int] = []) {
        self.bounds = bounds
    }
}

/// What a render may take from the last render of the same template: the bytes of each
/// element of the list named `name` in the value rendered (a section over it at the top of the
/// context, as `{{#name}}` outside any other section) that did not change since.
///
/// The caller vouches that everything but the list's elements is as it was then (the same
/// template and partials, the same other values) and that `previous` and `layout` are that
/// render's output and layout; an element is then taken where `unchanged(index)`, its bounds
/// lie in `previous`, and nothing is indented there (a standalone partial's indentation can
/// depend on where the element before it ended). Anything else is rendered.
public struct ListReuse: Sendable {
    public var name: String
    public var previous: [UInt8]
    public var layout: ListLayout
    public var unchanged: @Sendable (Int) -> Bool

    public init(name: String, previous: [UInt8], layout: ListLayout, unchanged: @escaping @Sendable (Int) -> Bool) {
        (self.name, self.previous, self.layout, self.unchanged) = (name, previous, layout, unchanged)
    }
}

/// A render's output: bytes copied into room made ahead, and the array truncated to them at
/// the end. The standard library's append of a run goes through its path for any sequence,
/// some 90 instructions a call besides the copy, and a page's render appends a few hundred
/// runs (its texts and values). QuizDocKit's `ByteBuffer` is the same buffer: one public type
/// for both modules, its methods `@inlinable`, cost 0.5–0.7 % of a full build's instructions
/// (the renderer's appends and lookups no longer inlined), so each module keeps its own.
struct OutputBuffer {
    /// `count` bytes written, then room: bytes never written nor read (zeroing a page's room
    /// ahead cost more than the appends saved).
    private var storage: [UInt8]
    private(set) var count = 0

    init(capacity: Int) {
        storage = Self.room(max(capacity, 64))
    }

    private static func room(_ size: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
    }

    var last: UInt8? { count > 0 ? storage[count - 1] : nil }

    mutating func append(_ byte: UInt8) {
        if count == storage.count { grow(to: count + 1) }
        storage[count] = byte
        count += 1
    }

    mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let source = run.baseAddress, !run.isEmpty else { return }
        if count + run.count > storage.count { grow(to: count + run.count) }
        let start = count
        storage.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: start).update(from: source, count: run.count) }
        count += run.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// The bytes, the buffer left empty.
    mutating func take() -> [UInt8] {
        var bytes = storage
        storage = []
        bytes.removeLast(bytes.count - count)
        count = 0
        return bytes
    }

    private mutating func grow(to needed: Int) {
        var grown = Self.room(max(needed, 2 * storage.count))
        let used = count
        storage.withUnsafeBufferPointer { old in
            grown.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: old.baseAddress!, count: used) }
        }
        storage = grown
    }
}

private struct Renderer {
    let library: TemplateLibrary
    var out: OutputBuffer
    /// The list whose elements' bounds are recorded (`layout`), and may be taken from the last render.
    var list: ListReuse?
    /// Nil once an element of the list was rendered indented: such a layout cannot be reused.
    var layout: ListLayout?
    /// An element said unchanged was rendered, or the list shown where its elements are not
    /// taken (`ListRender.tookEveryUnchanged`).
    var missedUnchanged = false
    /// What goes before every line inside standalone partials, parents and blocks.
    private var indentation: [UInt8] = []
    /// Whether the next byte starts a line of the template (interpolated values never start one).
    private var atLineStart = true

    init(library: TemplateLibrary, capacity: Int) {
        self.library = library
        out = OutputBuffer(capacity: max(capacity, 64 * 1024))
    }

    mutating func render(_ parts: [Template.Part], stack: inout [TemplateValue], blocks: [String: [Template.Part]]) {
        for part in parts {
            switch part {
            case .text(let text):
                appendText(text.bytes)
            case .variable(let name, let escaped):
                switch stack.withUnsafeBufferPointer({ Self.lookup(name.names, in: $0) }) {
                case .text(let text)?:
                    guard !text.isEmpty else { break }
                    startLine()
                    if escaped {
                        HTML.appendEscaped(text) { out.append($0) }
                    } else {
                        // Over the contiguous UTF-8 (a page's raw HTML, most of its bytes): the
                        // `String.UTF8View` path cost three times more a value. In place:
                        // `withUTF8` wants a `var`, whose copy retained and released the text.
                        if text.utf8.withContiguousStorageIfAvailable({ out.append($0) }) == nil {
                            var text = text
                            text.withUTF8 { out.append($0) }
                        }
                    }
                case .flag(let flag)?:
                    startLine()
                    let word: StaticString = flag ? "true" : "false"
                    word.withUTF8Buffer { out.append($0) }
                case .list, .object, nil: break
                }
            case .section(let name, let inner, let inverted):
                let value = stack.withUnsafeBufferPointer { Self.lookup(name, in: $0) }
                if inverted {
                    if value?.isFalsey ?? true { render(inner, stack: &stack, blocks: blocks) }
                    continue
                }
                switch value {
                case .list(let items)?:
                    let named = list.map { name.count == 1 && name[0].text == $0.name } ?? false
                    if named, let list, stack.count == 1 {
                        renderElements(items, of: list, inner, stack: &stack, blocks: blocks)
                    } else {
                        // Inside another section, a list of the reused list's name may be it.
                        missedUnchanged = missedUnchanged || named
                        for item in items { render(item, inner, stack: &stack, blocks: blocks) }
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
            case .partial(let name, let extra):
                guard let template = library.templates[name] else { continue }
                indented(extra) { $0.render(template.parts, stack: &stack, blocks: [:]) }
            case .parent(let name, let overrides, let extra):
                guard let template = library.templates[name] else { continue }
                // The outermost override of a block wins.
                indented(extra) { $0.render(template.parts, stack: &stack, blocks: overrides.merging(blocks) { _, outer in outer }) }
            case .block(let name, let defaults, let extra):
                indented(extra) { $0.render(blocks[name] ?? defaults, stack: &stack, blocks: blocks) }
            }
        }
    }

    /// A section's parts for one element of its list, the element on top of the stack.
    private mutating func render(_ item: TemplateValue, _ inner: [Template.Part], stack: inout [TemplateValue],
                                 blocks: [String: [Template.Part]]) {
        stack.append(item)
        render(inner, stack: &stack, blocks: blocks)
        stack.removeLast()
    }

    /// The elements of the list `ListReuse` names, each taken from the last render when it can
    /// be (see there), their bounds recorded.
    private mutating func renderElements(_ items: [TemplateValue], of list: ListReuse, _ inner: [Template.Part],
                                         stack: inout [TemplateValue], blocks: [String: [Template.Part]]) {
        guard indentation.isEmpty else {
            layout = nil
            missedUnchanged = missedUnchanged || items.indices.contains(where: list.unchanged)
            for item in items { render(item, inner, stack: &stack, blocks: blocks) }
            return
        }
        for (index, item) in items.enumerated() {
            let start = out.count
            // Where the last render put this element: its layout's next bounds.
            let recorded = layout.map { $0.bounds.count } ?? -1
            let last = list.layout.bounds
            if recorded >= 0, recorded + 1 < last.count, list.unchanged(index),
               0 <= last[recorded], last[recorded] <= last[recorded + 1], last[recorded + 1] <= list.previous.count {
                out.append(list.previous[last[recorded]..<last[recorded + 1]])
                atLineStart = out.last == UInt8(ascii: "\n")
            } else {
                missedUnchanged = missedUnchanged || list.unchanged(index)
                render(item, inner, stack: &stack, blocks: blocks)
            }
            layout?.bounds.append(contentsOf: [start, out.count])
        }
    }

    /// Renders with `extra` added to the indentation, from the start of a line.
    private mutating func indented(_ extra: [UInt8], _ body: (inout Renderer) -> Void) {
        guard !extra.isEmpty else { return body(&self) }
        let outer = indentation
        indentation += extra
        atLineStart = true
        body(&self)
        indentation = outer
    }

    @inline(__always)
    private mutating func startLine() {
        if atLineStart {
            out.append(indentation)
            atLineStart = false
        }
    }

    private mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !indentation.isEmpty else {
            out.append(bytes)
            atLineStart = bytes.last == UInt8(ascii: "\n")
            return
        }
        for byte in bytes {
            startLine()
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
    }

    /// Mustache's name resolution: the first name from the top of the stack down, the rest
    /// within what it found; `.` is the top of the stack.
    /// (Over the stack's buffer: passed as an array, the stack was retained for every tag.)
    private static func lookup(_ name: some Collection<Template.Name>, in stack: UnsafeBufferPointer<TemplateValue>)
        -> TemplateValue? {
        guard let first = name.first else { return stack.last }
        // Each value asked where it is (`field`): bound to a name, each was copied, what it
        // holds retained and released again, at every level of the stack for every tag.
        var found: TemplateValue?
        var level = stack.count
        while level > 0 {
            level -= 1
            if let field = stack[level].field(first) {
                found = field
                break
            }
        }
        for key in name.dropFirst() {
            found = found?.field(key)
            if found == nil { return nil }
        }
        return found
    }
}

// MARK: - Parsing

private struct Parser {
    let source: [UInt8]
    var index = 0
    var references: Set<String> = []
    let storage = Template.PartStorage()

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
        /// A standalone opening tag (its line removed), with the white space before it.
        var standalone: [UInt8]?
    }

    /// Tags that stand alone on their line together, like `{{<parent}}{{$block}}`: the
    /// spec lets parent and block tags (and their closing tags) share a standalone line.
    struct Run {
        var tags: [Tag]
        /// The line's start and the end of what is removed: after its line break, or, for
        /// a block opened and closed on the line, after the last tag (the break stays).
        var lineStart: Int
        var removedEnd: Int
        var next = 0
    }

    mutating func parseAll() throws(Template.SyntaxError) -> [Template.Part] {
        var open: [Open] = [Open(tag: Tag(kind: .section, name: "", start: 0, end: 0))]
        var textStart = 0
        var run: Run?
        func append(_ part: Template.Part) {
            open[open.count - 1].parts.append(part)
        }
        while let tag = try nextTag() {
            var textEnd = tag.start
            var resume = tag.end
            var indentation: [UInt8]?
            if run == nil { run = try standaloneRun(tag, open: open) }
            if var current = run {
                indentation = Array(source[current.lineStart..<current.tags[0].start])
                if current.next == 0 { textEnd = current.lineStart }
                current.next += 1
                if current.next == current.tags.count {
                    resume = current.removedEnd
                    run = nil
                } else {
                    resume = current.tags[current.next].start
                    run = current
                }
            } else if tag.kind != .variable, tag.kind != .raw, let line = standaloneLine(tag) {
                textEnd = line.start
                resume = line.end
                indentation = Array(source[line.start..<tag.start])
            }
            if textStart < textEnd { append(.text(storage.store(source[textStart..<textEnd]))) }
            textStart = resume
            index = resume
            switch tag.kind {
            case .comment:
                break
            case .variable, .raw:
                append(.variable(name: storage.store(try dotted(tag)), escaped: tag.kind == .variable))
            case .partial:
                references.insert(tag.name)
                append(.partial(name: tag.name, indentation: indentation ?? []))
            case .section, .inverted, .parent, .block:
                if tag.kind == .parent { references.insert(tag.name) }
                open.append(Open(tag: tag, standalone: indentation))
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
                    append(.parent(name: closed.tag.name, blocks: closed.blocks, indentation: closed.standalone ?? []))
                default:
                    // Block indentation is removed where the block is written and added
                    // where it is shown: by its content's first line, or its tag's when empty.
                    var parts = closed.parts
                    var blockIndentation: [UInt8] = []
                    if let tagIndentation = closed.standalone {
                        blockIndentation = Self.firstLineIndentation(parts) ?? tagIndentation
                        var atLineStart = true
                        parts = Self.removing(blockIndentation, from: parts, atLineStart: &atLineStart, storage: storage)
                    }
                    // A block inside a parent overrides; anywhere else it is a default.
                    if open[open.count - 1].tag.kind == .parent {
                        open[open.count - 1].blocks[closed.tag.name] = parts
                    } else {
                        append(.block(name: closed.tag.name, parts: parts, indentation: blockIndentation))
                    }
                }
            }
        }
        if textStart < source.count { append(.text(storage.store(source[textStart...]))) }
        if open.count > 1 {
            let unclosed = open[open.count - 1].tag
            throw error(at: unclosed.start, "'\(unclosed.name)' is opened here but never closed; add '{{/\(unclosed.name)}}'")
        }
        return open[0].parts
    }

    /// Two or more parent, block, closing or comment tags alone on a line (closing tags only
    /// of parents and blocks), which the spec treats as one standalone tag.
    private mutating func standaloneRun(_ first: Tag, open: [Open]) throws(Template.SyntaxError) -> Run? {
        let allowed: Set<Kind> = [.parent, .block, .close, .comment]
        guard allowed.contains(first.kind) else { return nil }
        var lineStart = first.start
        while lineStart > 0, source[lineStart - 1] == UInt8(ascii: " ") || source[lineStart - 1] == UInt8(ascii: "\t") { lineStart -= 1 }
        guard lineStart == 0 || source[lineStart - 1] == UInt8(ascii: "\n") else { return nil }
        var tags = [first]
        var kinds = open.map(\.tag.kind)
        let saved = index
        defer { index = saved }
        var cursor = first.end
        while true {
            if tags.last!.kind == .close {
                guard let closed = kinds.popLast(), closed == .parent || closed == .block else { return nil }
            } else if tags.last!.kind != .comment {
                kinds.append(tags.last!.kind)
            }
            while cursor < source.count, source[cursor] == UInt8(ascii: " ") || source[cursor] == UInt8(ascii: "\t") { cursor += 1 }
            guard cursor + 1 < source.count, source[cursor] == UInt8(ascii: "{"), source[cursor + 1] == UInt8(ascii: "{") else { break }
            index = cursor
            guard let tag = try nextTag(), tag.start == cursor, allowed.contains(tag.kind) else { return nil }
            tags.append(tag)
            cursor = tag.end
        }
        guard tags.count > 1 else { return nil }
        var lineEnd: Int
        if cursor == source.count {
            lineEnd = cursor
        } else if source[cursor] == UInt8(ascii: "\n") {
            lineEnd = cursor + 1
        } else if source[cursor] == UInt8(ascii: "\r"), cursor + 1 < source.count, source[cursor + 1] == UInt8(ascii: "\n") {
            lineEnd = cursor + 2
        } else {
            return nil
        }
        // `{{$block}}{{/block}}`: the block takes the line's place, and its line break stays.
        if tags.count == 2, tags[0].kind == .block, tags[1].kind == .close { lineEnd = tags[1].end }
        return Run(tags: tags, lineStart: lineStart, removedEnd: lineEnd)
    }

    /// The spaces and tabs that open a block's first line; nil when the block is empty.
    private static func firstLineIndentation(_ parts: [Template.Part]) -> [UInt8]? {
        guard let first = parts.first else { return nil }
        guard case .text(let text) = first else { return [] }
        return Array(text.bytes.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
    }

    /// The parts with `prefix` removed from the start of each line they write, and from the
    /// indentation of the standalone partials, parents and blocks among them.
    private static func removing(_ prefix: [UInt8], from parts: [Template.Part], atLineStart: inout Bool,
                                 storage: Template.PartStorage) -> [Template.Part] {
        guard !prefix.isEmpty else { return parts }
        func trimmed(_ indentation: [UInt8]) -> [UInt8] {
            indentation.starts(with: prefix) ? Array(indentation.dropFirst(prefix.count)) : indentation
        }
        return parts.map { part in
            switch part {
            case .text(let text):
                let bytes = text.bytes
                var out: [UInt8] = []
                var index = 0
                while index < bytes.count {
                    if atLineStart, bytes[index...].starts(with: prefix) { index += prefix.count }
                    guard index < bytes.count else { break }
                    out.append(bytes[index])
                    atLineStart = bytes[index] == UInt8(ascii: "\n")
                    index += 1
                }
                return .text(storage.store(out))
            case .variable:
                atLineStart = false
                return part
            case .section(let name, let inner, let inverted):
                return .section(name: name, parts: removing(prefix, from: inner, atLineStart: &atLineStart, storage: storage),
                                inverted: inverted)
            case .partial(let name, let indentation):
                atLineStart = !indentation.isEmpty
                return .partial(name: name, indentation: trimmed(indentation))
            case .parent(let name, let blocks, let indentation):
                atLineStart = !indentation.isEmpty
                return .parent(name: name, blocks: blocks, indentation: trimmed(indentation))
            case .block(let name, let inner, let indentation):
                atLineStart = !indentation.isEmpty
                return .block(name: name, parts: inner, indentation: trimmed(indentation))
            }
        }
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
        if kind == .partial || kind == .parent, name.hasPrefix("*") {
            throw error(at: start, "dynamic names ('{{>*name}}') are not supported; name the template itself")
        }
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

    private func dotted(_ tag: Tag) throws(Template.SyntaxError) -> [Template.Name] {
        if tag.name == "." { return [] }
        let parts = tag.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else {
            throw error(at: tag.start, "'\(tag.name)' is not a name; names are words joined by dots")
        }
        return parts.map(Template.Name.init)
    }

    /// Where `needle` first starts at or after `start`, by a plain scan for its first byte.
    /// (`firstRange(of:)`, generic across the module boundary, cost some 30,000 instructions
    /// a call: 11 M for a theme's templates, on every build.)
    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first else { return start <= source.count ? start : nil }
        return source.withUnsafeBufferPointer { buffer -> Int? in
            var at = start
            while at + needle.count <= buffer.count {
                if buffer[at] == first, needle.indices.allSatisfy({ buffer[at + $0] == needle[$0] }) { return at }
                at += 1
            }
            return nil
        }
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

/// HTML escaping, as `{{name}}` does it: for element content and for double- or
/// single-quoted attribute values.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The runs between the escaped characters are copied whole, not byte by byte; a run is
    /// found sixteen bytes at a time (`CByteScan`: most values hold nothing to escape).
    public static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        appendEscaped(text) { out.append(contentsOf: $0) }
    }

    /// Calls `append` with each run of the escaped text.
    @inline(__always)
    static func appendEscaped(_ text: String, _ append: (UnsafeBufferPointer<UInt8>) -> Void) {
        // In place: `withUTF8` wants a `var`, whose copy retained and released the text.
        if text.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, append) }) == nil {
            var text = text
            text.withUTF8 { appendEscaped($0, append) }
        }
    }

    @inline(__always)
    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, _ append: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let base = bytes.baseAddress else { return }
        var index = 0
        while true {
            let runEnd = index + quizdoc_html_plain_run(base + index, bytes.count - index)
            append(UnsafeBufferPointer(rebasing: bytes[index..<runEnd]))
            guard runEnd < bytes.count else { return }
            let entity: StaticString = switch bytes[runEnd] {
            case UInt8(ascii: "&"): "&amp;"
            case UInt8(ascii: "<"): "&lt;"
            case UInt8(ascii: ">"): "&gt;"
            case UInt8(ascii: "\""): "&quot;"
            default: "&#39;"
            }
            entity.withUTF8Buffer { append($0) }
            index = runEnd + 1
        }
    }
}
