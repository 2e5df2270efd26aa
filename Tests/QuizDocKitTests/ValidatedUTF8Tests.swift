import Testing
import ValidatedUTF8

/// A string made from validated UTF-8 without validating it again is the string
/// `String(decoding:as:)` makes: same characters, equal, same hash, found in a set, whether its
/// bytes are ASCII (recorded as such) or not, composed or decomposed.
struct ValidatedUTF8Tests {
    @Test func madeWithoutValidationIsTheDecodedString() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "Z", "0", " ", "<p>", "\n", "é", "e\u{301}", "ñ", "n\u{303}", "ß", "İ", "Σ", "ς", "€", "中", "😀", "👩‍💻", "\u{FEFF}"]
        var texts = ["", "a", "plain ASCII words", "cuantización", "e\u{301}", "😀"]
        for _ in 0..<2_000 {
            texts.append((0..<Int.random(in: 0..<40, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let made = String(validatedUTF8: bytes)
            let decoded = String(decoding: bytes, as: UTF8.self)
            #expect(made == decoded)
            #expect(made.hashValue == decoded.hashValue)
            #expect(made.count == decoded.count)
            #expect(Array(made.utf8) == bytes)
            #expect(Set([decoded]).contains(made))
        }
        // Canonical equivalence holds across the two ways of making a string.
        #expect(String(validatedUTF8: Array("e\u{301}".utf8)) == "é")
        #expect(String(validatedUTF8: Array("é".utf8)).hashValue == "e\u{301}".hashValue)
    }

    @Test func aSliceOfABuffer() {
        let bytes = Array("¿Qué es <em>cuantizar</em>?".utf8)
        let slice = bytes.withUnsafeBufferPointer { String(validatedUTF8: UnsafeBufferPointer(rebasing: $0[2..<7])) }
        #expect(slice == "Qué ")
        #expect(bytes.withUnsafeBufferPointer { String(validatedUTF8: UnsafeBufferPointer(rebasing: $0[0..<0])) } == "")
    }
}
