import Foundation

/// The search index of one language, as a script (`assets/search-<code>.js`) rather than JSON,
/// because a page opened from `file://` may load a script but not fetch a file. Its URLs are
/// relative to the language's home page, where the search box is.
///
/// Each phase contributes a fragment (its entries), made while the phase renders, so the
/// index is assembled without holding the pages; the byte range of each fragment in the
/// script is remembered, so a later build can reuse it without rendering the phase.
enum SearchIndex {
    static func fragment(_ phase: SiteBuilder.RenderedPhase, language: Language, paths: SitePaths) -> String {
        let heading = quoted(language.text(.phaseHeading, ["phase": String(phase.summary.phase)]))
        let url = SitePaths.link(from: paths.home(language), to: paths.phase(phase.summary.baseName, language))
        return (phase.questions[language.code] ?? []).map { question in
            "{\"id\":\(quoted(question.id)),\"phase\":\(heading),\"text\":\(quoted(plainText(question.body)))"
                + ",\"title\":\(quoted(plainText(question.title))),\"url\":\(quoted(url + "#" + question.id))}"
        }.joined(separator: ",\n")
    }

    /// The script, and where in its bytes each fragment lies. Bytes, not text: a reused
    /// phase's fragment is a slice of the last build's script, copied as it is.
    static func script(_ fragments: [Data]) -> (contents: Data, ranges: [Range<Int>]) {
        var script = Data("window.QUIZDOC_SEARCH = [".utf8)
        script.reserveCapacity(fragments.reduce(64) { $0 + $1.count + 2 })
        var ranges: [Range<Int>] = []
        var first = true
        for fragment in fragments {
            if !fragment.isEmpty {
                script.append(contentsOf: (first ? "\n" : ",\n").utf8)
                first = false
            }
            let start = script.count
            script.append(fragment)
            ranges.append(start..<script.count)
        }
        script.append(contentsOf: (first ? "];\n" : "\n];\n").utf8)
        return (script, ranges)
    }

    /// A JSON string literal that is also safe inside any HTML: `<`, `>` and `&` are escaped
    /// too, so no text can close a script element.
    static func quoted(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            out.append(UInt8(ascii: "\""))
            func escape(_ value: UInt8) {
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hexDigits[Int(value >> 4)], hexDigits[Int(value & 0xF)]])
            }
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(byte)
                case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), 0..<0x20:
                    escape(byte)
                case 0xE2 where index + 1 < bytes.count && bytes[index] == 0x80 && (bytes[index + 1] == 0xA8 || bytes[index + 1] == 0xA9):
                    // U+2028 and U+2029 (E2 80 A8/A9) end a line in older JavaScript.
                    out.append(contentsOf: Array("\\u202".utf8))
                    out.append(bytes[index + 1] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                    index += 2
                default:
                    out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
