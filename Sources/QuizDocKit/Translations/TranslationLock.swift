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

    public static func path(_ baseName: String) -> String { String(joining: folder, "/", baseName, ".lock") }

    /// One translated text in one language.
    public struct Entry: Sendable, Equatable {
        /// The fingerprints (`fingerprint(_:)`) of the English and of the translation.
        public var english: UInt64
        public var translation: UInt64
        /// The English text the translation was made from, escaped as the file has it (a
        /// kept entry is written back by copying these bytes).
        var escapedEnglish: ArraySlice<UInt8>

        /// The English text the translation was made from.
        public var englishText: String { unescape(escapedEnglish) ?? "" }

        /// Whether the English text the translation was made from is `text`, byte for byte:
        /// compared as the file escapes it, a run between two escapes at a time (`find`,
        /// `memcmp`), no text made, no fingerprint taken.
        func madeFrom(_ text: String) -> Bool {
            text.withUTF8Bytes { bytes in
                var index = 0, at = escapedEnglish.startIndex
                while at < escapedEnglish.endIndex {
                    let run = find(UInt8(ascii: "\\"), in: escapedEnglish[at...]) ?? escapedEnglish.endIndex
                    let length = run - at
                    guard length <= bytes.count - index, length == 0 || escapedEnglish[at..<run].withUnsafeBufferPointer({
                        memcmp($0.baseAddress!, bytes.baseAddress! + index, length) == 0
                    }) else { return false }
                    index += length
                    guard run < escapedEnglish.endIndex else { break }
                    guard run + 1 < escapedEnglish.endIndex, let byte = unescaped(escapedEnglish[run + 1]),
                          index < bytes.count, bytes[index] == byte else { return false }
                    index += 1
                    at = run + 2
                }
                return index == bytes.count
            }
        }

        /// The entry of a translation made now, from this English.
        public init(englishText: String, translation: String) {
            self.init(englishText: englishText, english: TranslationLock.fingerprint(of: englishText),
                      translation: TranslationLock.fingerprint(of: translation))
        }

        /// The same, with the fingerprints already known.
        init(englishText: String, english: UInt64, translation: UInt64) {
            var escaped: [UInt8] = []
            escape(englishText, into: &escaped)
            self.init(english: english, translation: translation, escapedEnglish: escaped[...])
        }

        init(english: UInt64, translation: UInt64, escapedEnglish: ArraySlice<UInt8>) {
            self.english = english
            self.translation = translation
            self.escapedEnglish = escapedEnglish
        }
    }

    /// The place of a text: its phase (file base name), its question id (`-` for the phase
    /// title), its field (`title`, `prompt`, `choice-3`, `answer`, `expected`) and language.
    public struct Key: Hashable, Sendable, Comparable {
        public var phase: String
        public var question: String
        public var field: String
        public var language: String

        /// The keys of one lock share their phase, so only the rest is hashed (equality
        /// still compares the phase): a lock of 200 texts is looked up thousands of times.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(question)
            hasher.combine(field)
            hasher.combine(language)
        }

        /// By phase, question, field and language, each compared by its bytes (`compareUTF8`):
        /// the same order as `String`'s for these ASCII names, without its Unicode machinery
        /// (a lock's entries are sorted whenever it is written, 1,600 comparisons a phase).
        public static func < (a: Key, b: Key) -> Bool {
            var order = compareUTF8(a.phase, b.phase)
            if order == 0 { order = compareUTF8(a.question, b.question) }
            if order == 0 { order = compareUTF8(a.field, b.field) }
            if order == 0 { order = compareUTF8(a.language, b.language) }
            return order < 0
        }
    }

    /// A phase's lock file as read: its entries, and its bytes when they are exactly what
    /// `file(_:)` writes for those entries (the header, then one line per entry in key order),
    /// so that a build that keeps every entry can keep the file without writing it anew.
    struct Read {
        /// Each entry's field, language and entry, in the order of the file (the phase is the
        /// lock's own, the question is `byQuestion`'s key), in arrays of their own: a lookup
        /// compares two names without copying a whole line.
        private var fields: [String] = []
        private var languages: [String] = []
        private var entries: [Entry] = []
        /// Where each question's entries are: a lookup hashes a question id, not a whole
        /// key, and a phase has a few dozen questions for a few hundred entries.
        private var byQuestion: [String: [Int]] = [:]
        /// The question of the entries being read, one after another, and the first of them:
        /// a question's entries are added at once, its id hashed once, not once an entry.
        private var run: (question: String, start: Int)?
        var canonical: [UInt8]?
        /// The file's stamp when it was read (nil when there is none).
        var stamp: FileStamp?

        /// How many entries the file has.
        var count: Int { entries.count }

        fileprivate mutating func append(question: String, field: String, language: String, _ entry: Entry) {
            if run?.question != question {
                endRun()
                run = (question, entries.count)
            }
            fields.append(field)
            languages.append(language)
            entries.append(entry)
        }

        /// Adds the entries of the question being read to its others.
        fileprivate mutating func endRun() {
            guard let (question, start) = run else { return }
            byQuestion[question, default: []].append(contentsOf: start..<entries.count)
            run = nil
        }

        /// Where the entries of a question are, to look its texts up (`entry`).
        func entries(of question: String) -> [Int] { byQuestion[question] ?? [] }

        /// The entry of a text among its question's (`entries(of:)`), the file's last one
        /// for it when a hand edit repeated it.
        func entry(_ indexes: [Int], field: String, language: String) -> Entry? {
            for index in indexes.reversed() where fields[index] == field && languages[index] == language {
                return entries[index]
            }
            return nil
        }
    }

    // MARK: - Reading

    /// A phase's entries, from its lock file (none when there is no file yet); a line that
    /// is not an entry (a merge conflict, a hand edit) is a located error.
    static func read(root: URL, phase: String, bag: inout DiagnosticBag) -> Read {
        let path = path(phase)
        guard let (bytes, stamp) = InputFile.readStamped(path, root: root, limit: 16 << 20, optional: true, bag: &bag) else {
            return Read()
        }
        let header = Array(Self.header.utf8)
        var read = Read()
        read.stamp = stamp
        var canonical = bytes.starts(with: header) && bytes.last == UInt8(ascii: "\n")
        // The line's "question<tab>field<tab>language": byte order of these is key order,
        // the tab sorting before every character of a name.
        var previousName: ArraySlice<UInt8> = []
        var lineStart = 0, number = 0
        while lineStart < bytes.count {
            let lineEnd = find(UInt8(ascii: "\n"), in: bytes[lineStart...]) ?? bytes.count
            let line = bytes[lineStart..<lineEnd]
            number += 1
            defer { lineStart = lineEnd + 1 }
            if line.isEmpty || line.first == UInt8(ascii: "#") {
                if lineStart != 0 { canonical = false }
                continue
            }
            // Taken apart as it is bound: fields of an optional tuple are copied on each use.
            guard case let (name, question, field, language, entry)? = parse(line) else {
                bag.error(SourceLocation(path: path, line: number, column: 1),
                          "this line is not a translation lock entry (a merge conflict?); keep the lines of one side, or delete the file to record every translation of the phase as current")
                continue
            }
            // Out of order, or a raw tab or carriage return (a Windows checkout) that `file`
            // would write escaped: not what `file` writes.
            if canonical, !previousName.lexicographicallyPrecedes(name)
                || find(UInt8(ascii: "\t"), in: entry.escapedEnglish) != nil
                || find(UInt8(ascii: "\r"), in: entry.escapedEnglish) != nil {
                canonical = false
            }
            previousName = name
            read.append(question: question, field: field, language: language, entry)
        }
        read.endRun()
        if canonical { read.canonical = bytes }
        return read
    }

    /// One line: question, field, language, two fingerprints of 16 hex digits, the escaped English.
    private static func parse(_ line: ArraySlice<UInt8>)
        -> (name: ArraySlice<UInt8>, question: String, field: String, language: String, entry: Entry)? {
        // The first five tabs, each found after the one before (not gathered into an array,
        // which cost a tenth of reading a build's 20,000 lines).
        func tab(from start: Int) -> Int? { find(UInt8(ascii: "\t"), in: line[start...]) }
        guard let tab0 = tab(from: line.startIndex), let tab1 = tab(from: tab0 + 1), let tab2 = tab(from: tab1 + 1),
              let tab3 = tab(from: tab2 + 1), let tab4 = tab(from: tab3 + 1), tab3 - tab2 == 17, tab4 - tab3 == 17,
              let english = hexValue(line[(tab2 + 1)..<tab3]), let translation = hexValue(line[(tab3 + 1)..<tab4]),
              isEscaped(line[(tab4 + 1)...]) else { return nil }
        func text(_ range: Range<Int>) -> String { String(decoding: line[range], as: UTF8.self) }
        return (line[..<tab2], text(line.startIndex..<tab0), text((tab0 + 1)..<tab1), text((tab1 + 1)..<tab2),
                Entry(english: english, translation: translation, escapedEnglish: line[(tab4 + 1)...]))
    }

    private static func hexValue(_ digits: ArraySlice<UInt8>) -> UInt64? {
        digits.withUnsafeBufferPointer { digits in
            var value: UInt64 = 0
            for byte in digits {
                // 0-9 and a-f only: a byte below '0' wraps around to a large number.
                let decimal = byte &- UInt8(ascii: "0"), letter = byte &- UInt8(ascii: "a")
                let digit = decimal < 10 ? decimal : letter < 6 ? letter &+ 10 : 0xFF
                guard digit != 0xFF else { return nil }
                value = value << 4 | UInt64(digit)
            }
            return value
        }
    }

    // MARK: - Writing

    /// A phase's lock file: the header, then its entries' lines, sorted.
    static func file(_ entries: [Key: Entry]) -> [UInt8] {
        var out = Array(header.utf8)
        for key in entries.keys.sorted() {
            let entry = entries[key]!
            for name in [key.question, key.field, key.language] {
                out.append(contentsOf: name.utf8)
                out.append(UInt8(ascii: "\t"))
            }
            appendHex(entry.english, to: &out)
            appendHex(entry.translation, to: &out)
            out.append(contentsOf: entry.escapedEnglish)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// 16 lowercase hex digits and a tab.
    private static func appendHex(_ value: UInt64, to out: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int(value >> UInt64(shift) & 0xF)]) }
        out.append(UInt8(ascii: "\t"))
    }

    /// `\\`, `\t`, `\n`, `\r` escaped; the runs between them copied whole.
    private static func escape(_ text: String, into out: inout [UInt8]) {
        text.withUTF8Bytes { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() {
                let escaped: UInt8
                switch byte {
                case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
                case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
                default: continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                out.append(UInt8(ascii: "\\"))
                out.append(escaped)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }

    /// Where `byte` first is in `slice` (`memchr`: a lock holds the whole course's English,
    /// and the standard library's generic search costs ten times more per byte).
    private static func find(_ byte: UInt8, in slice: ArraySlice<UInt8>) -> Int? {
        slice.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let found = memchr(base, Int32(byte), buffer.count) else { return nil }
            return slice.startIndex + (UnsafeRawPointer(found) - UnsafeRawPointer(base))
        }
    }

    /// Whether a field is a well-formed escaped text: every `\` starts one of the four escapes.
    private static func isEscaped(_ field: ArraySlice<UInt8>) -> Bool {
        var index = field.startIndex
        while let backslash = find(UInt8(ascii: "\\"), in: field[index...]) {
            let next = backslash + 1
            guard next < field.endIndex, unescaped(field[next]) != nil else { return false }
            index = next + 1
        }
        return true
    }

    /// The byte an escape (`\` and this letter) stands for; nil for any other letter.
    private static func unescaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        case UInt8(ascii: "t"): UInt8(ascii: "\t")
        case UInt8(ascii: "n"): UInt8(ascii: "\n")
        case UInt8(ascii: "r"): UInt8(ascii: "\r")
        default: nil
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
            guard index < field.endIndex, let unescaped = unescaped(field[index]) else { return nil }
            out.append(unescaped)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Fingerprints

    /// The text's fingerprint, as described above, in 16 hex digits as the file has it.
    public static func fingerprint(_ text: String) -> String {
        let hex = String(fingerprint(of: text), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The text's fingerprint: FNV-1a over the text with each paragraph's words joined by one
    /// space and paragraphs by a blank line.
    public static func fingerprint(of text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func add(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var pendingSpace = false, pendingParagraph = false, started = false, lineIsBlank = true
        @inline(__always) func isWhite(_ byte: UInt8) -> Bool {
            byte <= 0x20 && (byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A)
        }
        // Over the contiguous UTF-8 (not String.UTF8View, which checks each index), a run of
        // other bytes at a time: only a run's start looks at what white space came before.
        text.withUTF8Bytes { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    pendingSpace = started
                    index += 1
                case UInt8(ascii: "\n"):
                    if lineIsBlank { pendingParagraph = started } else { pendingSpace = started }
                    lineIsBlank = true
                    index += 1
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
                    while index < bytes.count, !isWhite(bytes[index]) {
                        add(bytes[index])
                        index += 1
                    }
                }
            }
        }
        return hash
    }
}
