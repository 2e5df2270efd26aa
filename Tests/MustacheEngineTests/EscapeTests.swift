import Testing
import MustacheEngine

/// `{{name}}`'s escaping, eight bytes at a time, against the one-byte-at-a-time definition.
@Suite struct EscapeTests {
    static func escapedByteByByte(_ text: String) -> String {
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    @Test func everyTextIsEscapedAsByteByByte() {
        var generator = SystemRandomNumberGenerator()
        // The five marks, their neighbours in ASCII (one bit away), letters, and bytes of
        // two- to four-byte characters, at every offset within a word.
        let pieces: [String] = ["&", "<", ">", "\"", "'", "%", "$", "=", "?", "#", "\u{7}", "a", "Z", " ", "é", "ñ", "€", "漢", "🙂", "\u{A6}", "\u{BC}"]
        for length in 0..<40 {
            for _ in 0..<300 {
                let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
                #expect(HTML.escape(text) == Self.escapedByteByByte(text), "\(text.debugDescription)")
            }
        }
        let long = String(repeating: "plain words, ", count: 50) + "<b>" + String(repeating: "x", count: 17) + "'"
        #expect(HTML.escape(long) == Self.escapedByteByByte(long))
    }
}
