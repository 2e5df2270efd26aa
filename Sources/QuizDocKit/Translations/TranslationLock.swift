import Foundation
import TokenCodec

/// `data/translations/<phase>.lock`, committed, one per phase: for every translated text of
/// the phase, a fingerprint of the English it was translated from, a fingerprint of the
/// translation, and that English text itself (the only way to show a translator what
/// changed). One line per text and language, sorted, so a pull request shows exactly which
/// translations moved:
///
///     q-26-02	prompt	es	<english fp>	<translation fp>	<English>
///
/// The English is escaped so that it stays on its line (`\\`, `\t`, `\n`, `\r`). One file
/// per phase, so that an edit rewrites one small file, and the build treats it like a
/// mirror: staged, committed atomically, stamped in the manifest, orphans removed.
///
/// Fingerprints ignore what does not change meaning for a translator: white space at the
/// ends of lines and of the text, runs of spaces and tabs, and how a paragraph is wrapped
/// (line breaks inside a paragraph); blank lines between paragraphs, and everything else,
/// count.
public enum TranslationLock {
    public static let folder = "data/translations"
    static let header = "# quizdoc translation lock: the English each translation was made from. Written by `quizdoc build`; `quizdoc i18n accept` marks a translation current.\n"

    public static func path(_ baseName: String) -> String { "\(folder)/\(baseName).lock" }

    /// One translated text in one language.
    public struct Entry: Sendable, Equatable {
        public var english: String
        public var translation: String
        /// The English text the translation was made from.
        public var englishText: String
    }

    /// The place of a text: its phase (file base name), its question id (`-` for the phase
    /// title), its field (`title`, `prompt`, `choice-3`, `answer`, `expected`) and language.
    public struct Key: Hashable, Sendable, Comparable {
        public var phase: String
        public var question: String
        public var field: String
        public var language: String

        /// By phase, question, field and language, each compared byte by byte: the same order
        /// as `String`'s for these ASCII names, without its Unicode machinery.
        public static func < (a: Key, b: Key) -> Bool {
            func precedes(_ x: String, _ y: String) -> Bool? { x == y ? nil : x.utf8.lexicographicallyPrecedes(y.utf8) }
            return precedes(a.phase, b.phase) ?? precedes(a.question, b.question) ?? precedes(a.field, b.field)
                ?? precedes(a.language, b.language) ?? false
        }
    }

    // MARK: - Reading

    /// A phase's entries, from its lock file (none when there is no file yet); a line that
    /// is not an entry (a merge conflict, a hand edit) is a located error.
    static func entries(root: URL, phase: String, bag: inout DiagnosticBag) -> [Key: Entry] {
        let path = path(phase)
        guard InputFile.kind(path, root: root) != .missing,
              let bytes = InputFile.read(path, root: root, limit: 16 << 20, bag: &bag) else { return [:] }
        var entries: [Key: Entry] = [:]
        for (number, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 5, omittingEmptySubsequences: false)
            guard fields.count == 6, fields[3].count == 16, fields[4].count == 16, let english = unescape(fields[5]) else {
                bag.error(SourceLocation(path: path, line: number + 1, column: 1),
                          "this line is not a translation lock entry (a merge conflict?); keep the lines of one side, or delete the file to record every translation of the phase as current")
                continue
            }
            func text(_ field: ArraySlice<UInt8>) -> String { String(decoding: field, as: UTF8.self) }
            let key = Key(phase: phase, question: text(fields[0]), field: text(fields[1]), language: text(fields[2]))
            entries[key] = Entry(english: text(fields[3]), translation: text(fields[4]), englishText: english)
        }
        return entries
    }

    // MARK: - Writing

    /// A phase's lock file: the header, then its entries' lines, sorted.
    static func file(_ entries: [Key: Entry]) -> [UInt8] {
        var out = Array(header.utf8)
        for key in entries.keys.sorted() {
            let entry = entries[key]!
            for field in [key.question, key.field, key.language, entry.english, entry.translation] {
                out.append(contentsOf: field.utf8)
                out.append(UInt8(ascii: "\t"))
            }
            escape(entry.englishText, into: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    private static func escape(_ text: String, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: out.append(byte)
            }
        }
    }

    private static func unescape(_ field: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(field.count)
        var index = field.startIndex
        while index < field.endIndex {
            let byte = field[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else { out.append(byte); continue }
            guard index < field.endIndex else { return nil }
            switch field[index] {
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r"))
            default: return nil
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Fingerprints

    /// The text's fingerprint, as described above, 16 hex digits: FNV-1a over the text with
    /// each paragraph's words joined by one space and paragraphs by a blank line.
    public static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func add(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var pendingSpace = false, pendingParagraph = false, started = false, lineIsBlank = true
        var text = text
        // Over the contiguous UTF-8 (not String.UTF8View, which checks each index).
        text.withUTF8 { bytes in for byte in bytes {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                pendingSpace = started
            case UInt8(ascii: "\n"):
                if lineIsBlank { pendingParagraph = started } else { pendingSpace = started }
                lineIsBlank = true
            default:
                if pendingParagraph {
                    add(UInt8(ascii: "\n")); add(UInt8(ascii: "\n"))
                } else if pendingSpace {
                    add(UInt8(ascii: " "))
                }
                pendingSpace = false
                pendingParagraph = false
                started = true
                lineIsBlank = false
                add(byte)
            }
        } }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
