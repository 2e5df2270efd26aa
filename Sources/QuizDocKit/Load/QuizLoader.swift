import CByteScan
import Foundation
import TokenCodec

/// The load stage: every file in `data/quizzes/` → a validated `Quiz`.
///
/// Each file goes through the same gates in order (name, file type, size, encoding, YAML
/// features, schema), and a file that fails a gate goes no further. Files load
/// independently (in parallel); then `checkAcrossFiles` makes sure phase numbers and
/// question ids are unique across the course.
enum QuizLoader {
    static let folder = ProjectLayout.quizzes

    /// A quiz file found in the folder.
    struct Entry: Sendable {
        var root: URL
        var name: QuizFileName
        var path: String
    }

    /// The quiz files of the folder, sorted; every other file is reported.
    static func list(root: URL, bag: inout DiagnosticBag) -> [Entry] {
        var problems = DiagnosticBag()
        guard let names = InputFile.list(folder, root: root, required: true, bag: &problems) else {
            let reason = problems.diagnostics.first?.message ?? ""
            bag.error(.file(folder), "cannot list the quiz folder (\(reason)); create \(folder)/ with files named like \(QuizFileName.example)")
            return []
        }
        var entries: [Entry] = []
        for fileName in names {
            let path = "\(folder)/\(fileName)"
            if fileName.hasPrefix(".") {
                bag.warning(.file(path), "hidden file ignored; quiz files are named like \(QuizFileName.example)")
            } else if let name = QuizFileName(fileName) {
                entries.append(Entry(root: root, name: name, path: path))
            } else {
                bag.error(.file(path), strayMessage(fileName))
            }
        }
        return entries
    }

    static let emptyMessage = "the file has no content; a quiz file starts with 'phase:', 'title:' and 'questions:'"

    private static func strayMessage(_ fileName: String) -> String {
        if fileName.hasSuffix(".yml") {
            return "quiz files end in .yaml; rename it to \(fileName.dropLast(4)).yaml"
        }
        if fileName.hasSuffix(".yaml") {
            return "the file name must look like \(QuizFileName.example): 'phase-', at least two digits, '-', and a slug of lowercase letters, digits and hyphens"
        }
        return "this is not a quiz file; \(folder)/ holds only files named like \(QuizFileName.example)"
    }

    /// Loads one file.
    static func loadFile(_ entry: Entry, languages: [Language], bag: inout DiagnosticBag) -> Quiz? {
        guard let bytes = readFile(entry, bag: &bag) else { return nil }
        return parse(bytes, name: entry.name, path: entry.path, languages: languages, bag: &bag)
    }

    /// The bytes of a quiz file, through the gate every input passes (`InputFile`).
    static func readFile(_ entry: Entry, bag: inout DiagnosticBag) -> [UInt8]? {
        InputFile.read(entry.path, root: entry.root, limit: Limits.fileBytes, bag: &bag)
    }

    /// Bytes → `Quiz`. Separate from the file system so tests can feed it text directly.
    static func parse(_ bytes: [UInt8], name: QuizFileName, path: String, languages: [Language],
                      bag: inout DiagnosticBag) -> Quiz? {
        guard let root = YAMLDocument.compose(bytes, path: path, emptyMessage: emptyMessage, bag: &bag) else { return nil }
        var reader = QuizReader(name: name, path: path, languages: languages)
        let quiz = reader.read(root)
        bag.append(contentsOf: reader.reader.bag.diagnostics)
        // The last gate: the item-writing flaws of this phase (`Linter`). A duplicate choice
        // is an error; everything else a warning that never changes the exit code.
        if let quiz { bag.append(contentsOf: Linter.lint(quiz, languages: languages)) }
        return quiz
    }

    /// What the checks across files need to know of a quiz, whether just parsed or
    /// remembered from the last build.
    struct Identity: Sendable {
        let sourcePath: String
        let phase: Int
        let ids: QuestionIds
        /// Taken over from the last build, which checked it against the others it took or
        /// made (a build with errors keeps no manifest): none of its ids or its phase is
        /// another such quiz's.
        let checked: Bool

        init(_ quiz: Quiz) {
            self.init(sourcePath: quiz.sourcePath, phase: quiz.phase,
                      ids: QuestionIds(quiz.questions.map { QuestionPlace(id: $0.id, location: $0.location) }))
        }

        init(sourcePath: String, phase: Int, ids: QuestionIds, checked: Bool = false) {
            self.sourcePath = sourcePath
            self.phase = phase
            self.ids = ids
            self.checked = checked
        }
    }

    /// A question id and where its question starts.
    struct QuestionPlace: Hashable, Sendable {
        var id: String
        var location: SourceLocation
    }

    /// A quiz's question ids with their places: as a parsed quiz gives them, or as a manifest
    /// record holds them, read one by one when asked (`Manifest.Phase`). The check across
    /// files needs only their hashes, and an edit looks at the 20,000 ids of phases it only
    /// takes over: making a string and a place of each was most of what they cost it, and
    /// then hashing them as they were read (4.5 M of a prose edit's 123 M instructions), so
    /// a record keeps the hashes too.
    struct QuestionIds: Sendable, Sequence, ExpressibleByArrayLiteral {
        enum Storage: Sendable {
            case places([QuestionPlace])
            /// `count` ids as the record has them (`QuestionIds(decoding:path:)`): their
            /// tokens, read from here when asked, and their hashes, eight little-endian bytes
            /// each; the places are in the file at `path`.
            case encoded(ids: ArraySlice<UInt8>, path: String, hashes: ArraySlice<UInt8>)
        }

        let storage: Storage
        let count: Int

        init(_ places: [QuestionPlace]) {
            storage = .places(places)
            count = places.count
        }

        init(arrayLiteral places: QuestionPlace...) {
            self.init(places)
        }

        init(encoded ids: ArraySlice<UInt8>, count: Int, path: String, hashes: ArraySlice<UInt8>) {
            storage = .encoded(ids: ids, path: path, hashes: hashes)
            self.count = count
        }

        /// Whether the hash of one of the ids satisfies `predicate`: for a record's ids, read
        /// where they are (an edit asks it of 1,000 records, and only a few match).
        func containsHash(where predicate: (UInt64) -> Bool) -> Bool {
            guard case .encoded(_, _, let packed) = storage else { return hashes.contains(where: predicate) }
            return packed.withUnsafeBytes { raw in
                (0..<count).contains { predicate(Self.hash($0, packed: raw)) }
            }
        }

        /// The hash of the id at `index` among hashes packed as a record keeps them.
        private static func hash(_ index: Int, packed: UnsafeRawBufferPointer) -> UInt64 {
            UInt64(littleEndian: packed.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
        }

        /// Each id's FNV-1a hash (`Fingerprint`), in order.
        var hashes: [UInt64] {
            switch storage {
            case .places(let places):
                return places.map { place in
                    var fingerprint = Fingerprint()
                    fingerprint.addBytes(of: place.id)
                    return fingerprint.value
                }
            case .encoded(_, _, let packed):
                return packed.withUnsafeBytes { raw in
                    (0..<count).map { Self.hash($0, packed: raw) }
                }
            }
        }

        /// The id at `index` and its place (the encoded ones read up to it).
        subscript(index: Int) -> QuestionPlace {
            switch storage {
            case .places(let places): return places[index]
            case .encoded:
                let ids = makeIterator()
                for _ in 0..<index { _ = ids.next() }
                return ids.next()!
            }
        }

        func makeIterator() -> AnyIterator<QuestionPlace> {
            switch storage {
            case .places(let places):
                return AnyIterator(places.makeIterator())
            case .encoded(let ids, let path, _):
                var reader = TokenReader(Array(ids)), left = count
                return AnyIterator {
                    guard left > 0 else { return nil }
                    left -= 1
                    return Self.place(from: &reader, path: path)
                }
            }
        }
    }

    static func checkAcrossFiles(_ quizzes: [Identity], bag: inout DiagnosticBag) {
        // In the order of their paths, which says which use of an id is the first (the
        // indices sorted, not the identities moved). Quiz file paths are ASCII
        // (`QuizFileName`): their bytes sort as the strings do.
        let ordered = involved(quizzes).sorted { quizzes[$0].sourcePath < quizzes[$1].sourcePath }
        var phases: [Int: String] = [:]
        var ids = FirstUses(capacity: ordered.reduce(0) { $0 + quizzes[$1].ids.count })
        for (number, quiz) in ordered.lazy.map({ quizzes[$0] }).enumerated() {
            if let other = phases[quiz.phase] {
                bag.error(.file(quiz.sourcePath), "phase \(quiz.phase) already has a quiz file, \(other); keep one file per phase")
            } else {
                phases[quiz.phase] = quiz.sourcePath
            }
            for (index, hash) in quiz.ids.hashes.enumerated() {
                // The ids themselves only when their hashes match (a repeat, or a collision).
                let (file, place) = ids.firstUse(hash: hash, at: (number, index)) { quizzes[ordered[$0]].ids[$1].id == quiz.ids[index].id }
                // First used in another file (one file's repeats are its own check's).
                if file != number {
                    let question = quiz.ids[index], first = quizzes[ordered[file]].ids[place].location
                    bag.error(question.location, "question id '\(question.id)' is already used at \(first); ids are unique across all quiz files")
                }
            }
        }
    }

    /// The quizzes that may share a phase or an id with another: every one when none was
    /// checked by the last build; otherwise those read again and the checked ones that
    /// share a phase or an id hash with them. Two checked quizzes share neither, so one that
    /// shares nothing with those read again takes part in no finding (and in no first use
    /// a finding names). An edit then looks at 20 ids and a few quizzes, not 20,000 ids.
    private static func involved(_ quizzes: [Identity]) -> [Int] {
        let fresh = quizzes.indices.filter { !quizzes[$0].checked }
        guard fresh.count < quizzes.count else { return Array(quizzes.indices) }
        let phases = Set(fresh.map { quizzes[$0].phase })
        let hashes = HashFilter(fresh.flatMap { quizzes[$0].ids.hashes })
        return quizzes.indices.filter { index in
            !quizzes[index].checked || phases.contains(quizzes[index].phase) || quizzes[index].ids.containsHash(where: hashes.contains)
        }
    }

    /// A few hashes, sorted, behind a filter of 4,096 bits (most hashes looked for are not
    /// among them, and one bit tells).
    private struct HashFilter {
        private let sorted: [UInt64]
        private var bits = [UInt64](repeating: 0, count: 64)

        init(_ hashes: [UInt64]) {
            sorted = hashes.sorted()
            for hash in hashes { bits[Int(hash >> 6 & 63)] |= 1 << (hash & 63) }
        }

        func contains(_ hash: UInt64) -> Bool {
            guard bits[Int(hash >> 6 & 63)] & 1 << (hash & 63) != 0 else { return false }
            let index = sorted.lowerBound(of: hash) { $0 }
            return index < sorted.count && sorted[index] == hash
        }
    }

    /// Each question id with the place it is first used (quiz and question numbers): open
    /// addressing over the ids' FNV-1a hashes. A course has tens of thousands of ids, and a
    /// `Dictionary` of them (each hashed with SipHash, its place copied in) was most of an
    /// edit's look across files.
    private struct FirstUses {
        private var slots: [(hash: UInt64, file: Int32, place: Int32)]
        private let mask: Int

        init(capacity: Int) {
            var size = 16
            while size < capacity * 2 { size *= 2 }
            // 20,000 ids take a megabyte, every byte of it written here.
            slots = Array(unsafeUninitializedCapacity: size) { buffer, count in
                quizdoc_prefault(buffer.baseAddress, size * MemoryLayout<(hash: UInt64, file: Int32, place: Int32)>.stride)
                buffer.initialize(repeating: (0, -1, -1))
                count = size
            }
            mask = size - 1
        }

        /// Where the id of hash `hash` was first used; `here` when this is its first use,
        /// which is recorded. `isSame` tells whether the id used at a recorded place is it.
        mutating func firstUse(hash: UInt64, at here: (Int, Int), isSame: (Int, Int) -> Bool) -> (Int, Int) {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot].file >= 0 {
                let (stored, file, place) = slots[slot]
                if stored == hash, isSame(Int(file), Int(place)) { return (Int(file), Int(place)) }
                slot = (slot + 1) & mask
            }
            slots[slot] = (hash, Int32(here.0), Int32(here.1))
            return here
        }
    }
}
