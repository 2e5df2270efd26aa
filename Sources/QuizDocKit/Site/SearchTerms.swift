import CByteScan
import Foundation
import Synchronization

/// How a text becomes search terms, per language. `site.js` does exactly the same to a query
/// (`searchTerms` there); both are held to `Tests/js/search-terms.json`.
///
/// - Words are runs of letters and digits (Unicode categories L and N).
/// - Case and accents are folded: lowercase, canonical decomposition, combining marks
///   dropped; but in Spanish `ñ` stays distinct from `n` ("año" is not "ano"). Final sigma
///   is folded to sigma, so a word's end does not change its letters.
/// - Words of one character and the language's stopwords are not terms.
/// - A light stemmer takes the plural off (`caches` → `cache`, `cuantizaciones` →
///   `cuantizacion`), so that a query in the singular finds the plural, and the other way.
struct SearchTerms {
    let code: String
    private let keepsEñe: Bool
    private let plurals: Plurals
    private let stopwords: StopwordSet
    /// What each non-ASCII scalar met so far does to a word, once folded: the scalars below
    /// U+0250 (Latin) by their value, inline (`LatinFold`), the others in a dictionary.
    private var foldedLatin = [LatinFold](repeating: LatinFold(), count: 0x250)
    private var folded: [UInt32: [Fold]] = [:]
    /// The word being read, as UTF-8, in room kept from word to word.
    private var word = ByteBuffer()

    private enum Fold {
        case letters([UInt8])
        /// A combining tilde: makes a Spanish word's last `n` an `ñ`.
        case tilde
        case mark
        case separator
    }

    /// A Latin scalar's folds in a few bytes, when they have one of the shapes Latin letters
    /// have (letters, then marks) or are a separator: the letters of `é`, `Ñ`, `ü` cost no
    /// array to fetch and walk, in a Spanish text's every other word.
    private struct LatinFold {
        enum Shape: UInt8 {
            case unknown
            /// `count` bytes of `letters`, low byte first, then marks, a tilde among them or not.
            case letters, lettersThenTilde
            case separator
            /// Any other shape: the folds are in `folded`.
            case other
        }
        var letters: UInt64 = 0
        var count: UInt8 = 0
        var shape = Shape.unknown

        init() {}

        init(_ folds: [Fold]) {
            shape = .letters
            for fold in folds {
                switch fold {
                case .letters(let bytes) where shape == .letters && Int(count) + bytes.count <= 8:
                    for byte in bytes {
                        letters |= UInt64(byte) << (8 * UInt64(count))
                        count += 1
                    }
                case .mark: break
                case .tilde: shape = .lettersThenTilde
                case .separator where folds.count == 1: shape = .separator
                default:
                    self = LatinFold()
                    shape = .other
                    return
                }
            }
        }
    }

    /// The plural endings the stemmer knows: the language's, looked up once.
    private enum Plurals { case english, spanish, none }

    init(code: String) {
        self.code = code
        keepsEñe = code == "es"
        plurals = switch code {
        case "en": .english
        case "es": .spanish
        default: .none
        }
        stopwords = StopwordSet((Self.stopwords[code] ?? []).compactMap { Self.packed(Array($0.utf8)) })
    }

    /// Instances a build's phases take in turn (`withTerms`), so that what one learnt of a
    /// language's characters (`fold`) serves the next phase: made anew for each phase, their
    /// tables and stopword sets cost 1.2 % of a prose course's full build (instructions).
    private static let pool = Mutex<[String: [SearchTerms]]>([:])

    /// Runs `body` with an instance for the language, from the pool, given back after.
    static func withTerms<R>(code: String, _ body: (inout SearchTerms) -> R) -> R {
        var terms = pool.withLock { $0[code]?.popLast() } ?? SearchTerms(code: code)
        defer { pool.withLock { [terms] in $0[code, default: []].append(terms) } }
        return body(&terms)
    }

    /// The language's stopwords, as they are folded: the search index gives them to
    /// `site.js`, which drops them from queries.
    static let stopwords: [String: [String]] = [
        "en": ["a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "has", "have",
               "how", "if", "in", "into", "is", "it", "its", "not", "of", "on", "or", "so", "than", "that", "the", "their",
               "then", "there", "these", "they", "this", "to", "was", "were", "what", "when", "which", "why", "will", "with"],
        "es": ["a", "al", "como", "con", "cual", "de", "del", "el", "en", "entre", "es", "esta", "este", "hay", "la", "las",
               "lo", "los", "mas", "o", "para", "pero", "por", "que", "se", "si", "sin", "sobre", "son", "su", "sus", "un",
               "una", "y"],
    ]

    /// The text's terms, in order, repeats included.
    mutating func terms(_ text: String) -> [String] {
        var table = TermTable()
        var numbers: [Int] = []
        scan(text, into: &table, numbers: &numbers)
        return numbers.map { table.list.string($0) }
    }

    /// The text's terms, in order, repeats included, as their numbers in `table` (which
    /// keeps each distinct term once, however often it occurs), in `numbers` (emptied first:
    /// one buffer serves every text).
    mutating func scan(_ text: String, into table: inout TermTable, numbers: inout [Int]) {
        scan(text, html: false, into: &table, numbers: &numbers)
    }

    /// The same for an HTML fragment as cmark-gfm writes it: the terms of its `plainText`,
    /// read from the HTML without making that text. A tag is dropped and the word goes on
    /// across it, as `plainText` drops it; each of the five entities stands for a mark
    /// (`&`, `<`, `>`, `"`, `'`), which ends a word, as every other mark does.
    mutating func scan(html: String, into table: inout TermTable, numbers: inout [Int]) {
        scan(html, html: true, into: &table, numbers: &numbers)
    }

    private mutating func scan(_ text: String, html: Bool, into table: inout TermTable, numbers: inout [Int]) {
        numbers.removeAll(keepingCapacity: true)
        let (stopwords, plurals) = (stopwords, plurals)
        text.withUTF8Bytes { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case 0x41...0x5A: word.append(byte + 0x20)
                case 0x61...0x7A, 0x30...0x39:
                    // A run of lowercase letters and digits: when it is a whole word (an ASCII
                    // byte other than a capital ends it, but a tag does not), it is its own
                    // term as it stands in the text, without a copy.
                    let end = index + 1 + quizdoc_lowercase_or_digit_run(bytes.baseAddress! + index + 1, bytes.count - index - 1)
                    let run = UnsafeBufferPointer(rebasing: bytes[index..<end])
                    if word.isEmpty, end == bytes.count || (bytes[end] < 0x41 && !(html && bytes[end] == UInt8(ascii: "<")))
                        || (bytes[end] > 0x5A && bytes[end] < 0x80) {
                        Self.addTerm(run, scalars: run.count, stopwords: stopwords, plurals: plurals, into: &numbers, table: &table)
                    } else {
                        word.append(run)
                    }
                    index = end
                    continue
                case UInt8(ascii: "<") where html:
                    while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
                case UInt8(ascii: "&") where html:
                    endWord(into: &numbers, table: &table)
                    index += 1
                    if let entity = plainTextEntities.first(where: { bytes[index...].starts(with: $0.name) }) {
                        index += entity.name.count
                    }
                    continue
                case 0..<0x80:
                    // A space or a mark, mostly after a word already added whole: no call.
                    if !word.isEmpty { endWord(into: &numbers, table: &table) }
                default:
                    let (scalar, length) = Self.decode(bytes, at: index)
                    index += length
                    if scalar < 0x250 {
                        var latin = foldedLatin[Int(scalar)]
                        if latin.shape == .unknown {
                            latin = LatinFold(Self.fold(scalar))
                            foldedLatin[Int(scalar)] = latin
                        }
                        switch latin.shape {
                        case .letters, .lettersThenTilde:
                            var letters = latin.letters
                            for _ in 0..<latin.count {
                                word.append(UInt8(truncatingIfNeeded: letters))
                                letters >>= 8
                            }
                            if latin.shape == .lettersThenTilde, keepsEñe, word.last == UInt8(ascii: "n") {
                                word.removeLast()
                                word.append(0xC3)
                                word.append(0xB1)
                            }
                            continue
                        case .separator:
                            endWord(into: &numbers, table: &table)
                            continue
                        case .unknown, .other:
                            break
                        }
                    }
                    for fold in fold(scalar) {
                        switch fold {
                        case .letters(let letters): letters.withUnsafeBufferPointer { word.append($0) }
                        case .tilde:
                            if keepsEñe, word.last == UInt8(ascii: "n") { word.removeLast(); word.append(0xC3); word.append(0xB1) }
                        case .mark: break
                        case .separator: endWord(into: &numbers, table: &table)
                        }
                    }
                    continue
                }
                index += 1
            }
        }
        endWord(into: &numbers, table: &table)
    }

    private mutating func endWord(into numbers: inout [Int], table: inout TermTable) {
        guard !word.isEmpty else { return }
        defer { word.removeAll() }
        let (stopwords, plurals) = (stopwords, plurals)
        word.withUnsafeBufferPointer {
            Self.addTerm($0, scalars: Self.scalarCount($0), stopwords: stopwords, plurals: plurals, into: &numbers, table: &table)
        }
    }

    /// Static, so that a call from a closure over `word` does not copy the whole struct.
    /// `scalars`: the word's count of Unicode scalars (its length in bytes when it is ASCII).
    private static func addTerm(_ word: UnsafeBufferPointer<UInt8>, scalars: Int, stopwords: StopwordSet, plurals: Plurals,
                                into numbers: inout [Int], table: inout TermTable) {
        guard scalars > 1, !stopwords.contains(word) else { return }
        stem(word, scalars: scalars, plurals: plurals) { numbers.append(table.number(of: $0)) }
    }

    /// The scalar that starts at `index` in valid UTF-8, and its length in bytes.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[index])
        func next(_ offset: Int) -> UInt32 { UInt32(bytes[index + offset] & 0x3F) }
        switch lead {
        case 0xC0..<0xE0: return ((lead & 0x1F) << 6 | next(1), 2)
        case 0xE0..<0xF0: return ((lead & 0x0F) << 12 | next(1) << 6 | next(2), 3)
        default: return ((lead & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
        }
    }

    /// A non-ASCII scalar lowercased and decomposed, each part a letter, a mark or a separator.
    private mutating func fold(_ value: UInt32) -> [Fold] {
        if let known = folded[value] { return known }
        let parts = Self.fold(value)
        folded[value] = parts
        return parts
    }

    private static func fold(_ value: UInt32) -> [Fold] {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        return scalar.properties.lowercaseMapping.decomposedStringWithCanonicalMapping.unicodeScalars.map { part -> Fold in
            switch part.properties.generalCategory {
            case .nonspacingMark: return part.value == 0x303 ? .tilde : .mark
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber:
                return .letters(Array(String(part.value == 0x3C2 ? "\u{3C3}" : part).utf8))
            default: return .separator
            }
        }
    }

    /// A word of at most 8 bytes as a number (its bytes, then 0xFF, which UTF-8 never has).
    fileprivate static func packed(_ word: some Collection<UInt8>) -> UInt64? {
        guard word.count <= 8 else { return nil }
        var value: UInt64 = 0
        for byte in word { value = value << 8 | UInt64(byte) }
        return value << 8 | 0xFF
    }

    private static func scalarCount(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in word { count &+= byte & 0xC0 == 0x80 ? 0 : 1 }
        return count
    }

    /// Calls `body` with the word without its plural ending, when it has one the language's
    /// rules know, or with the word as it is.
    private static func stem(_ word: UnsafeBufferPointer<UInt8>, scalars count: Int, plurals: Plurals,
                             _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard count > 3 else { return body(word) }
        let bytes = word.count
        func ends(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            guard length <= bytes else { return false }
            for offset in 0..<length where word[bytes - length + offset] != suffix.utf8Start[offset] { return false }
            return true
        }
        func dropping(_ n: Int, adding tail: StaticString = "") {
            guard tail.utf8CodeUnitCount > 0 else { return body(UnsafeBufferPointer(rebasing: word[..<(bytes - n)])) }
            var result = Array(word[..<(bytes - n)])
            tail.withUTF8Buffer { result.append(contentsOf: $0) }
            result.withUnsafeBufferPointer(body)
        }
        // Before the ending: an ASCII letter, or the last byte of another scalar (never one of these).
        func before(_ suffixLength: Int, isOneOf letters: StaticString) -> Bool {
            let byte = word[bytes - suffixLength - 1]
            return letters.withUTF8Buffer { $0.contains(byte) }
        }
        switch plurals {
        case .english:
            if ends("ies"), count > 4 { return dropping(3, adding: "y") }
            if ends("s"), !ends("ss"), !ends("us"), !ends("is") { return dropping(1) }
        case .spanish:
            if ends("ces") { return dropping(3, adding: "z") }
            if ends("es"), count > 4 {
                // capitales → capital, cuantizaciones → cuantizacion; but clases → clase.
                return before(2, isOneOf: "lnrdj") ? dropping(2) : dropping(1)
            }
            if ends("s"), before(1, isOneOf: "aeiou") { return dropping(1) }
        case .none:
            break
        }
        body(word)
    }
}

/// A language's stopwords, each packed into a number (`SearchTerms.packed`; none is longer
/// than 8 bytes), in a table where a multiplicative hash puts each in a slot of its own:
/// a word is one multiplication and one comparison away from the answer (a binary search
/// cost a hundred instructions a word, and half of a prose course's words are that short).
struct StopwordSet {
    private let slots: [UInt64]
    private let multiplier: UInt64
    private let longest: Int
    private static let shift: UInt64 = 54 // 1,024 slots

    init(_ packed: [UInt64]) {
        longest = packed.map { (64 - $0.leadingZeroBitCount + 7) / 8 - 1 }.max() ?? 0
        // The first of a fixed sequence of odd multipliers that gives every stopword a slot
        // of its own (for a few dozen words in 1,024 slots, one in three does).
        var multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        while true {
            var slots = [UInt64](repeating: 0, count: 1 << (64 - Self.shift))
            var collided = false
            for word in packed {
                let slot = Int((word &* multiplier) >> Self.shift)
                if slots[slot] != 0, slots[slot] != word { collided = true; break }
                slots[slot] = word
            }
            if !collided {
                (self.slots, self.multiplier) = (slots, multiplier)
                return
            }
            multiplier = (multiplier &* 0x5851_F42D_4C95_7F2D &+ 0x1405_7B7E_F767_814F) | 1
        }
    }

    @inline(__always) func contains(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most words are longer than any stopword.
        guard word.count <= longest, let packed = SearchTerms.packed(word) else { return false }
        return slots[Int((packed &* multiplier) >> Self.shift)] == packed
    }
}

/// Terms as UTF-8, end to end in one buffer, numbered in order, each with its FNV-1a hash:
/// what a phase hands to the search index, which adds them to the language's table without
/// hashing or copying them into strings again.
struct TermList: Sendable {
    /// The terms' bytes, end to end, the last one ending at `byteCount`: the room past it
    /// (zeros) is made by doubling, and a term copied into it in place (the standard
    /// library's append of a term, for any sequence, cost 60 instructions besides the copy).
    private(set) var keys: [UInt8] = []
    /// Where each term's bytes end in `keys` (and the next one's start).
    private(set) var ends: [Int32] = []
    private(set) var hashes: [UInt32] = []

    var count: Int { ends.count }

    /// How many bytes of `keys` the terms take.
    var byteCount: Int { Int(ends.last ?? 0) }

    static func hash(_ term: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in term { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return hash
    }

    mutating func append(_ term: UnsafeBufferPointer<UInt8>, hash: UInt32) {
        let start = byteCount, end = start + term.count
        if end > keys.count { keys.append(contentsOf: repeatElement(0, count: max(end, 2 * keys.count, 256) - keys.count)) }
        if let bytes = term.baseAddress {
            keys.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: start).update(from: bytes, count: term.count) }
        }
        ends.append(Int32(end))
        hashes.append(hash)
    }

    /// The same terms in arrays of their size: a phase's list is kept to the end of a build
    /// (`SearchIndex.PhasePostings`), and the room its arrays grew into by doubling (up to
    /// half of them) is memory a build touches for nothing.
    var trimmed: TermList {
        var list = TermList()
        list.keys = Array(keys[..<byteCount])
        list.ends = ends.withUnsafeBufferPointer { Array($0) }
        list.hashes = hashes.withUnsafeBufferPointer { Array($0) }
        return list
    }

    func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : Int(ends[index - 1]))..<Int(ends[index]) }

    func withTerm<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        keys.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range(index)])) }
    }

    func string(_ index: Int) -> String { String(decoding: keys[range(index)], as: UTF8.self) }

    /// The terms' numbers in the order JavaScript sorts the terms (`SearchIndex.precedesInJavaScript`).
    func sortedForJavaScript() -> [Int] {
        keys.withUnsafeBufferPointer { keys in
            (0..<count).sorted {
                SearchIndex.precedesInJavaScript(UnsafeBufferPointer(rebasing: keys[range($0)]), UnsafeBufferPointer(rebasing: keys[range($1)]))
            }
        }
    }
}

/// The distinct terms met so far, each numbered in order of first appearance (`list`).
/// Open addressing over the terms' hashes, so finding a term allocates nothing.
struct TermTable {
    private(set) var list = TermList()
    private var slots = [Int32](repeating: -1, count: 512)

    var count: Int { list.count }

    mutating func number(of term: UnsafeBufferPointer<UInt8>) -> Int {
        number(of: term, hash: TermList.hash(term))
    }

    /// The term's number, the next one when it is new; `hash` is `TermList.hash(term)`.
    mutating func number(of term: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int {
        let (slot, found) = find(term, hash: hash)
        if let found { return found }
        let index = list.count
        list.append(term, hash: hash)
        slots[slot] = Int32(index)
        if list.count * 2 > slots.count { grow() }
        return index
    }

    /// Whether the table has `term`.
    func contains(_ term: UnsafeBufferPointer<UInt8>) -> Bool {
        find(term, hash: TermList.hash(term)).index != nil
    }

    /// The term's number, or the free slot where it would go.
    @inline(__always)
    private func find(_ term: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (slot: Int, index: Int?) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if list.hashes[index] == hash, key(index, equals: term) { return (slot, index) }
            slot = (slot + 1) & mask
        }
        return (slot, nil)
    }

    private func key(_ index: Int, equals term: UnsafeBufferPointer<UInt8>) -> Bool {
        let range = list.range(index)
        guard range.count == term.count else { return false }
        return list.keys.withUnsafeBufferPointer { memcmp($0.baseAddress! + range.lowerBound, term.baseAddress!, term.count) == 0 }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in list.hashes.enumerated() {
            var slot = Int(hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}
