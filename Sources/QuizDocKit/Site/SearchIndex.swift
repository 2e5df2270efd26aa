import Foundation

/// The search index of one language, as scripts (`assets/search-<code>-<n>.js`) rather than
/// JSON, because a page opened from `file://` may load a script but not fetch a file. Its URLs
/// are relative to the language's home page, where the search box is.
///
/// Each phase contributes a fragment (its entries), made while the phase renders, so the
/// index is assembled without holding the pages. Fragments go into shards of
/// `phasesPerShard` phases: a build that changed one phase writes one shard per language and
/// hard-links the others, and where each fragment lies (`Place`) is remembered, so a later
/// build can cut it out of its shard without rendering the phase.
enum SearchIndex {
    /// 25 phases of 20 questions make a shard of about 300 KB.
    static let phasesPerShard = 25

    /// Where a phase's entries lie: which shard of its language's index, and which bytes of it.
    struct Place: Hashable, Sendable {
        var shard: Int
        var range: Range<Int>
    }

    static func shardCount(phases: Int) -> Int {
        (phases + phasesPerShard - 1) / phasesPerShard
    }

    /// The phases (indices in course order) whose entries the shard holds.
    static func members(of shard: Int, phases: Int) -> Range<Int> {
        (shard * phasesPerShard)..<min((shard + 1) * phasesPerShard, phases)
    }

    static func shardPath(_ language: Language, _ shard: Int) -> String {
        "assets/search-\(language.code)-\(shard).js"
    }

    static func fragment(_ phase: SiteBuilder.RenderedPhase, language: Language, paths: SitePaths) -> String {
        let heading = quoted(language.text(.phaseHeading, ["phase": String(phase.summary.phase)]))
        let url = SitePaths.link(from: paths.home(language), to: paths.phase(phase.summary.baseName, language))
        return (phase.questions[language.code] ?? []).map { question in
            "{\"id\":\(quoted(question.id)),\"phase\":\(heading),\"text\":\(quoted(plainText(question.body)))"
                + ",\"title\":\(quoted(plainText(question.title))),\"url\":\(quoted(url + "#" + question.id))}"
        }.joined(separator: ",\n")
    }

    /// A shard's script, and where in its bytes each fragment lies. Bytes, not text: a
    /// reused phase's fragment is a slice of the last build's shard, copied as it is.
    static func shard(_ number: Int, _ fragments: [Data]) -> (contents: Data, ranges: [Range<Int>]) {
        var script = Data("(window.QUIZDOC_SEARCH = window.QUIZDOC_SEARCH || [])[\(number)] = [".utf8)
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
