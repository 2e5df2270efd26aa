import CByteScan
import Glibc
import Testing

/// The C scans (sixteen bytes at a time, then one at a time) stop where a loop over the
/// bytes would: at the first byte of their set, or at the end.
struct ByteScanTests {
    enum Scan: CaseIterable, Sendable {
        case markdownQuiet, markdownUntriggered, printableASCII, belowCC, lineBreak, htmlPlain, lowercaseOrDigit, scriptPlain, letter, quoted

        func run(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int {
            switch self {
            case .markdownQuiet: quizdoc_markdown_quiet_run(bytes, count)
            case .markdownUntriggered: quizdoc_markdown_untriggered_run(bytes, count)
            case .printableASCII: quizdoc_printable_ascii_run(bytes, count)
            case .belowCC: quizdoc_below_run(bytes, count, 0xCC)
            case .lineBreak: quizdoc_run_before(bytes, count, 0x0A)
            case .htmlPlain: quizdoc_html_plain_run(bytes, count)
            case .lowercaseOrDigit: quizdoc_lowercase_or_digit_run(bytes, count)
            case .scriptPlain: quizdoc_script_plain_run(bytes, count)
            case .letter: quizdoc_letter_run(bytes, count)
            case .quoted: quizdoc_quoted_run(bytes, count)
            }
        }

        func stops(_ byte: UInt8) -> Bool {
            switch self {
            case .markdownQuiet: byte < 0x20 || [0x40, 0x7C, 0x7F, 0xC2, 0xE2, 0xEF].contains(byte)
            case .markdownUntriggered: Array("<@`~]:".utf8).contains(byte)
            case .printableASCII: byte < 0x20 || byte >= 0x7F
            case .belowCC: byte >= 0xCC
            case .lineBreak: byte == 0x0A
            case .htmlPlain: Array("&<>\"'".utf8).contains(byte)
            case .lowercaseOrDigit: !((0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte))
            case .scriptPlain: byte < 0x20 || Array("\"\\<>&".utf8).contains(byte) || byte == 0xE2
            case .letter: byte < 0x80 && !((0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte))
            case .quoted: byte == 0x22 || byte == 0x5C || byte == 0x0A
            }
        }
    }

    @Test(arguments: Scan.allCases)
    func everyByteInEveryPlace(scan: Scan) {
        // Each byte value at each place of 40 quiet bytes, read from each of 16 alignments.
        let quiet = UInt8(ascii: "a")
        for value in 0...255 {
            for place in 0..<40 {
                var bytes = [UInt8](repeating: quiet, count: 56)
                bytes[16 + place] = UInt8(value)
                for offset in [0, 1, 7, 15, 16] {
                    let found = bytes.withUnsafeBufferPointer { scan.run($0.baseAddress! + offset, 56 - offset) }
                    let expected = (offset..<56).first { scan.stops(bytes[$0]) }.map { $0 - offset } ?? 56 - offset
                    if found != expected {
                        Issue.record("\(scan): byte \(value) at \(place), offset \(offset): \(found), not \(expected)")
                        return
                    }
                }
            }
        }
    }

    @Test(arguments: Scan.allCases)
    func randomTextsAndTheirEnds(scan: Scan) {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abc xyz09/{.,;-_<@`~]:|\n\t&>\"'".utf8) + [0x7F, 0xC2, 0xC3, 0xE2, 0xEF, 0x80, 0xBF, 0x00]
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...70, using: &generator)
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<6, using: &generator) == 0 ? alphabet.randomElement(using: &generator)! : UInt8(ascii: "e")
            }
            let found = bytes.withUnsafeBufferPointer { scan.run($0.baseAddress, count) }
            #expect(found == (bytes.firstIndex(where: scan.stops) ?? count), "\(scan): \(bytes)")
        }
        #expect(scan.run(nil, 0) == 0)
    }

    /// Where a loop over YAML's bytes stops: at a control character other than a line feed,
    /// at 0x7F or above, and at a line feed whose next byte is '%', '-' or '.'.
    static func yamlStop(_ bytes: ArraySlice<UInt8>, at index: Int) -> Bool {
        let byte = bytes[index]
        guard byte == 0x0A else { return byte < 0x20 || byte >= 0x7F }
        return index + 1 < bytes.endIndex && Array("%-.".utf8).contains(bytes[index + 1])
    }

    static func yamlRun(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { quizdoc_yaml_plain_run($0.baseAddress, $0.count) }
    }

    /// The YAML scan looks at the byte after each line feed, in its block or the next one.
    @Test func yamlRunStopsWhereALoopWould() {
        for value in 0...255 {
            for place in 0..<40 {
                for afterLineFeed in [false, true] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 56)
                    if afterLineFeed {
                        bytes[15 + place] = 0x0A
                    }
                    bytes[16 + place] = UInt8(value)
                    for offset in [0, 1, 7, 15, 16] {
                        let slice = bytes[offset...]
                        let expected = (slice.indices.first { Self.yamlStop(slice, at: $0) } ?? 56) - offset
                        let found = Self.yamlRun(slice)
                        if found != expected {
                            Issue.record("byte \(value) at \(place) (after a line feed: \(afterLineFeed)), offset \(offset): \(found), not \(expected)")
                            return
                        }
                    }
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab -.%\n\t#:".utf8) + [0x7F, 0xC3, 0x80, 0x00]
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...70, using: &generator)
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<4, using: &generator) == 0 ? alphabet.randomElement(using: &generator)! : UInt8(ascii: "e")
            }
            let expected = bytes.indices.first { Self.yamlStop(bytes[...], at: $0) } ?? count
            #expect(Self.yamlRun(bytes[...]) == expected, "\(bytes)")
        }
        #expect(quizdoc_yaml_plain_run(nil, 0) == 0)
    }

    /// The plain length counts what a loop counts, past the 255 blocks of sixteen bytes whose
    /// counts it sums at a time.
    @Test func plainLengthOfLongTexts() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [UInt8] = Array("a*_` ".utf8) + [0xC3, 0xA9, 0xE2, 0x80, 0x94, 0x7F, 0x80]
        for count in [0, 15, 16, 17, 4_079, 4_080, 4_081, 4_096, 10_000] + (0..<20).map({ _ in Int.random(in: 0...20_000, using: &generator) }) {
            let bytes = (0..<count).map { _ in pieces.randomElement(using: &generator)! }
            let expected = bytes.filter { $0 & 0xC0 != 0x80 && !Array("*_`".utf8).contains($0) }.count
            #expect(bytes.withUnsafeBufferPointer { quizdoc_plain_length($0.baseAddress, count) } == expected, "\(count) bytes")
        }
    }

    /// Room backed at once keeps its bytes, and is then written without a page fault (when
    /// the kernel backs it; small room is left as it is).
    @Test func prefaultedRoomKeepsItsBytesAndTakesNoFaults() {
        let count = 1 << 21
        var room = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<4096 { buffer[index] = UInt8(truncatingIfNeeded: index &* 31) }
            initialized = 4096
        }
        room.reserveCapacity(count)
        let capacity = room.capacity
        let backed = room.withUnsafeMutableBufferPointer { quizdoc_prefault($0.baseAddress, capacity) } != 0
        #expect(room.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset &* 31) })
        let faultsBefore = Self.minorFaults()
        room.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            for offset in stride(from: 8192, to: capacity, by: 4096) { base.storeBytes(of: 1, toByteOffset: offset, as: UInt8.self) }
        }
        if backed { #expect(Self.minorFaults() - faultsBefore < 8) }
        var small = [UInt8](repeating: 7, count: 100)
        #expect(small.withUnsafeMutableBufferPointer { quizdoc_prefault($0.baseAddress, 100) } == 0)
        #expect(small.allSatisfy { $0 == 7 })
    }

    private static func minorFaults() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage) // RUSAGE_THREAD: other tests run on other threads
        return usage.ru_minflt
    }
}
