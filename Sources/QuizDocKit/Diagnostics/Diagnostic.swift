import CByteScan

/// One problem found in the input, with its place, its severity and a message that says
/// what is wrong and how to fix it.
public struct Diagnostic: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, Error {
    public enum Severity: String, Sendable, Comparable, Codable {
        case error
        case warning

        public static func < (a: Severity, b: Severity) -> Bool {
            a == .error && b == .warning
        }
    }

    public var severity: Severity {
        get { parts.severity }
        set { parts = Parts(newValue, location, message, rule, tokens: nil) }
    }
    public var location: SourceLocation {
        get { parts.location }
        set { parts = Parts(severity, newValue, message, rule, tokens: nil) }
    }
    public var message: String {
        get { parts.message }
        set { parts = Parts(severity, location, newValue, rule, tokens: nil) }
    }
    /// The lint rule that found it (`key-position`), printed after the message like a
    /// compiler's `[-Wname]`; nil for everything else.
    public var rule: String? {
        get { parts.rule }
        set { parts = Parts(severity, location, message, newValue, tokens: nil) }
    }
    /// The manifest tokens it was read from, which write it again as they are: a course's
    /// thousands of warnings, each read from the last build's manifest, were each encoded
    /// again for the next (`Manifest.prepared`). Dropped when a part changes; not part of
    /// what a diagnostic is (not compared, hashed or encoded).
    var tokens: ArraySlice<UInt8>? { parts.tokens }

    /// The parts, held once however often the diagnostic is copied: a course's thousands of
    /// warnings are copied from the last build's records into a run's bag, sorted, saved and
    /// printed, and each copy of the parts themselves retained four references.
    private final class Parts: Sendable {
        let severity: Severity
        let location: SourceLocation
        let message: String
        let rule: String?
        let tokens: ArraySlice<UInt8>?

        init(_ severity: Severity, _ location: SourceLocation, _ message: String, _ rule: String?, tokens: ArraySlice<UInt8>?) {
            self.severity = severity
            self.location = location
            self.message = message
            self.rule = rule
            self.tokens = tokens
        }
    }

    private var parts: Parts

    private enum CodingKeys: String, CodingKey {
        case severity, location, message, rule
    }

    public init(_ severity: Severity, at location: SourceLocation, _ message: String, rule: String? = nil) {
        parts = Parts(severity, location, message, rule, tokens: nil)
    }

    init(_ severity: Severity, at location: SourceLocation, _ message: String, rule: String?, tokens: ArraySlice<UInt8>) {
        parts = Parts(severity, location, message, rule, tokens: tokens)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(Severity.self, forKey: .severity), at: try container.decode(SourceLocation.self, forKey: .location),
                  try container.decode(String.self, forKey: .message), rule: try container.decodeIfPresent(String.self, forKey: .rule))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(severity, forKey: .severity)
        try container.encode(location, forKey: .location)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(rule, forKey: .rule)
    }

    public static func == (a: Diagnostic, b: Diagnostic) -> Bool {
        a.parts === b.parts || (a.severity, a.location, a.message, a.rule) == (b.severity, b.location, b.message, b.rule)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(severity)
        hasher.combine(location)
        hasher.combine(message)
        hasher.combine(rule)
    }

    public static func error(at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: location, message)
    }

    public static func warning(at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: location, message)
    }

    /// The bytes of its texts (path, message, rule): with a few more for its numbers and
    /// punctuation, the room its line or its manifest tokens take, made at once for a
    /// course's thousands of warnings rather than grown by doubling.
    public var textByteCount: Int {
        location.path.utf8.count + message.utf8.count + (rule?.utf8.count ?? 0)
    }

    /// `path:line:col: error: message`, the shape compilers use, so editors can jump to it.
    /// File names and values in it come from the input, so every control, bidirectional
    /// and line-separator character is shown escaped (`\u{1B}`): none can forge, hide or
    /// erase a line on the reader's terminal.
    public var description: String {
        Self.visible("\(location.description): \(severity.rawValue): \(message)" + (rule.map { " [\($0)]" } ?? ""))
    }

    /// Each diagnostic's line (`description` and a line break), in order, in room made at
    /// once and prefaulted: a course's thousands of warnings are printed on every build, and
    /// each line took a dozen `Array.append(contentsOf:)` (some 60 instructions a call
    /// besides the copy).
    public static func lines(_ diagnostics: [Diagnostic]) -> [UInt8] {
        var lines = ByteBuffer(capacity: diagnostics.reduce(0) { $0 + $1.textByteCount + 48 }, prefaulted: true)
        // By index: each written where it is, not copied out first (five strings each).
        for index in diagnostics.indices { diagnostics[index].appendLine(to: &lines) }
        return lines.take()
    }

    /// `description` and a line break, appended to `bytes`: made straight from the parts when
    /// they hold nothing `visible` escapes, as most do (a course's thousands of warnings are
    /// printed on every build, and a string made for each was a tenth of a build with nothing
    /// to do).
    func appendLine(to bytes: inout ByteBuffer) {
        let start = bytes.count
        // From the parts where they are, without copying the texts out (each copy a retain
        // and a release, five for each of a course's thousands of warnings).
        let parts = parts
        bytes.append(parts.location.path)
        bytes.append(UInt8(ascii: ":"))
        Self.appendDecimal(parts.location.line, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.appendDecimal(parts.location.column, to: &bytes)
        let tag: StaticString = parts.severity == .error ? ": error: " : ": warning: "
        bytes.append(UnsafeBufferPointer(start: tag.utf8Start, count: tag.utf8CodeUnitCount))
        bytes.append(parts.message)
        if let rule = parts.rule {
            let open: StaticString = " ["
            bytes.append(UnsafeBufferPointer(start: open.utf8Start, count: open.utf8CodeUnitCount))
            bytes.append(rule)
            bytes.append(UInt8(ascii: "]"))
        }
        // Printable ASCII, or other text with nothing `visible` would escape (an en dash, an
        // accented letter), is the line as it is.
        let visible = bytes.withUnsafeBufferPointer { line in
            let base = line.baseAddress! + start, count = line.count - start
            let ascii = quizdoc_printable_ascii_run(base, count)
            return ascii == count || quizdoc_visible_utf8_run(base + ascii, count - ascii) == count - ascii
        }
        if !visible {
            bytes.removeLast(bytes.count - start)
            bytes.append(description)
        }
        bytes.append(0x0A)
    }

    /// `value` in decimal, its digits written from the right in room on the stack and
    /// appended at once (a digit at a time, two numbers were a third of a line's cost).
    private static func appendDecimal(_ value: Int, to bytes: inout ByteBuffer) {
        guard value >= 0 else { return bytes.append(String(value)) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { room in
            var magnitude = value, start = room.count
            repeat {
                start -= 1
                room[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(UnsafeBufferPointer(rebasing: room.assumingMemoryBound(to: UInt8.self)[start...]))
        }
    }

    /// `text` with every character that could change how a terminal or an editor shows it
    /// written as a visible escape.
    public static func visible(_ text: String) -> String {
        // Printable ASCII, most messages, is visible as it is: no look at each scalar.
        var bytes = text
        let printable = bytes.withUTF8 { $0.allSatisfy { (0x20..<0x7F).contains($0) } }
        guard !printable, text.unicodeScalars.contains(where: isInvisible) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isInvisible(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF, 0xFFF9...0xFFFB: true
        default: false
        }
    }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.location, a.severity, a.message) < (b.location, b.severity, b.message)
    }
}

/// Collects the diagnostics of one run. Stages add to it and go on, so a run reports every
/// problem at once instead of stopping at the first.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(.error(at: location, message))
    }

    public mutating func warning(_ location: SourceLocation, _ message: String) {
        diagnostics.append(.warning(at: location, message))
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }

    public var hasErrors: Bool { diagnostics.containsErrors }

    /// Sorted (`Diagnostic.<`, equal ones in the order they were found) and without
    /// repeats, ready to print.
    public var sorted: [Diagnostic] {
        // By numbers (the path's rank among the paths, line, column, severity), the messages
        // compared only where those tie: a course's thousands of warnings were sorted as
        // tuples of strings, each comparison copying both diagnostics.
        let diagnostics = diagnostics
        // They come in runs from one file, the runs mostly in the order of their paths (the
        // phases'): the runs sorted by path (a sort that finds the order nearly there), each
        // path ranked by its place among the distinct ones, without hashing a path.
        // (By index, here and below: a loop over the diagnostics copied each one.)
        var runs: [(path: String, end: Int)] = []
        for index in diagnostics.indices {
            let path = diagnostics[index].location.path
            if let last = runs.last, last.path == path {
                runs[runs.count - 1].end = index + 1
            } else {
                runs.append((path, index + 1))
            }
        }
        var runRanks = [Int](repeating: 0, count: runs.count)
        var rank = -1
        var previous: String?
        for run in runs.indices.sorted(by: { runs[$0].path < runs[$1].path }) {
            if runs[run].path != previous {
                rank += 1
                previous = runs[run].path
            }
            runRanks[run] = rank
        }
        struct Key {
            var place: (path: Int, line: Int, column: Int, severity: Int)
            var index: Int
        }
        var run = 0
        let keys = diagnostics.indices.map { index in
            if index == runs[run].end { run += 1 }
            let location = diagnostics[index].location
            return Key(place: (runRanks[run], location.line, location.column, diagnostics[index].severity == .error ? 0 : 1), index: index)
        }.sorted { a, b in
            if a.place != b.place { return a.place < b.place }
            let (x, y) = (diagnostics[a.index].message, diagnostics[b.index].message)
            return x != y ? x < y : a.index < b.index
        }
        // Repeats dropped: the same as through a `Set`, without hashing every message. A
        // repeat sorts among the last ones kept with the same place and message.
        var result: [Diagnostic] = []
        result.reserveCapacity(diagnostics.count)
        var tiedFrom = 0
        for (position, key) in keys.enumerated() {
            let diagnostic = diagnostics[key.index]
            if position > 0, keys[position - 1].place != key.place || diagnostics[keys[position - 1].index].message != diagnostic.message {
                tiedFrom = result.count
            }
            if !result[tiedFrom...].contains(diagnostic) { result.append(diagnostic) }
        }
        return result
    }
}

extension Sequence where Element == Diagnostic {
    /// Whether any of them is an error: a run, a file or a report that has one failed.
    var containsErrors: Bool { contains { $0.severity == .error } }
}
