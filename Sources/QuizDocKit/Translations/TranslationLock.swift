import Foundation
import TokenCodec

/// `data/quizzes/translations.lock`, committed: for every translated text of the course, a
/// fingerprint of the English it was translated from, a fingerprint of the translation, and
/// that English text itself (the only way to show a translator what changed). One line per
/// text and language, sorted, so a pull request shows exactly which translations moved:
///
///     phase-26-quantization	q-26-02	prompt	es	<english fp>	<translation fp>	"<English as JSON>"
///
/// Fingerprints ignore what does not change meaning for a translator: white space at the
/// ends of lines and of the text, runs of spaces and tabs, and how a paragraph is wrapped
/// (line breaks inside a paragraph); blank lines between paragraphs, and everything else,
/// count.
public struct TranslationLock: Sendable, Equatable {
    public static let path = "\(ProjectLayout.quizzes)/translations.lock"
    static let header = "# quizdoc translation lock: the English each translation was made from. Written by `quizdoc build`; `quizdoc i18n accept` marks a translation current.\n"

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

        public static func < (a: Key, b: Key) -> Bool {
            (a.phase, a.question, a.field, a.language) < (b.phase, b.question, b.field, b.language)
        }
    }

    public var entries: [Key: Entry] = [:]

    public init(entries: [Key: Entry] = [:]) {
        self.entries = entries
    }

    /// The text's fingerprint, as described above, 16 hex digits.
    public static func fingerprint(_ text: String) -> String {
        var normalized: [String] = []
        var paragraph: [Substring] = []
        func flush() {
            if !paragraph.isEmpty { normalized.append(paragraph.joined(separator: " ")) }
            paragraph = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if words.isEmpty { flush(); continue }
            paragraph.append(Substring(words.joined(separator: " ")))
        }
        flush()
        let value = Fingerprint.of(Array(normalized.joined(separator: "\n\n").utf8)).value
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    // MARK: - The file

    public var text: String {
        var out = Self.header
        for key in entries.keys.sorted() {
            let entry = entries[key]!
            let english = String(decoding: (try? JSONEncoder().encode(entry.englishText)) ?? Data("\"\"".utf8), as: UTF8.self)
            out += [key.phase, key.question, key.field, key.language, entry.english, entry.translation, english].joined(separator: "\t") + "\n"
        }
        return out
    }

    /// Reads the committed lock; a line that is not an entry (a merge conflict, a hand edit)
    /// is a located error.
    static func read(root: URL, bag: inout DiagnosticBag) -> TranslationLock {
        guard InputFile.kind(path, root: root) != .missing else { return TranslationLock() }
        guard let bytes = InputFile.read(path, root: root, limit: 64 << 20, bag: &bag) else { return TranslationLock() }
        var lock = TranslationLock()
        let decoder = JSONDecoder()
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", maxSplits: 6, omittingEmptySubsequences: false)
            guard fields.count == 7, fields[4].count == 16, fields[5].count == 16,
                  let english = try? decoder.decode(String.self, from: Data(fields[6].utf8)) else {
                bag.error(SourceLocation(path: path, line: number + 1, column: 1),
                          "this line is not a translation lock entry (a merge conflict?); keep the lines of one side, or delete the file to record every translation as current")
                continue
            }
            let key = Key(phase: String(fields[0]), question: String(fields[1]), field: String(fields[2]), language: String(fields[3]))
            lock.entries[key] = Entry(english: String(fields[4]), translation: String(fields[5]), englishText: english)
        }
        return lock
    }

    /// The lock's lines of one phase.
    func phase(_ baseName: String) -> [Key: Entry] {
        entries.filter { $0.key.phase == baseName }
    }
}
