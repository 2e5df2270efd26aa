import CByteScan
import Foundation

/// A small binary-safe text format: a stream of tokens, each followed by one space or line
/// break. A number is written in decimal; a text as its byte count, `:`, then its bytes, so
/// any text (spaces, line breaks, quotes) round-trips without escaping.
///
/// `TokenWriter.sealed` frames the tokens with their length and a checksum, and
/// `TokenReader(sealed:)` refuses any framed stream that was truncated, extended or changed
/// (`Checksum` detects every change of a single byte, and the length every cut), so a
/// reader never acts on part of a file.
///
/// Not JSON: quizdoc reads its build manifest on every build, and Foundation's JSON decoder
/// spent over half of a no-op build on it. This format reads at memory speed and stays
/// readable enough to debug with a pager.
public struct TokenWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
        let room = bytes.capacity
        bytes.withUnsafeMutableBufferPointer { quizdoc_prefault($0.baseAddress, room) }
    }

    public mutating func int(_ value: Int) { int(Int64(value)) }

    public mutating func int(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(value.magnitude, then: UInt8(ascii: " "))
    }

    public mutating func int(_ value: UInt64) { digits(value, then: UInt8(ascii: " ")) }

    /// Digits by hand, on a concrete type: `String(value)` went through the generic radix
    /// formatter, and a generic `BinaryInteger` version (not specialized across this
    /// module's boundary) cost a tenth of a one-question edit in writing the manifest.
    private mutating func digits(_ value: UInt64, then terminator: UInt8) {
        // Most numbers are below 100: one or two bytes, no loop.
        if value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
        } else if value < 100 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10))
        } else {
            // Written from the right into room for the 20 digits of UInt64.max, then appended
            // at once (a file's time in nanoseconds has 19, and a manifest holds thousands).
            var magnitude = value
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &digits) { buffer in
                var start = 20
                repeat {
                    start -= 1
                    buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<20]))
            }
        }
        bytes.append(terminator)
    }

    public mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            digits(UInt64(utf8.count), then: UInt8(ascii: ":"))
            bytes.append(contentsOf: utf8)
        }
        bytes.append(UInt8(ascii: " "))
    }

    /// Bytes as a text token (any bytes: the token is their count, `:`, then them).
    public mutating func text(bytes value: ArraySlice<UInt8>) {
        digits(UInt64(value.count), then: UInt8(ascii: ":"))
        bytes.append(contentsOf: value)
        bytes.append(UInt8(ascii: " "))
    }

    /// A dictionary keyed by text: its count, then each key, sorted (the same bytes whatever
    /// the hash seed), followed by what `value` writes of its value. Inlinable, so that each
    /// caller's value type is specialized: unspecialized, every insert and lookup went through
    /// the runtime's generic metadata.
    @inlinable
    public mutating func dictionary<Value>(_ entries: [String: Value], _ value: (inout TokenWriter, Value) -> Void) {
        int(entries.count)
        for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
            text(key)
            value(&self, entry)
        }
    }

    /// Bytes a `TokenReader` took from a stream this writer's kind wrote (`TokenReader.bytes`),
    /// as they were.
    public mutating func raw(_ written: ArraySlice<UInt8>) {
        bytes.append(contentsOf: written)
    }

    /// Tokens a `TokenReader` read, without the separator after the last (`TokenReader.bytes`
    /// less its last byte), as they were, then that separator as this writer writes it.
    public mutating func tokens(_ read: ArraySlice<UInt8>) {
        bytes.append(contentsOf: read)
        bytes.append(UInt8(ascii: " "))
    }

    /// A number whose value is set later (`setNumber`), once what follows it is written:
    /// written at a fixed width, 20 digits, so that setting it moves nothing. Returns where
    /// it is.
    public mutating func numberToSet() -> Int {
        let position = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 20))
        bytes.append(UInt8(ascii: " "))
        return position
    }

    public mutating func setNumber(_ value: UInt64, at position: Int) {
        var rest = value
        for index in stride(from: position + 19, through: position, by: -1) {
            bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// Where the next token will be, from the start of what this writer wrote.
    public var offset: Int { bytes.count }

    /// Ends a line (after a record), for whoever reads the file.
    public mutating func newline() {
        if bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// The tokens behind a header line `<magic> <byte count> <checksum>`.
    public func sealed(magic: String) -> [UInt8] {
        Self.sealHeader(magic: magic, body: [bytes[...]]) + bytes
    }

    /// The header line `sealed(magic:)` puts before `body`, for a caller that writes it and
    /// the stream's parts one after the other (a large stream is then neither joined nor
    /// copied whole to put its header first).
    public static func sealHeader(magic: String, body: [ArraySlice<UInt8>]) -> [UInt8] {
        var checksum = Checksum.Running()
        for part in body { part.withUnsafeBytes { checksum.add($0) } }
        var header = TokenWriter(capacity: 64)
        header.text(magic)
        header.int(body.reduce(0) { $0 + $1.count })
        header.int(checksum.value)
        header.newline()
        return header.bytes
    }
}

/// Reads what `TokenWriter` wrote. Any surprise (a truncated or edited stream) throws.
public struct TokenReader: Sendable {
    public struct Malformed: Error, Equatable {
        public init() {}
    }

    private let bytes: [UInt8]
    private var index = 0
    /// Where the stream (or the section) starts and ends.
    private let start: Int
    private var end: Int
    /// A section's checksum, when it is checked later (`checksumMatches`).
    private let checksum: UInt64?

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        start = 0
        end = bytes.count
        checksum = nil
    }

    private init(section bytes: [UInt8], from start: Int, to end: Int, checksum: UInt64?) {
        self.bytes = bytes
        index = start
        self.start = start
        self.end = end
        self.checksum = checksum
    }

    /// Reads the header `TokenWriter.sealed` wrote and checks the length and checksum of
    /// what follows; the reader then stands at the first token of the body.
    public init(sealed bytes: [UInt8], magic: String) throws(Malformed) {
        self.init(bytes)
        let section = try sealedSection(magic: magic)
        guard isAtEnd else { throw Malformed() }
        self = section
    }

    /// The sealed section (`TokenWriter.sealed`) that starts here, as a reader of its body
    /// alone; this reader moves past it. Its length is checked now, its checksum now too
    /// unless `later`, when `checksumMatches` checks it (a reader that may never need the
    /// section does not hash it).
    public mutating func sealedSection(magic: String, checkLater later: Bool = false) throws(Malformed) -> TokenReader {
        guard try text() == magic else { throw Malformed() }
        let count = try int()
        let checksum = try uint64()
        guard count >= 0, count <= end - index else { throw Malformed() }
        let section = TokenReader(section: bytes, from: index, to: index + count, checksum: later ? checksum : nil)
        guard later || section.checksumMatches(checksum) else { throw Malformed() }
        index += count
        return section
    }

    /// Whether the section's bytes have the checksum its header gave (`sealedSection`).
    public func checksumMatches() -> Bool {
        checksum.map(checksumMatches) ?? true
    }

    private func checksumMatches(_ checksum: UInt64) -> Bool {
        bytes[start..<end].withUnsafeBytes { Checksum.of($0) } == checksum
    }

    public var isAtEnd: Bool { index >= end }

    /// Where the reader stands, for `bytes(from:)`.
    public var offset: Int { index }

    /// The bytes read since `start` (an earlier `offset`), to write again as they are.
    public func bytes(from start: Int) -> ArraySlice<UInt8> {
        bytes[start..<index]
    }

    /// The same, as the whole stream this reader reads (a section's file, say) and where in
    /// it: pieces of one stream next to each other are then written again in one piece.
    public func span(from start: Int) -> (stream: [UInt8], range: Range<Int>) {
        (bytes, start..<index)
    }

    /// The rest of the section from `offset` (a writer's `offset` when it wrote the section)
    /// on, as a reader of its own; this reader then ends there. Throws unless `offset` is
    /// between where this reader stands and its end. A checksum checked later covers the
    /// whole section: check it (`checksumMatches`) before.
    public mutating func split(at offset: Int) throws(Malformed) -> TokenReader {
        guard offset >= 0, offset <= end - start, start + offset >= index else { throw Malformed() }
        let rest = TokenReader(section: bytes, from: start + offset, to: end, checksum: nil)
        end = start + offset
        return rest
    }

    /// What is left of the section, as it is; the reader is then at its end.
    public mutating func rest() -> ArraySlice<UInt8> {
        defer { index = end }
        return bytes[index..<end]
    }

    public mutating func int() throws(Malformed) -> Int {
        // Most numbers of a manifest have a digit or two: those are read, separator and all,
        // in one look at the buffer (a manifest of 1,000 phases holds 150,000 numbers).
        let start = index, end = end
        let short = bytes.withUnsafeBufferPointer { buffer -> (value: Int, next: Int)? in
            guard start + 2 < end else { return nil }
            let first = buffer[start] &- UInt8(ascii: "0"), second = buffer[start + 1] &- UInt8(ascii: "0")
            guard first < 10 else { return nil }
            if Self.isSeparator(buffer[start + 1]) { return (Int(first), start + 2) }
            guard second < 10, Self.isSeparator(buffer[start + 2]) else { return nil }
            return (Int(first) * 10 + Int(second), start + 3)
        }
        if let short {
            index = short.next
            return short.value
        }
        let negative = index < end && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard let value = Int(exactly: try digits()) else { throw Malformed() }
        try separator()
        return negative ? -value : value
    }

    public mutating func uint64() throws(Malformed) -> UInt64 {
        let value = try digits()
        try separator()
        return value
    }

    public mutating func text() throws(Malformed) -> String {
        let range = try textRange()
        // From the buffer itself: through the slice, `String(decoding:)` took its generic path.
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// A text token, `known` itself when the token holds its bytes: no string made again of
    /// a text a stream repeats (the path of each of a course's thousands of warnings).
    public mutating func text(reusing known: String) throws(Malformed) -> String {
        let range = try textRange()
        var known = known
        let same = known.withUTF8 { known in
            bytes.withUnsafeBufferPointer { buffer in
                known.count == range.count
                    && (range.isEmpty || memcmp(known.baseAddress!, buffer.baseAddress! + range.lowerBound, range.count) == 0)
            }
        }
        return same ? known : bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// A text token's bytes, as a slice of the stream (not copied).
    public mutating func textBytes() throws(Malformed) -> ArraySlice<UInt8> {
        bytes[try textRange()]
    }

    /// Past a text token, without a `String` made of it.
    public mutating func skipText() throws(Malformed) {
        _ = try textRange()
    }

    /// Where a text token's bytes are; the reader moves past it.
    private mutating func textRange() throws(Malformed) -> Range<Int> {
        // Most texts are shorter than 1,000 bytes: their length (one to three digits before
        // the `:`) read in one look at the buffer, as `digits` would read it.
        let first = index, end = end
        let short = bytes.withUnsafeBufferPointer { buffer -> (count: Int, colon: Int)? in
            var count = 0, next = first
            while next < end, next < first + 3 {
                let digit = buffer[next] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                count = count * 10 + Int(digit)
                next += 1
            }
            return next > first && next < end && buffer[next] == UInt8(ascii: ":") ? (count, next) : nil
        }
        let count: Int
        if let short {
            (count, index) = short
        } else {
            guard let long = Int(exactly: try digits()) else { throw Malformed() }
            count = long
        }
        guard index < end, bytes[index] == UInt8(ascii: ":"), count <= end - index - 1 else { throw Malformed() }
        let start = index + 1
        index = start + count
        try separator()
        return start..<start + count
    }

    /// A dictionary as `TokenWriter.dictionary` writes it, each value read by `value`.
    /// Inlinable for the same reason as `TokenWriter.dictionary`: a manifest of 1,000 phases
    /// holds 4,000 small dictionaries.
    @inlinable
    public mutating func dictionary<Value>(
        _ value: (inout TokenReader) throws(Malformed) -> Value
    ) throws(Malformed) -> [String: Value] {
        let count = try count()
        var entries: [String: Value] = [:]
        // Sized once: a manifest holds thousands of small dictionaries, each grown by rehashing.
        entries.reserveCapacity(Self.room(for: count))
        for _ in 0..<count {
            let key = try text()
            entries[key] = try value(&self)
        }
        return entries
    }

    /// A list written as its count then each value, each read by `value`; made with room for
    /// them all (a manifest of 1,000 phases holds 40,000 ids and key placements, each list
    /// grown by doubling was copied at every step). Inlinable, as `dictionary` is.
    @inlinable
    public mutating func list<Value>(
        _ value: (inout TokenReader) throws(Malformed) -> Value
    ) throws(Malformed) -> [Value] {
        let count = try count()
        var values: [Value] = []
        values.reserveCapacity(Self.room(for: count))
        for _ in 0..<count { values.append(try value(&self)) }
        return values
    }

    /// The room made for `count` values before they are read: bounded, since a count is only
    /// checked against the bytes left.
    @usableFromInline
    static func room(for count: Int) -> Int {
        min(count, 1 << 12)
    }

    /// A count of items to follow, bounded by what the rest of the stream could hold.
    public mutating func count() throws(Malformed) -> Int {
        let value = try int()
        guard value >= 0, value <= end - index else { throw Malformed() }
        return value
    }

    /// Up to 19 digits in a plain loop over the buffer (no 19-digit number overflows a
    /// UInt64); a 20th is checked for overflow. A manifest of 1,000 phases holds some 150,000
    /// numbers, read on the path of every edit.
    private mutating func digits() throws(Malformed) -> UInt64 {
        let start = index, end = end
        var (value, next) = bytes.withUnsafeBufferPointer { buffer -> (UInt64, Int) in
            var value: UInt64 = 0, next = start
            let limit = min(end, start + 19)
            // Eight digits at a time while eight bytes lie before the limit (a file's time in
            // nanoseconds has 19 digits, a fingerprint up to 20; a manifest holds thousands).
            if let base = buffer.baseAddress {
                while next + 8 <= limit {
                    let chunk = UInt64(littleEndian: UnsafeRawPointer(base + next).loadUnaligned(as: UInt64.self))
                    guard let eight = Self.eightDigits(chunk) else { break }
                    value = value &* 100_000_000 &+ eight
                    next += 8
                }
            }
            while next < limit {
                let digit = buffer[next] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                value = value &* 10 &+ UInt64(digit)
                next += 1
            }
            return (value, next)
        }
        guard next > start else { throw Malformed() }
        while next < end, let digit = ASCII.digit(bytes[next]) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            guard !overflow, !overflow2 else { throw Malformed() }
            value = sum
            next += 1
        }
        index = next
        return value
    }

    /// The value of eight bytes read as a little-endian number, when each is an ASCII digit
    /// (the first byte the most significant digit); nil otherwise. Each byte checked at once,
    /// then pairs, quads and the eight combined by three multiplications.
    @inline(__always)
    package static func eightDigits(_ chunk: UInt64) -> UInt64? {
        // A byte is a digit when its high half is 3 and adding 6 to it keeps it there.
        guard (chunk & 0xF0F0_F0F0_F0F0_F0F0) | (((chunk &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4)
                == 0x3333_3333_3333_3333 else { return nil }
        var value = chunk & 0x0F0F_0F0F_0F0F_0F0F
        value = (value &* (10 << 8 + 1)) >> 8
        value = ((value & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16
        return ((value & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32
    }

    @inline(__always)
    private mutating func separator() throws(Malformed) {
        guard index < end, Self.isSeparator(bytes[index]) else { throw Malformed() }
        index += 1
    }

    @inline(__always)
    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n")
    }
}

/// Byte tests shared by the readers of quizdoc's formats.
public enum ASCII {
    /// The value of a decimal digit byte, or nil.
    @inline(__always)
    public static func digit(_ byte: UInt8) -> UInt8? {
        byte &- UInt8(ascii: "0") < 10 ? byte &- UInt8(ascii: "0") : nil
    }

    @inline(__always)
    public static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
