import CByteScan
import Foundation
import TokenCodec
import ValidatedUTF8

/// The search index of one language, under `search/<code>/`, made so that a query loads a
/// small, bounded part of it, from a web server or from `file://` alike:
///
/// - `index.js`, the root (a few KB): the stopwords, the first term of every term chunk,
///   and each phase's number and question count (which numbers the questions: a question's
///   document number is its place in the course).
/// - `t<n>.js`, the term chunks (about `chunkBytes` each): every term in a range of the
///   sorted terms, with its postings: the documents it occurs in and the best field it
///   occurs in (title, prompt, choices). A query loads the chunks of its words' prefixes.
/// - `p<phase>.js`, one per phase: what a result shows (the phase's topic and page, each
///   question's id, title and the start of its prompt). A query loads those of the
///   results it shows.
///
/// Every file is a script that hands its data to `quizdocSearch(name, data)` (`site.js`):
/// a page opened from `file://` may load a script but not fetch a file. Answers and keys
/// are never indexed, so search cannot spoil a question.
enum SearchIndex {
    /// A term chunk is closed once it holds this many bytes (a term's postings are never split).
    static let chunkBytes = 16_000
    /// What a result shows of a question's prompt, at most (cut at a word).
    static let snippetLength = 110

    /// Where a term occurs in a question, best first.
    enum Field: UInt32 {
        case title = 0, prompt, choices
    }

    /// What a result shows of a question.
    struct Document: Sendable {
        var id: String
        var title: String
        var snippet: String
    }

    /// What a phase's results show: its results file.
    struct Phase: Sendable {
        var number: Int
        var topic: String
        /// Its page, from the site root.
        var page: String
        var documents: [Document]
    }

    /// A language's postings: each term's list of (document number << 2 | field), documents
    /// ascending. Terms are kept as UTF-8 (`TermTable`): a phase's terms join the language's
    /// by their bytes and hashes, and go into the term chunks as bytes (a `String` is made
    /// only for each chunk's first term, which the root names).
    struct Postings {
        private(set) var terms = TermTable()
        private(set) var lists: [[UInt32]] = []

        /// Appends `postings`, each plus `offset`, to the list of `term` (`hash` its
        /// `TermList.hash`), empty when the term is new. In place, a posting at a time: no
        /// closure per term (which retained and released what it captured, 330 instructions
        /// a term with what it called), no lazy map (an array allocated per term).
        mutating func append(_ postings: UnsafeBufferPointer<UInt32>, offset: UInt32, to term: UnsafeBufferPointer<UInt8>, hash: UInt32) {
            let index = terms.number(of: term, hash: hash)
            if index == lists.count { lists.append([]) }
            lists.withUnsafeMutableBufferPointer { lists in
                for posting in postings { lists[index].append(posting + offset) }
            }
        }

        /// Sets a term's list (for tests).
        mutating func set(_ term: String, to list: [UInt32]) {
            var term = term
            term.withUTF8 { bytes in
                let index = terms.number(of: bytes, hash: TermList.hash(bytes))
                if index == lists.count { lists.append([]) }
                lists[index] = list
            }
        }
    }

    static func folder(_ language: Language) -> String { "search/\(language.code)" }
    static func rootPath(_ language: Language) -> String { "\(folder(language))/index.js" }
    static func phasePath(_ language: Language, phase: Int) -> String { String(joining: "search/", language.code, "/p", String(phase), ".js") }
    static func chunkPath(_ language: Language, _ chunk: Int) -> String { String(joining: "search/", language.code, "/t", String(chunk), ".js") }

    // MARK: - Making

    /// A rendered phase's part of the index in one language: what its results show, and
    /// its postings (each term once per question, with the best field it occurs in).
    static func phase(_ phase: SiteBuilder.RenderedPhase, language: Language, paths: SitePaths,
                      terms: inout SearchTerms) -> (results: Phase, postings: PhasePostings) {
        var postings = PhasePostings(number: phase.summary.phase)
        var table = TermTable()
        var numbers: [Int] = []
        var lastQuestion: [Int] = []
        var pairs: [(term: Int, posting: UInt32)] = []
        let questions = phase.questions[language.code] ?? []
        var documents: [Document] = []
        documents.reserveCapacity(questions.count)
        // Plain loops, no closure capturing the tables: a capture made every access to
        // them a dynamic exclusivity check.
        for (offset, question) in questions.enumerated() {
            // Fields in order, best first: a term's first field in a question is its best
            // (read where they are: gathered into an array, a question's were two arrays).
            for place in 0..<(2 + question.choices.count) {
                let (html, field) = switch place {
                case 0: (question.title, Field.title)
                case 1: (question.prompt, Field.prompt)
                default: (question.choices[place - 2], Field.choices)
                }
                terms.scan(html: html, into: &table, numbers: &numbers)
                for index in numbers {
                    while lastQuestion.count <= index { lastQuestion.append(-1) }
                    guard lastQuestion[index] != offset else { continue }
                    lastQuestion[index] = offset
                    pairs.append((index, UInt32(offset) << 2 | field.rawValue))
                }
            }
            // The prompt's plain text only as far as its snippet reads.
            let prompt = plainText(question.prompt, scalarLimit: snippetLength)
            documents.append(Document(id: question.id, title: plainText(question.title), snippet: snippet(prompt)))
        }
        postings.terms = table.list.trimmed
        postings.group(pairs, questions: questions.count)
        let title = plainText(phase.summary.titles[language.code] ?? "")
        let results = Phase(number: phase.summary.phase,
                            topic: language.text(.pageHeading, ["phase": String(phase.summary.phase), "title": title]),
                            page: paths.phase(phase.summary.baseName, language), documents: documents)
        return (results, postings)
    }

    /// The start of a prompt, cut after a word: at most `snippetLength` Unicode scalars
    /// (counted on the UTF-8, not as characters, which would walk the whole prompt).
    static func snippet(_ text: String) -> String {
        let cut = text.withUTF8Bytes { bytes -> String? in
            var scalars = 0
            var end = 0
            while end < bytes.count {
                if bytes[end] & 0xC0 != 0x80 {
                    if scalars == snippetLength { break }
                    scalars += 1
                }
                end += 1
            }
            guard end < bytes.count else { return nil }
            var cut = end
            while cut > 0, bytes[cut - 1] != UInt8(ascii: " ") { cut -= 1 }
            if cut > 0 { end = cut - 1 }
            // `end` is a scalar's start or a space: a boundary of the string's valid UTF-8.
            // The text and its "…" made into one string (a second string, joined, copied it again).
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: end + 3) { out in
                _ = out.initialize(fromContentsOf: UnsafeBufferPointer(rebasing: bytes[..<end]))
                (out[end], out[end + 1], out[end + 2]) = (0xE2, 0x80, 0xA6)
                return String(validatedUTF8: UnsafeBufferPointer(out))
            }
        }
        return cut ?? text
    }

    /// The phase's file, what its results show.
    static func phaseScript(_ phase: Phase, language: Language) -> [UInt8] {
        var script: [UInt8] = []
        script.reserveCapacity(256 + phase.documents.count * (snippetLength + 64))
        script.append(contentsOf: "quizdocSearch(".utf8)
        appendQuoted("\(language.code)/p\(phase.number)", to: &script)
        script.append(contentsOf: ",{\"topic\":".utf8)
        appendQuoted(phase.topic, to: &script)
        script.append(contentsOf: ",\"page\":".utf8)
        appendQuoted(phase.page, to: &script)
        script.append(contentsOf: ",\"questions\":[".utf8)
        for (index, document) in phase.documents.enumerated() {
            script.append(contentsOf: index == 0 ? "\n[".utf8 : ",\n[".utf8)
            appendQuoted(document.id, to: &script)
            script.append(UInt8(ascii: ","))
            appendQuoted(document.title, to: &script)
            script.append(UInt8(ascii: ","))
            appendQuoted(document.snippet, to: &script)
            script.append(UInt8(ascii: "]"))
        }
        script.append(contentsOf: "\n]});\n".utf8)
        return script
    }

    /// What the index keeps of a phase until every phase is done: its postings, its
    /// questions numbered from 0 (the texts went to its results file). Flat, because a
    /// course's phases are all held at once: term `i`'s postings are
    /// `postings[ends[i - 1]..<ends[i]]`, in question order.
    struct PhasePostings: Sendable {
        var number: Int
        var count = 0
        var terms = TermList()
        var ends: [Int32] = []
        var postings: [UInt32] = []

        init(number: Int) {
            self.number = number
        }

        /// A checksum of the postings as made: the terms in the order the phase first uses
        /// them, each with its postings. A phase made again with the checksum it had in the
        /// last build brings its language's index nothing new.
        var checksum: UInt64 {
            let keys = terms.keys.withUnsafeBytes { Checksum.of(UnsafeRawBufferPointer(rebasing: $0[..<terms.byteCount])) }
            let parts = [UInt64(count), keys, terms.ends.withUnsafeBytes { Checksum.of($0) },
                         ends.withUnsafeBytes { Checksum.of($0) }, postings.withUnsafeBytes { Checksum.of($0) }]
            return parts.withUnsafeBytes { Checksum.of($0) }
        }

        /// (term, posting) pairs in question order, grouped by term, each group keeping that order.
        mutating func group(_ pairs: [(term: Int, posting: UInt32)], questions: Int) {
            count = questions
            var starts = [Int](repeating: 0, count: terms.count + 1)
            for pair in pairs { starts[pair.term + 1] += 1 }
            for index in 0..<terms.count { starts[index + 1] += starts[index] }
            ends = starts.dropFirst().map { Int32($0) }
            postings = [UInt32](repeating: 0, count: pairs.count)
            for pair in pairs {
                postings[starts[pair.term]] = pair.posting
                starts[pair.term] += 1
            }
        }
    }

    /// Adds a phase's postings, its questions numbered from `first`, to the language's.
    static func add(_ phase: PhasePostings, first: Int, to postings: inout Postings) {
        let offset = UInt32(first) << 2
        let terms = phase.terms
        terms.keys.withUnsafeBufferPointer { keys in
            terms.hashes.withUnsafeBufferPointer { hashes in
                phase.postings.withUnsafeBufferPointer { source in
                    var start = 0
                    for (term, end) in phase.ends.enumerated() {
                        postings.append(UnsafeBufferPointer(rebasing: source[start..<Int(end)]), offset: offset,
                                        to: UnsafeBufferPointer(rebasing: keys[terms.range(term)]), hash: hashes[term])
                        start = Int(end)
                    }
                }
            }
        }
    }

    /// A language's postings made from its phases' as they are made, in course order, each
    /// phase's let go once added: held to the end of a build, a 1,000-phase course's took
    /// 17 MB a language (prose), memory the build touched for them alone, and adding them
    /// then was a stretch of the build's end (`Pipeline.streamPhases`).
    struct Assembly: Sendable {
        private(set) var postings = Postings()
        /// Each phase's number and question count, in course order.
        private(set) var phases: [(number: Int, count: Int)] = []
        /// The questions of the phases added so far: the next phase's first document.
        private var documents = 0

        /// The next phase's postings, nil for a phase made without them (which counts no
        /// question: it failed, and so does the build).
        mutating func add(_ fresh: PhasePostings?, phase: Int) {
            guard let fresh else { return phases.append((phase, 0)) }
            SearchIndex.add(fresh, first: documents, to: &postings)
            phases.append((fresh.number, fresh.count))
            documents += fresh.count
        }

        /// The root and the term chunks (`files`).
        func files(_ language: Language) -> [OutputFile] {
            SearchIndex.files(postings, phases: phases, language: language)
        }
    }

    /// The root and the term chunks of a language whose phases are `phases` (number and
    /// question count, in course order).
    static func files(_ postings: Postings, phases: [(number: Int, count: Int)], language: Language) -> [OutputFile] {
        let list = postings.terms.list
        var writer = ChunkWriter(language: language)
        list.keys.withUnsafeBufferPointer { keys in
            for index in list.sortedForJavaScript() {
                writer.add(UnsafeBufferPointer(rebasing: keys[list.range(index)]), postings: postings.lists[index])
            }
        }
        return writer.finish(phases: phases)
    }

    /// Makes the term chunks from the terms in order, each with its encoded postings, and
    /// then the root that names each chunk's first term: every way the index is made (all
    /// phases anew, or the last build's index merged with what changed) writes through it.
    struct ChunkWriter {
        let language: Language
        private(set) var files: [OutputFile] = []
        private var firstTerms: [String] = []
        private var chunk: [UInt8] = []
        /// A chunk is closed once its entries (not its head) hold `chunkBytes`.
        private var headLength = 0

        init(language: Language) {
            self.language = language
        }

        /// The next term, after every term added so far in JavaScript's order, with its
        /// postings (a list of `SearchIndex.Postings`), encoded into the chunk.
        mutating func add(_ term: UnsafeBufferPointer<UInt8>, postings: [UInt32]) {
            startEntry(term)
            postings.withUnsafeBufferPointer { appendEncoded($0, to: &chunk) }
            chunk.append(UInt8(ascii: "\""))
        }

        /// The next term, with its postings already encoded.
        mutating func add(_ term: UnsafeBufferPointer<UInt8>, postings: UnsafeBufferPointer<UInt8>) {
            startEntry(term)
            chunk.append(contentsOf: postings)
            chunk.append(UInt8(ascii: "\""))
        }

        /// A term's entry up to its postings: `"term":"`, in a new chunk when this one is full.
        private mutating func startEntry(_ term: UnsafeBufferPointer<UInt8>) {
            if chunk.count - headLength >= chunkBytes { close() }
            if chunk.isEmpty {
                firstTerms.append(String(decoding: term, as: UTF8.self))
                open()
            } else {
                chunk.append(contentsOf: ",\n".utf8)
            }
            appendQuoted(term, to: &chunk)
            chunk.append(contentsOf: ":\"".utf8)
        }

        private mutating func open() {
            chunk.append(contentsOf: "quizdocSearch(".utf8)
            appendQuoted("\(language.code)/t\(files.count)", to: &chunk)
            chunk.append(contentsOf: ",{\n".utf8)
            headLength = chunk.count
        }

        private mutating func close() {
            chunk.append(contentsOf: "\n});\n".utf8)
            files.append(OutputFile(path: chunkPath(language, files.count), contents: chunk))
            chunk.removeAll(keepingCapacity: true)
        }

        /// The chunks and the root, for a language whose phases are `phases` (number and
        /// question count, in course order).
        mutating func finish(phases: [(number: Int, count: Int)]) -> [OutputFile] {
            if chunk.isEmpty, files.isEmpty { open() } // no term at all: one empty chunk
            if !chunk.isEmpty { close() }
            if firstTerms.isEmpty { firstTerms.append("") }
            let stopwords = (SearchTerms.stopwords[language.code] ?? []).map(quoted).joined(separator: ",")
            let root = "quizdocSearch(\(quoted("\(language.code)/index")),{\"format\":1,\"language\":\(quoted(language.code))"
                + ",\"stopwords\":[\(stopwords)]"
                + ",\n\"chunks\":[\(firstTerms.map(quoted).joined(separator: ","))]"
                + ",\n\"phases\":[\(phases.map { "[\($0.number),\($0.count)]" }.joined(separator: ","))]});\n"
            return files + [OutputFile(path: rootPath(language), text: root)]
        }
    }

    /// Whether term `a` sorts before term `b` (both UTF-8) as JavaScript compares strings,
    /// by UTF-16 code units. UTF-8's byte order is the scalars' order, which is UTF-16's but
    /// for one thing: a scalar above U+FFFF (four bytes, lead F0–F4) is a surrogate pair in
    /// UTF-16 (D800–DFFF), below U+E000–U+FFFF (lead EE or EF). Two valid strings first
    /// differ at the same place in a scalar, so only the lead bytes at that place decide.
    static func precedesInJavaScript(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(a.count, b.count)
        var index = 0
        while index < common, a[index] == b[index] { index += 1 }
        guard index < common else { return a.count < b.count }
        @inline(__always) func key(_ byte: UInt8) -> UInt16 { byte == 0xEE || byte == 0xEF ? UInt16(byte) + 0x10 : UInt16(byte) }
        return key(a[index]) < key(b[index])
    }

    // MARK: - Postings as text

    /// Postings as text: for each, `(gap − 1) × 3 + field`, where the gap is the distance
    /// from the previous document (from −1 for the first), as a variable-length number in
    /// the 64 characters of base64url: 5 bits per character, most significant first, the
    /// last character from the first 32 and the others from the last 32.
    static func encode(_ list: [UInt32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(list.count * 2)
        list.withUnsafeBufferPointer { appendEncoded($0, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `encode(list)`, appended to `bytes`; with `previous`, the list goes on one whose last
    /// document that is.
    static func appendEncoded(_ list: UnsafeBufferPointer<UInt32>, after previous: Int64 = -1, to bytes: inout [UInt8]) {
        var previous = previous
        alphabet.withUnsafeBufferPointer { alphabet in
            for posting in list {
                let document = Int64(posting >> 2)
                let value = UInt64(document - previous - 1) * 3 + UInt64(posting & 3)
                previous = document
                var shift: UInt64 = 0
                while value >> (shift + 5) > 0 { shift += 5 }
                while shift > 0 {
                    bytes.append(alphabet[Int(value >> shift & 31) + 32])
                    shift -= 5
                }
                bytes.append(alphabet[Int(value & 31)])
            }
        }
    }

    static func decode(_ text: String) -> [UInt32]? {
        text.withUTF8Bytes { decode($0) }
    }

    /// `encode`'s inverse; nil for anything it does not write: checked as the last build's
    /// index is (`isValid`), then read as the merge reads it (`PostingReader`).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt32]? {
        let documents = Int(UInt32.max >> 2) + 1
        guard isValid(bytes, documents: documents) else { return nil }
        return digits.withUnsafeBufferPointer { digits in
            oneCharacter.withUnsafeBufferPointer { oneCharacter in
                var postings = PostingReader(bytes, documents: documents, digits: digits, oneCharacter: oneCharacter)
                var list: [UInt32] = []
                while let (document, field) = postings.next() { list.append(UInt32(document) << 2 | field) }
                return list
            }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Each byte's value in `alphabet`, or 0xFF.
    fileprivate static let digits: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()
    /// Each character that is a posting alone (one of the first 32 of the alphabet), as how
    /// far its document is from the one before (1–11) and, above it, its field (`<< 4`); 0
    /// for the others. Most postings are one character: a look-up each, no arithmetic.
    fileprivate static let oneCharacter: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for (value, byte) in alphabet.prefix(32).enumerated() { table[Int(byte)] = UInt8(1 + value / 3) | UInt8(value % 3) << 4 }
        return table
    }()

    // MARK: - Reading the last build's index

    /// A language's index as the current site has it, for a build that reuses phases: its
    /// root, read, and its term chunks, read too unless each still has the stamp the last
    /// build recorded for it (`readChunks` then reads them when a merge needs them: an edit
    /// that changes no term takes them over unread).
    struct Previous: Sendable {
        /// Phase number → its first document number and question count.
        var phases: [Int: (first: Int, count: Int)]
        /// Its root's and its chunks' site paths, in order.
        let paths: [String]
        /// Its terms in order, each with its postings as the chunks have them (encoded):
        /// empty while the chunks are unread.
        var entries = Entries()
        /// The bytes of its root and the chunks read, by site path: a file that comes out
        /// the same is taken over rather than written again.
        var files: [String: [UInt8]] = [:]
        /// The root and chunks found as the last build wrote them, by site path: their
        /// checksums and stamps (`Manifest.SearchFile`).
        var written: [String: Manifest.SearchFile] = [:]
        /// Where the chunks are, while they are unread.
        private(set) var unread: (site: String, code: String, documents: Int)?

        /// Every file of the index is as the last build wrote it.
        var isAsWritten: Bool { written.count == paths.count }

        /// The term chunks' bytes and entries, when they are still unread; false when one
        /// cannot be read, or is not as the last build wrote it after all (its stamp held, its
        /// bytes did not): whatever took the last index's postings over cannot have them. A
        /// chunk whose bytes have the checksum recorded for it (`written`) is as that build
        /// wrote it: its entries are only split apart, not checked again (3 MB a language,
        /// decoded posting by posting, took an edit's second core as long as its first took
        /// to read the manifest). A chunk with nothing recorded is checked.
        mutating func readChunks() -> Bool {
            guard let (site, code, documents) = unread else { return true }
            unread = nil
            for (number, path) in paths.dropFirst().enumerated() {
                guard let bytes = InputFile.contents(ofOutput: site + path, limit: SearchIndex.fileLimit) else { return false }
                // Changed since the last build wrote it: its postings may be valid and still not
                // the phases' (hand-edited), which a merge would carry on.
                if let recorded = written[path], recorded.checksum != bytes.withUnsafeBytes({ Checksum.of($0) }) { return false }
                guard SearchIndex.readChunk(bytes, name: "\(code)/t\(number)", documents: documents, checked: written[path] == nil,
                                            into: &entries) else { return false }
                entries.close(chunk: bytes)
                files[path] = bytes
            }
            return true
        }

        fileprivate mutating func leave(unreadIn site: String, code: String, documents: Int) {
            unread = (site, code, documents)
        }
    }

    /// The term chunks' entries, in order, where the chunks have them: each chunk's bytes as
    /// read (the arrays of `Previous.files`, not copied), and for each entry its term at
    /// `termStarts[i]..<termEnds[i]` of its chunk and its encoded postings from
    /// `termEnds[i] + 3` (past `":"`) to `listEnds[i]`. An edit read 1.6 MB of chunks a
    /// language and copied their entries into 1.6 MB more, the most memory it held.
    struct Entries: Sendable {
        private var chunks: [[UInt8]] = []
        /// Where each chunk's entries end, in entry numbers.
        private var chunkEnds: [Int] = []
        private var termStarts: [Int32] = [], termEnds: [Int32] = [], listEnds: [Int32] = []

        var count: Int { termEnds.count }

        /// An entry of the chunk being read (`close(chunk:)` ends it), by offsets in its bytes.
        mutating func append(term: Range<Int>, listEnd: Int) {
            termStarts.append(Int32(term.lowerBound))
            termEnds.append(Int32(term.upperBound))
            listEnds.append(Int32(listEnd))
        }

        /// Ends the chunk whose entries were appended since the last one: `bytes` are its bytes.
        mutating func close(chunk bytes: [UInt8]) {
            chunks.append(bytes)
            chunkEnds.append(count)
        }

        /// Whether the last entry's term comes before `term` as JavaScript orders strings
        /// (true when there is none).
        func lastTermPrecedes(_ term: UnsafeBufferPointer<UInt8>, inChunk bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let last = termEnds.indices.last else { return true }
            let range = Int(termStarts[last])..<Int(termEnds[last])
            // In the chunk being read, or in the last one closed.
            if chunkEnds.last.map({ last >= $0 }) ?? true {
                return SearchIndex.precedesInJavaScript(UnsafeBufferPointer(rebasing: bytes[range]), term)
            }
            return chunks[chunks.count - 1].withUnsafeBufferPointer { SearchIndex.precedesInJavaScript(UnsafeBufferPointer(rebasing: $0[range]), term) }
        }

        /// Each entry's term and encoded postings, in order.
        func forEach(_ body: (_ term: UnsafeBufferPointer<UInt8>, _ list: UnsafeBufferPointer<UInt8>) -> Void) {
            var entry = 0
            for (chunk, end) in zip(chunks, chunkEnds) {
                chunk.withUnsafeBufferPointer { bytes in
                    while entry < end {
                        body(UnsafeBufferPointer(rebasing: bytes[Int(termStarts[entry])..<Int(termEnds[entry])]),
                             UnsafeBufferPointer(rebasing: bytes[Int(termEnds[entry]) + 3..<Int(listEnds[entry])]))
                        entry += 1
                    }
                }
            }
        }
    }

    /// No file of the index is near 64 MiB (a chunk holds about 16 KB of entries).
    fileprivate static let fileLimit = 1 << 26

    /// The index under `site` (a path ending in `/`), or nil when any part of it is missing
    /// or not as quizdoc writes it: every term valid UTF-8 and after the one before it,
    /// every posting a document of the root's phases. `recorded` is what the last build
    /// recorded of its files (by site path). When every chunk still has its recorded stamp,
    /// the chunks are left unread until a merge needs them; otherwise they are read now
    /// (`Previous.readChunks`), and one with another checksum than recorded makes the index
    /// not the last build's (nil).
    static func previous(site: String, language: Language, recorded: [String: Manifest.SearchFile] = [:]) -> Previous? {
        guard let rootBytes = InputFile.contents(ofOutput: site + rootPath(language), limit: fileLimit),
              let root = readRoot(rootBytes) else { return nil }
        var phases: [Int: (first: Int, count: Int)] = [:]
        phases.reserveCapacity(root.phases.count)
        var first = 0
        for (phase, count) in root.phases {
            phases[phase] = (first, count)
            first += count
        }
        let chunks = (0..<root.chunks).map { chunkPath(language, $0) }
        var index = Previous(phases: phases, paths: [rootPath(language)] + chunks, files: [rootPath(language): rootBytes])
        if let file = recorded[rootPath(language)], file.checksum == rootBytes.withUnsafeBytes({ Checksum.of($0) }) {
            index.written[rootPath(language)] = file
        }
        // Stamped in their folder, each a look-up of one name.
        var stamps = FileStamp.Reader(root: String(site.dropLast()))
        let stamped = !chunks.isEmpty && chunks.allSatisfy { path in recorded[path].map { $0.stamp == stamps.stamp(path) } ?? false }
        for path in chunks {
            // A stamp that is another now (a checkout, a copy): the build stamps the chunk again.
            index.written[path] = stamped ? recorded[path]
                : recorded[path].map { Manifest.SearchFile(checksum: $0.checksum, stamp: Manifest.SearchFile.unknown) }
        }
        index.leave(unreadIn: site, code: language.code, documents: first)
        return stamped || index.readChunks() ? index : nil
    }

    /// How the documents of the last index are numbered now, in three ranges of the old
    /// numbers: below `unchangedBelow` each keeps its number; from `shiftedFrom` on each moves
    /// by `shift`; in between, `renumbered` says (−1: left out). The phases keep their
    /// order, so a list stays sorted, and the documents of the phases made anew fall in
    /// between. Postings are written as gaps, so a list's bytes for the first range, and for
    /// the third after its first posting, are what they were.
    struct Renumbering {
        let renumbered: [Int32]
        let unchangedBelow: Int
        let shiftedFrom: Int
        let shift: Int

        /// `renumbered` (one entry per old document), where the documents of the phases made
        /// anew start and end in the new numbering, and how many documents there are now.
        init(_ renumbered: [Int32], fresh: Range<Int>?, total: Int) {
            self.renumbered = renumbered
            var low = 0
            while low < renumbered.count, renumbered[low] == low { low += 1 }
            low = min(low, fresh?.lowerBound ?? low)
            let shift = total - renumbered.count
            var high = renumbered.count
            while high > low, renumbered[high - 1] >= 0, Int(renumbered[high - 1]) == high - 1 + shift { high -= 1 }
            if let fresh { high = max(high, min(fresh.upperBound - shift, renumbered.count)) }
            unchangedBelow = low
            shiftedFrom = high
            self.shift = shift
        }
    }

    /// The index of a build that took `previous`'s phases over, made some anew (their
    /// postings in `fresh`) and left some out (`renumbering`). The last index's terms are
    /// read in their order (no table, no sort) and merged with the fresh ones, sorted; of a
    /// term's postings, only those whose gap changed are encoded again. The same files as
    /// `files` of every posting.
    static func merging(_ previous: Previous, _ renumbering: Renumbering, fresh: Postings,
                        phases: [(number: Int, count: Int)], language: Language) -> [OutputFile] {
        var writer = ChunkWriter(language: language)
        let freshTerms = fresh.terms.list
        let order = freshTerms.sortedForJavaScript()
        var moved: [UInt32] = [], merged: [UInt32] = [], list: [UInt8] = []
        freshTerms.keys.withUnsafeBufferPointer { keys in
            // Constant tables, never freed.
            let digits = digits.withUnsafeBufferPointer { $0 }, oneCharacter = oneCharacter.withUnsafeBufferPointer { $0 }
            var next = 0
            func freshTerm(_ position: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: keys[freshTerms.range(order[position])])
            }
            previous.entries.forEach { term, encoded in
                while next < order.count, precedesInJavaScript(freshTerm(next), term) {
                    writer.add(freshTerm(next), postings: fresh.lists[order[next]])
                    next += 1
                }
                var added: [UInt32] = []
                if next < order.count, freshTerm(next).elementsEqual(term) {
                    added = fresh.lists[order[next]]
                    next += 1
                }
                list.removeAll(keepingCapacity: true)
                renumber(PostingReader(encoded, documents: renumbering.renumbered.count,
                                       digits: digits, oneCharacter: oneCharacter), renumbering,
                         adding: added, moved: &moved, merged: &merged, into: &list)
                if !list.isEmpty { list.withUnsafeBufferPointer { writer.add(term, postings: $0) } }
            }
            while next < order.count {
                writer.add(freshTerm(next), postings: fresh.lists[order[next]])
                next += 1
            }
        }
        return writer.finish(phases: phases)
    }

    /// An encoded list of the last index (valid: `readChunk` checked it), renumbered, with
    /// the postings `added` (new numbers) merged in, encoded into `out`: the bytes of the
    /// postings that keep their number copied as they are, then the changed range encoded
    /// again up to the first posting that moves by `shift`, then the rest copied.
    private static func renumber(_ postings: PostingReader, _ renumbering: Renumbering, adding added: [UInt32],
                                 moved: inout [UInt32], merged: inout [UInt32], into out: inout [UInt8]) {
        var postings = postings
        let bytes = postings.bytes
        // 1. The documents that keep their number.
        var kept = -1, prefixEnd = 0
        var current = postings.next()
        while let posting = current, posting.document < renumbering.unchangedBelow {
            kept = posting.document
            prefixEnd = postings.index
            current = postings.next()
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<prefixEnd]))
        // 2. Those renumbered, up to and with the first that moves by `shift`.
        moved.removeAll(keepingCapacity: true)
        var suffixStart = bytes.count
        while let posting = current {
            if posting.document < renumbering.shiftedFrom {
                let number = renumbering.renumbered[posting.document]
                if number >= 0 { moved.append(UInt32(number) << 2 | posting.field) }
            } else {
                moved.append(UInt32(posting.document + renumbering.shift) << 2 | posting.field)
                suffixStart = postings.index
                break
            }
            current = postings.next()
        }
        if added.isEmpty {
            moved.withUnsafeBufferPointer { appendEncoded($0, after: Int64(kept), to: &out) }
        } else {
            merge(moved, added, into: &merged)
            merged.withUnsafeBufferPointer { appendEncoded($0, after: Int64(kept), to: &out) }
        }
        // 3. The rest, whose gaps are as they were.
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[suffixStart...]))
    }

    /// The postings of an encoded list, one at a time, with where each ends. The list is
    /// as written (checked when read, or its chunk's checksum is the one recorded); still, a
    /// posting that does not decode, or names a document from `documents` on, ends it
    /// rather than lead anywhere.
    private struct PostingReader {
        let bytes: UnsafeBufferPointer<UInt8>
        /// `SearchIndex.digits` and `SearchIndex.oneCharacter`.
        private let digits: UnsafeBufferPointer<UInt8>
        private let oneCharacter: UnsafeBufferPointer<UInt8>
        private let documents: Int
        /// Where the next posting starts.
        private(set) var index = 0
        private var document = -1

        init(_ bytes: UnsafeBufferPointer<UInt8>, documents: Int, digits: UnsafeBufferPointer<UInt8>, oneCharacter: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            self.documents = documents
            self.digits = digits
            self.oneCharacter = oneCharacter
        }

        mutating func next() -> (document: Int, field: UInt32)? {
            guard index < bytes.count else { return nil }
            let posting = oneCharacter[Int(bytes[index])]
            if posting != 0 {
                index += 1
                document += Int(posting & 15)
                return document < documents ? (document, UInt32(posting >> 4)) : nil
            }
            var value = 0
            while index < bytes.count, value >> 53 == 0 {
                let digit = Int(digits[Int(bytes[index])])
                guard digit != 0xFF else { return nil }
                index += 1
                value = value << 5 | digit & 31
                if digit < 32 {
                    document += 1 + value / 3
                    return document < documents ? (document, UInt32(value % 3)) : nil
                }
            }
            return nil
        }
    }

    /// Two sorted lists with no document in common, as one sorted list.
    private static func merge(_ a: [UInt32], _ b: [UInt32], into list: inout [UInt32]) {
        list.removeAll(keepingCapacity: true)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] { list.append(a[i]); i += 1 } else { list.append(b[j]); j += 1 }
        }
        list.append(contentsOf: a[i...])
        list.append(contentsOf: b[j...])
    }

    /// How many term chunks there are and each phase's question count, read straight from
    /// the root's bytes as `files` writes them (JSONSerialization and the casts of what it
    /// returns cost a tenth of a one-question edit); nil for anything else.
    private static func readRoot(_ bytes: [UInt8]) -> (chunks: Int, phases: [(phase: Int, count: Int)])? {
        // Its labelled type throughout: an array of `(Int, Int)` returned as one of
        // `(phase: Int, count: Int)` is converted element by element through the runtime's
        // dynamic cast, whose first use looks the labelled tuple's metadata up by name.
        bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> (chunks: Int, phases: [(phase: Int, count: Int)])? in
            let all = buffer.bindMemory(to: UInt8.self)
            var index = 0
            func skip(past marker: String) -> Bool {
                let marker = Array(marker.utf8)
                while index + marker.count <= all.count {
                    if all[index..<(index + marker.count)].elementsEqual(marker) { index += marker.count; return true }
                    index += 1
                }
                return false
            }
            func take(_ byte: UInt8) -> Bool {
                guard index < all.count, all[index] == byte else { return false }
                index += 1
                return true
            }
            func number() -> Int? {
                var value = 0, digits = 0
                while index < all.count, let digit = ASCII.digit(all[index]), digits < 12 {
                    value = value * 10 + Int(digit)
                    digits += 1
                    index += 1
                }
                return digits > 0 ? value : nil
            }
            // "chunks":["first term",…]: terms are letters and digits, never escaped.
            guard skip(past: ",\n\"chunks\":[") else { return nil }
            var chunks = 0
            while !take(UInt8(ascii: "]")) {
                guard chunks == 0 || take(UInt8(ascii: ",")), take(UInt8(ascii: "\"")) else { return nil }
                while index < all.count, all[index] != UInt8(ascii: "\""), all[index] != UInt8(ascii: "\\") { index += 1 }
                guard take(UInt8(ascii: "\"")) else { return nil }
                chunks += 1
            }
            // "phases":[[number,count],…]
            guard skip(past: ",\n\"phases\":[") else { return nil }
            var phases: [(phase: Int, count: Int)] = []
            while !take(UInt8(ascii: "]")) {
                guard phases.isEmpty || take(UInt8(ascii: ",")), take(UInt8(ascii: "[")), let phase = number(),
                      take(UInt8(ascii: ",")), let count = number(), take(UInt8(ascii: "]")) else { return nil }
                phases.append((phase, count))
            }
            guard all[index...].elementsEqual("});\n".utf8) else { return nil }
            return (chunks, phases)
        }
    }

    /// A term chunk's entries, read straight from its bytes as `files` writes them: the
    /// head, then a line `"term":"postings"` per term (a term is letters and digits, so it
    /// has no escape), then the tail. False for anything else: bytes that are not UTF-8, a
    /// term not after the one before it, postings that do not decode or name a document
    /// past `documents`. Unless `checked` (the chunk is as written), only the punctuation is:
    /// each part ends at the next quote.
    fileprivate static func readChunk(_ bytes: [UInt8], name: String, documents: Int, checked: Bool, into entries: inout Entries) -> Bool {
        let head = Array("quizdocSearch(\(quoted(name)),{\n".utf8)
        let tail = Array("\n});\n".utf8)
        return bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
            let all = buffer.bindMemory(to: UInt8.self)
            guard all.count >= head.count + tail.count, all.prefix(head.count).elementsEqual(head),
                  all.suffix(tail.count).elementsEqual(tail) else { return false }
            let quote = UInt8(ascii: "\"")
            var index = head.count
            let end = all.count - tail.count
            while index < end {
                // "term":"postings" then ",\n" or the end; the postings are read up to the
                // quote that ends them, which is how their end is found.
                guard all[index] == quote, let termEnd = quoteIndex(in: all, from: index + 1, to: end),
                      termEnd + 2 < end, all[termEnd + 1] == UInt8(ascii: ":"), all[termEnd + 2] == quote,
                      let listEnd = checked ? postingsEnd(UnsafeBufferPointer(rebasing: all[..<end]), from: termEnd + 3, documents: documents)
                                            : quoteIndex(in: all, from: termEnd + 3, to: end),
                      listEnd < end, all[listEnd] == quote else { return false }
                let term = UnsafeBufferPointer(rebasing: all[(index + 1)..<termEnd])
                if checked {
                    let follows = entries.lastTermPrecedes(term, inChunk: all)
                    // Every byte is checked: the head, the tail and the punctuation are ASCII
                    // as written, a list's characters are its alphabet (`postingsEnd`), and a
                    // term, the only place for anything else, is valid UTF-8.
                    guard follows, !term.contains(UInt8(ascii: "\\")), isValidUTF8(term) else { return false }
                }
                entries.append(term: (index + 1)..<termEnd, listEnd: listEnd)
                index = listEnd + 1
                if index < end {
                    guard index + 1 < end, all[index] == UInt8(ascii: ","), all[index + 1] == UInt8(ascii: "\n") else { return false }
                    index += 2
                }
            }
            return true
        }
    }

    /// Where the first quote is in `bytes[start..<end]` (`memchr`), or nil.
    private static func quoteIndex(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        guard start < end, let base = bytes.baseAddress,
              let found = memchr(base + start, Int32(UInt8(ascii: "\"")), end - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether the bytes are UTF-8; an ASCII term (most of them) without making a string.
    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 } || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Whether the list is as `encode` writes it, every document below `documents`.
    private static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, documents: Int) -> Bool {
        postingsEnd(bytes, from: 0, documents: documents) == bytes.count
    }

    /// Reads encoded postings from `start` to the first byte that is not of the alphabet (or
    /// the end), and returns where it stopped; nil when a posting is cut short there, is too
    /// large, or names a document past `documents`.
    private static func postingsEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, documents: Int) -> Int? {
        // A posting's last character is a digit below 32, the others are its high digits;
        // most postings are one character, whose step from the document before is in
        // `oneCharacter`.
        digits.withUnsafeBufferPointer { digits in
            oneCharacter.withUnsafeBufferPointer { oneCharacter in
                var document: UInt64 = 0 // the last document + 1
                var index = start
                while index < bytes.count {
                    let posting = oneCharacter[Int(bytes[index])]
                    if posting != 0 {
                        document &+= UInt64(posting & 15)
                        index += 1
                        continue
                    }
                    // The list's end, or a posting's high digits (a digit below 32 alone is a
                    // one-character posting), then its last digit (below 32).
                    var digit = digits[Int(bytes[index])]
                    guard digit != 0xFF else { break }
                    index += 1
                    var value = UInt64(digit & 31)
                    repeat {
                        guard index < bytes.count, value >> 53 == 0 else { return nil }
                        digit = digits[Int(bytes[index])]
                        index += 1
                        guard digit != 0xFF else { return nil }
                        value = value << 5 | UInt64(digit & 31)
                    } while digit >= 32
                    document &+= 1 + value / 3
                    guard document <= documents else { return nil }
                }
                return document <= documents ? index : nil
            }
        }
    }

    // MARK: - Quoting

    /// A JSON string literal that is also safe inside any HTML: `<`, `>` and `&` are escaped
    /// too, so no text can close a script element.
    static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        appendQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `quoted(text)`, appended to `out` as UTF-8: the runs that need no escape copied whole.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        text.withUTF8Bytes { appendQuoted($0, to: &out) }
    }

    /// `quoted` of valid UTF-8, appended to `out`.
    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var index = 0, runStart = 0
        while index < bytes.count {
            // The bytes left as they are, sixteen at a time.
            index += quizdoc_script_plain_run(bytes.baseAddress! + index, bytes.count - index)
            guard index < bytes.count else { break }
            let byte = bytes[index]
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0xE2 where index + 1 < bytes.count && bytes[index] == 0x80 && (bytes[index + 1] == 0xA8 || bytes[index + 1] == 0xA9):
                // U+2028 and U+2029 (E2 80 A8/A9) end a line in older JavaScript.
                out.append(contentsOf: "\\u202".utf8)
                out.append(bytes[index + 1] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                index += 2
            case 0xE2:
                out.append(byte)
            default:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                        hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
            }
            runStart = index
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
