import Testing
import TokenCodec

/// The token format's contract: what is written reads back equal; a sealed stream that was
/// cut, extended or changed in any one byte is refused whole.
@Suite struct TokenCodecTests {
    static let texts = ["", " ", "a b\nc", "12:34", "\u{0}", "é🙂", String(repeating: "x", count: 300), "-5", "3:abc"]
    static let numbers = [0, 1, -1, 42, Int.max, Int.min + 1]

    static func written() -> TokenWriter {
        var out = TokenWriter()
        for text in texts { out.text(text) }
        out.newline()
        for number in numbers { out.int(number) }
        out.int(UInt64.max)
        out.newline()
        return out
    }

    @Test func whatIsWrittenReadsBackEqual() throws {
        var reader = try TokenReader(sealed: Self.written().sealed(magic: "test"), magic: "test")
        for text in Self.texts { #expect(try reader.text() == text) }
        for number in Self.numbers { #expect(try reader.int() == number) }
        #expect(try reader.uint64() == UInt64.max)
        #expect(reader.isAtEnd)
    }

    @Test func everyCutAndEveryChangedByteIsRefused() {
        let sealed = Self.written().sealed(magic: "test")
        for length in 0..<sealed.count {
            #expect(throws: TokenReader.Malformed.self) { try TokenReader(sealed: Array(sealed[..<length]), magic: "test") }
        }
        for position in sealed.indices {
            for flip: UInt8 in [0x01, 0x02, 0x10, 0x80, 0xFF] {
                var damaged = sealed
                damaged[position] ^= flip
                #expect(throws: TokenReader.Malformed.self, "byte \(position) ^ \(flip)") {
                    try TokenReader(sealed: damaged, magic: "test")
                }
            }
        }
        #expect(throws: TokenReader.Malformed.self) { try TokenReader(sealed: sealed + [0x20], magic: "test") }
        #expect(throws: TokenReader.Malformed.self) { try TokenReader(sealed: sealed, magic: "other") }
    }

    /// Two sealed sections one after the other: each reads alone, the second's checksum
    /// checked when asked (`checkLater`), and neither reads past its end.
    /// Four lanes, a fold, a tail of words and of bytes: a change of any one byte, at any
    /// place in any of them, changes the checksum, and so does a swap of two lanes' words.
    @Test func everyChangedByteChangesTheChecksum() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 7, 8, 31, 32, 33, 70, 1_000] {
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let checksum = bytes.withUnsafeBytes { Checksum.of($0) }
            for index in bytes.indices {
                for flip: UInt8 in [0x01, 0x80, 0xFF] {
                    bytes[index] ^= flip
                    #expect(bytes.withUnsafeBytes { Checksum.of($0) } != checksum, "byte \(index) of \(count)")
                    bytes[index] ^= flip
                }
            }
        }
        let words = (0..<8).flatMap { word in [UInt8](repeating: UInt8(word), count: 8) }
        let swapped = Array(words[8..<16] + words[0..<8] + words[16...])
        #expect(words.withUnsafeBytes { Checksum.of($0) } != swapped.withUnsafeBytes { Checksum.of($0) })
    }

    /// The checksum as its definition says (`Checksum`), in plain Swift: the C one gives the
    /// same for every length around each of its loops' steps, from unaligned starts too.
    @Test func theChecksumIsItsDefinition() {
        func reference(_ bytes: [UInt8]) -> UInt64 {
            let prime: UInt64 = 0x100_0000_01B3
            func step(_ hash: UInt64, _ word: UInt64) -> UInt64 {
                let product = (hash ^ word) &* prime
                return product << 29 | product >> 35
            }
            func word(_ offset: Int) -> UInt64 {
                (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
            }
            var lanes: [UInt64] = [0xCBF2_9CE4_8422_2325, 0x8422_2325_CBF2_9CE4, 0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F]
            var offset = 0
            while offset + 32 <= bytes.count {
                for lane in 0..<4 { lanes[lane] = step(lanes[lane], word(offset + 8 * lane)) }
                offset += 32
            }
            var hash = step(step(step(lanes[0], lanes[1]), lanes[2]), lanes[3])
            while offset + 8 <= bytes.count {
                hash = step(hash, word(offset))
                offset += 8
            }
            while offset < bytes.count {
                hash = (hash ^ UInt64(bytes[offset])) &* prime
                offset += 1
            }
            return hash
        }
        var generator = SystemRandomNumberGenerator()
        let stream = (0..<5_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for count in Array(0...100) + [1_000, 4_999] {
            for start in [0, 1, 3] where start + count <= stream.count {
                let bytes = Array(stream[start..<start + count])
                let checksum = stream.withUnsafeBytes { Checksum.of(UnsafeRawBufferPointer(rebasing: $0[start..<start + count])) }
                #expect(checksum == reference(bytes), "\(count) bytes from \(start)")
            }
        }
        #expect(Checksum.of(UnsafeRawBufferPointer(start: nil, count: 0)) == reference([]))
    }

    /// The checksum of bytes given in parts (`Checksum.Running`) is that of the parts joined,
    /// wherever they are cut (empty parts, parts shorter than a block, cuts inside a block),
    /// and a stream sealed in parts has the header of the stream sealed whole.
    @Test func aChecksumInPartsIsTheChecksumOfThePartsJoined() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 31, 32, 33, 64, 100, 1_000, 5_000] {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let whole = bytes.withUnsafeBytes { Checksum.of($0) }
            for _ in 0..<20 {
                var cuts = (0..<Int.random(in: 0...8, using: &generator)).map { _ in Int.random(in: 0...count, using: &generator) }
                cuts = ([0] + cuts + [count]).sorted()
                let parts = zip(cuts, cuts.dropFirst()).map { bytes[$0..<$1] }
                var running = Checksum.Running()
                for part in parts { part.withUnsafeBytes { running.add($0) } }
                #expect(running.value == whole, "\(count) bytes cut at \(cuts)")
                var writer = TokenWriter()
                writer.raw(bytes[...])
                #expect(TokenWriter.sealHeader(magic: "test", body: parts) == Array(writer.sealed(magic: "test").dropLast(count)))
            }
        }
    }

    @Test func sectionsReadAloneAndTheirChecksumWhenAsked() throws {
        var second = TokenWriter()
        second.text("second")
        let sealed = Self.written().sealed(magic: "one") + second.sealed(magic: "two")
        var file = TokenReader(sealed)
        var first = try file.sealedSection(magic: "one")
        var later = try file.sealedSection(magic: "two", checkLater: true)
        #expect(file.isAtEnd)
        for text in Self.texts { #expect(try first.text() == text) }
        for number in Self.numbers { #expect(try first.int() == number) }
        #expect(try first.uint64() == UInt64.max)
        #expect(first.isAtEnd, "the first section ends where the second starts")
        #expect(later.checksumMatches())
        #expect(try later.text() == "second")
        #expect(later.checksumMatches(), "the checksum is of the whole section, wherever the reader stands")

        // A changed byte of the second section's body: refused now, or when checked later.
        var damaged = sealed
        damaged[damaged.count - 3] ^= 0x01
        var now = TokenReader(damaged)
        _ = try now.sealedSection(magic: "one")
        #expect(throws: TokenReader.Malformed.self) { try now.sealedSection(magic: "two") }
        var whenAsked = TokenReader(damaged)
        _ = try whenAsked.sealedSection(magic: "one")
        #expect(!(try whenAsked.sealedSection(magic: "two", checkLater: true)).checksumMatches())
        // A cut one is refused at once, checked later or not.
        var cut = TokenReader(Array(sealed.dropLast()))
        _ = try cut.sealedSection(magic: "one")
        #expect(throws: TokenReader.Malformed.self) { try cut.sealedSection(magic: "two", checkLater: true) }
    }

    /// Numbers of every length read back, up to UInt64.max; one past it is refused.
    @Test func numbersOfEveryLengthReadBack() throws {
        var numbers: [UInt64] = [0, 9, 10, 99, 100, 101, 999, UInt64.max, UInt64.max - 1]
        var power: UInt64 = 10
        while true {
            numbers += [power - 1, power, power + 1]
            let (next, overflow) = power.multipliedReportingOverflow(by: 10)
            if overflow { break }
            power = next
        }
        var generator = SystemRandomNumberGenerator()
        numbers += (0..<2_000).map { _ in UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator) }
        var out = TokenWriter()
        for number in numbers { out.int(number) }
        #expect(out.bytes == Array(numbers.map { "\($0) " }.joined().utf8))
        var reader = TokenReader(out.bytes)
        for number in numbers { #expect(try reader.uint64() == number) }
        #expect(reader.isAtEnd)
        var past = TokenReader(Array("18446744073709551616 ".utf8))
        #expect(throws: TokenReader.Malformed.self) { try past.uint64() }
        var longer = TokenReader(Array("0018446744073709551615 ".utf8))
        #expect(try longer.uint64() == UInt64.max)
    }

    /// Random streams of digits and of what may end a number, cut anywhere: each read as
    /// the plainest reading reads it (its value, or a refusal: no digit, an overflow, no
    /// separator after it), the reader left where that reading ends.
    @Test func numbersReadAsDigitByDigit() {
        func reference(_ bytes: [UInt8]) -> (value: UInt64, end: Int)? {
            var value: UInt64 = 0, next = 0
            while next < bytes.count, bytes[next] >= 0x30, bytes[next] <= 0x39 {
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[next] - 0x30))
                guard !overflow, !overflow2 else { return nil }
                (value, next) = (sum, next + 1)
            }
            guard next > 0, next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x0A else { return nil }
            return (value, next + 1)
        }
        var generator = SystemRandomNumberGenerator()
        let others: [UInt8] = [0x20, 0x0A, 0x2F, 0x3A, 0x00, 0x7F, 0x80, 0xFF, 0xAF, 0xB0, 0xB9, 0xC6, 0x2D]
        var read = 0
        for _ in 0..<30_000 {
            let digits = Int.random(in: 0...24, using: &generator)
            var bytes = (0..<digits).map { _ in UInt8.random(in: 0x30...0x39, using: &generator) }
            bytes += (0..<Int.random(in: 0...10, using: &generator)).map { _ in
                Bool.random(using: &generator) ? others.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            var reader = TokenReader(bytes)
            let value = try? reader.uint64()
            let expected = reference(bytes)
            #expect(value == expected?.value, "\(bytes)")
            if let expected {
                read += 1
                #expect(reader.offset == expected.end, "\(bytes)")
            }
        }
        #expect(read > 1_000)
        // Each count of digits, with up to nine bytes after it.
        for count in 1...20 {
            let text = String(repeating: "9", count: count - 1) + "8"
            for padding in 0...9 {
                var reader = TokenReader(Array((text + " " + String(repeating: "x", count: padding)).utf8))
                #expect((try? reader.uint64()) == UInt64(text), "\(count) \(padding)")
            }
        }
    }

    /// `int()` reads one or two digits and their separator at once: each length, either
    /// separator, at the end of the stream or not, and what is not a number refused.
    @Test func shortNumbersReadBackAsInts() throws {
        let numbers = Array(-120...120) + [1_000, -1_000, Int.max, Int.min + 1]
        for separator in [" ", "\n"] {
            var reader = TokenReader(Array(numbers.map { "\($0)\(separator)" }.joined().utf8))
            for number in numbers { #expect(try reader.int() == number) }
            #expect(reader.isAtEnd)
        }
        for stream in ["7", "77", "7x ", "77x ", "7:", "07 "] {
            var reader = TokenReader(Array(stream.utf8))
            if stream == "07 " {
                #expect(try reader.int() == 7)
            } else {
                #expect(throws: TokenReader.Malformed.self, "\(stream)") { try reader.int() }
            }
        }
    }

    @Test func readingTheWrongKindOfTokenIsRefused() {
        var out = TokenWriter()
        out.text("abc")
        out.int(7)
        var reader = TokenReader(out.bytes)
        #expect(throws: TokenReader.Malformed.self) { try reader.int() }
        var counts = TokenReader(Array("99999999999999999999999 ".utf8))
        #expect(throws: TokenReader.Malformed.self) { try counts.int() }
        var items = TokenReader(Array("5 a".utf8))
        #expect(throws: TokenReader.Malformed.self) { try items.count() } // more items than bytes left
    }

    @Test func fingerprintsAreFNV1a() {
        // The published FNV-1a 64 test vectors.
        #expect(Fingerprint.of(Array("".utf8)).value == 0xCBF2_9CE4_8422_2325)
        #expect(Fingerprint.of(Array("a".utf8)).value == 0xAF63_DC4C_8601_EC8C)
        #expect(Fingerprint.of(Array("foobar".utf8)).value == 0x8594_4171_F739_67E8)
    }

    /// A text of each length up to past a thousand bytes (its length read in one look up to
    /// three digits, by the general reading from four) reads back; a length without its `:`,
    /// or longer than what follows, is refused.
    @Test func textsOfEveryLengthReadBack() throws {
        let lengths = Array(0...1_100) + [9_999, 10_000, 123_456]
        var out = TokenWriter()
        for length in lengths { out.text(bytes: Array(repeating: UInt8(ascii: "7"), count: length)[...]) }
        var reader = TokenReader(out.bytes)
        for length in lengths { #expect(try reader.textBytes().count == length, "\(length)") }
        #expect(reader.isAtEnd)
        for malformed in ["3 abc ", "1", "12", "123", "1234", "3:ab", "12:abc ", "1234:abc ", ":abc ", "0012:abcdefghijkl "] {
            var reader = TokenReader(Array(malformed.utf8))
            let read = try? reader.textBytes()
            #expect(read == (malformed == "0012:abcdefghijkl " ? Array("abcdefghijkl".utf8)[...] : nil), "\(malformed)")
        }
    }

    /// Eight bytes read as one number when each is a digit, as a loop over them reads them.
    @Test func eightDigitsAtATimeAsOneByOne() {
        var generator = SystemRandomNumberGenerator()
        let others: [UInt8] = [0x2F, 0x3A, 0x20, 0x00, 0x30 + 0x80, 0x39 + 0x40, 0xF0, 0x06, 0x36 - 0x10]
        for _ in 0..<50_000 {
            let bytes = (0..<8).map { _ in
                Int.random(in: 0..<12, using: &generator) == 0 ? others.randomElement(using: &generator)! : UInt8.random(in: 0x30...0x39, using: &generator)
            }
            let chunk = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let expected = bytes.allSatisfy { (0x30...0x39).contains($0) } ? bytes.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) } : nil
            #expect(TokenReader.eightDigits(chunk) == expected, "\(bytes)")
        }
        #expect(TokenReader.eightDigits(0x3939_3939_3939_3939) == 99_999_999)
        #expect(TokenReader.eightDigits(0x3030_3030_3030_3030) == 0)
        #expect(TokenReader.eightDigits(0x3837_3635_3433_3231) == 12_345_678)
    }
}
