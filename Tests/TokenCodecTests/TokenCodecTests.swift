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
}
