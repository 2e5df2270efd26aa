import Foundation
import MustacheEngine
import Synchronization
import TokenCodec

/// What the last successful build made (`docs-out/.quizdoc-manifest`, not committed; its
/// format is in `ManifestCoding.swift`).
/// The next build compares its inputs with it and makes again only the phases whose inputs
/// changed. It holds file times, so it lives outside the site (whose bytes depend on the
/// input alone), and is written after the site is swapped in. A build killed in between
/// leaves the previous manifest beside the new site; `site` tells them apart, and such a
/// manifest is not used at all (its pages and search shards are not the ones there now).
struct Manifest: Sendable {
    static let path = "\(ProjectLayout.output)/.quizdoc-manifest"
    /// The manifest before the last, kept to be written over by the next (`AtomicFile.replace`).
    static let sparePath = "\(path).spare"
    static let currentFormat = 34

    var format = currentFormat
    var global: Fingerprint
    /// The inode of the `docs-out/site` folder this build made. A build killed after its
    /// site was swapped in but before its manifest was saved leaves a site that the previous
    /// manifest does not describe; its inode tells, and nothing is then reused from it.
    var site: UInt64 = 0
    /// Every folder of that site (by path under it) with its stamp as the build left it. A
    /// file added to or removed from a folder changes the folder's time, so an unchanged
    /// stamp answers "is every page still there?" without a look at each of thousands of files.
    var folders: [String: FileStamp] = [:]
    /// How many files that site has.
    var siteFiles = 0
    /// The folders of the mirrors and translation locks (`MirrorFolder.stamps`) as this build
    /// left them: while they keep these stamps, they hold `committed` and nothing else, so
    /// the next build does not list them for strays and orphans.
    var committedFolders: [String: FileStamp] = [:]
    /// The site this build replaced, when it kept it as the next build's staging folder
    /// (`BuildSink.spare`).
    var spare: Spare?
    /// Each language's home page as the build left it, by language code: the next build
    /// takes from it the items of the phases whose summaries did not change (`HomePage`).
    var homePages: [String: HomePage] = [:]
    /// Every quiz file (by path below the root) and every committed file the build left
    /// (mirrors, translation locks), with their stamps, sorted by path: with `folders`, what
    /// tells a build with nothing to do (`BuildCache.unchanged`) without reading the phases.
    /// A build's manifest has them once saved: they are made from the phases with the rest
    /// of the encoding (`prepared()`), on another core while the site is committed.
    var sources: [(path: String, stamp: FileStamp)] = []
    var committed: [(path: String, stamp: FileStamp)] = []
    /// The root and each term chunk of the site's search index, by its path under the site
    /// (`SearchIndex.previous`, `Pipeline.searchIndex`).
    var searchChunks: [String: SearchFile] = [:]
    /// What the build reported, sorted, besides the problems of the quiz folder's listing
    /// (warnings only: a build with errors saves no manifest). A build that finds nothing
    /// changed reports them again (`reportedDiagnostics`); the others never decode them.
    var reported: Reported

    /// A file of the search index as the build left it. A chunk that still has its stamp is
    /// as written (as a mirror with its stamp is): an edit that changes no term takes it over
    /// without reading it. A chunk read back with its checksum is not checked posting by
    /// posting.
    struct SearchFile: Sendable, Equatable {
        var checksum: UInt64
        /// `unknown` when the build could not stamp it: the next reads it.
        var stamp: FileStamp

        static let unknown = FileStamp(size: -1, modified: -1)
    }

    enum Reported: Sendable {
        case list([Diagnostic])
        /// As the header has them (their count, then each), decoded when asked.
        case tokens(ArraySlice<UInt8>)
    }

    /// What the build reported; nil when the manifest's tokens do not read as diagnostics.
    func reportedDiagnostics() -> [Diagnostic]? {
        switch reported {
        case .list(let list): return list
        case .tokens(let tokens): return try? Self.diagnostics(from: tokens)
        }
    }

    /// The phases, read from the file only when a build needs them (`readPhases`).
    var phases: [Phase]
    /// Where the phases are, until they are read.
    var unreadPhases: UnreadPhases?

    /// What the next build may take for granted about the spare site: every file of it that
    /// is also in the live site is the live file itself (a hard link), but for `stale`, the
    /// files this build made anew; so it stays while no folder of it changed (`folders`, the
    /// live site's folders as they stand in the spare, stamped once it was put aside).
    struct Spare: Sendable, Equatable {
        var stale: [String]
        /// How many files it has (the site it was, as its manifest counted them), when known:
        /// a build that met that many of them has nothing of the spare left to remove.
        var files: Int?
        var folders: [String: FileStamp] = [:]
    }

    /// A home page in the site, with its stamp, and where its list of phases put each phase
    /// (`ListLayout`): an edit of one question changes one phase's item (its progress keys),
    /// and the other 999 items' bytes are taken from the page rather than rendered again.
    struct HomePage: Sendable, Equatable {
        var stamp: FileStamp
        /// The layout's bounds as little-endian 32-bit numbers, read only by a build that
        /// makes the page again.
        var bounds: ArraySlice<UInt8>

        init(stamp: FileStamp, layout: ListLayout) {
            self.stamp = stamp
            // A page of 4 GB or more keeps no layout (the next build renders it whole).
            guard layout.bounds.allSatisfy({ UInt32(exactly: $0) != nil }) else {
                bounds = []
                return
            }
            var packed = [UInt8](repeating: 0, count: layout.bounds.count * 4)
            packed.withUnsafeMutableBytes { raw in
                for (index, bound) in layout.bounds.enumerated() {
                    raw.storeBytes(of: UInt32(truncatingIfNeeded: bound).littleEndian, toByteOffset: index * 4, as: UInt32.self)
                }
            }
            bounds = packed[...]
        }

        init(stamp: FileStamp, packed: ArraySlice<UInt8>) {
            (self.stamp, bounds) = (stamp, packed)
        }

        var layout: ListLayout {
            ListLayout(bounds: bounds.withUnsafeBytes { raw in
                (0..<raw.count / 4).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            })
        }
    }

    enum UnreadPhases: Sendable {
        /// Their section, in bytes already read (`init(decoding:)`).
        case section(TokenReader)
        /// In the manifest file after its header (`load`), which must still be the file the
        /// header was read from.
        case file(path: String, offset: Int, stamp: FileStamp, inode: UInt64)
    }

    struct Phase: Sendable {
        /// What a build never changes in a record, behind one reference: a record goes from
        /// task to task inside larger values, and each copy of its 40 strings, lists and
        /// dictionaries retained every one of them (an edit copied 1,000 records 16 times).
        private final class Fields: Sendable {
            let file: String
            let hash: Fingerprint
            let summary: SiteBuilder.PhaseSummary
            let ids: QuizLoader.QuestionIds
            let warnings: [Diagnostic]
            let navigation: Fingerprint
            let mirrors: CommittedStamps
            let search: ByLanguage<UInt64>

            init(file: String, hash: Fingerprint, summary: SiteBuilder.PhaseSummary, ids: QuizLoader.QuestionIds,
                 warnings: [Diagnostic], navigation: Fingerprint, mirrors: CommittedStamps, search: ByLanguage<UInt64>) {
                (self.file, self.hash, self.summary, self.ids) = (file, hash, summary, ids)
                (self.warnings, self.navigation, self.mirrors, self.search) = (warnings, navigation, mirrors, search)
            }
        }

        private let fields: Fields
        /// The one field a build changes in a record it reuses (`BuildCache.reuse`).
        var stamp: FileStamp {
            didSet { line = nil }
        }
        /// The record's line as the manifest it was read from has it, written again as it is
        /// while the record is unchanged: a build that makes one phase again does not encode
        /// the 999 others, nor copy them (`Line`).
        var line: Line? = nil

        /// A record's line where it was read: the phases' section as read from the manifest
        /// and where in it. Unchanged records next to each other there are written back as
        /// one piece of that section (`preparedRecords`).
        struct Line: Sendable {
            let section: [UInt8]
            let range: Range<Int>
        }

        init(file: String, stamp: FileStamp, hash: Fingerprint, summary: SiteBuilder.PhaseSummary, ids: QuizLoader.QuestionIds,
             warnings: [Diagnostic], navigation: Fingerprint, mirrors: CommittedStamps, search: ByLanguage<UInt64> = [:]) {
            fields = Fields(file: file, hash: hash, summary: summary, ids: ids, warnings: warnings, navigation: navigation,
                            mirrors: mirrors, search: search)
            self.stamp = stamp
        }

        var file: String { fields.file }
        var hash: Fingerprint { fields.hash }
        var summary: SiteBuilder.PhaseSummary { fields.summary }
        /// Question ids with their places, for the check that ids are unique across files.
        var ids: QuizLoader.QuestionIds { fields.ids }
        /// Warnings the phase had, reported again on every build that reuses it.
        var warnings: [Diagnostic] { fields.warnings }
        /// A fingerprint of the phases its pages link to (sidebar, neighbours), as they were:
        /// only compared, so not stored whole (15 links per phase made the manifest slow to read).
        var navigation: Fingerprint { fields.navigation }
        /// The phase's committed mirrors, as written.
        var mirrors: CommittedStamps { fields.mirrors }
        /// The checksum of its postings in each language's search index, as made
        /// (`SearchIndex.PhasePostings.checksum`).
        var search: ByLanguage<UInt64> { fields.search }
    }

    /// A phase's committed files (its mirrors and translation lock) with their stamps, sorted
    /// by path: three of them, looked through rather than hashed (an edit made 1,000 small
    /// dictionaries of them again from the manifest).
    struct CommittedStamps: Sendable, Sequence {
        typealias Entry = (path: String, stamp: FileStamp)
        let entries: [Entry]

        init(_ stamps: [String: FileStamp]) {
            entries = stamps.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }

        /// Entries sorted by path, each path once (the caller checked).
        init(sorted entries: [Entry]) {
            self.entries = entries
        }

        subscript(path: String) -> FileStamp? {
            entries.first { $0.path == path }?.stamp
        }

        var count: Int { entries.count }

        func makeIterator() -> IndexingIterator<[Entry]> {
            entries.makeIterator()
        }
    }

    init(global: Fingerprint, phases: [Phase], diagnostics: [Diagnostic]) {
        self.global = global
        self.phases = phases
        self.reported = .list(diagnostics)
    }

    typealias Files = (sources: [(path: String, stamp: FileStamp)], committed: [(path: String, stamp: FileStamp)])

    /// The last build's `sources` and `committed`, for a manifest made by a build that had
    /// one: `prepared()` updates them (`files(of:updating:)`) rather than make and sort them.
    var lastFiles: Files?

    /// `sources` and `committed` as the phases give them.
    static func files(of phases: [Phase]) -> Files {
        (phases.map { ("\(ProjectLayout.quizzes)/\($0.file)", $0.stamp) }.sorted { $0.path < $1.path },
         phases.flatMap(\.mirrors.entries).sorted { $0.path < $1.path })
    }

    /// `files(of: phases)` from the last build's, when the phases have the same files: the
    /// records it wrote again as they were (`line`) have their files there as they are, so
    /// only the others' stamps are updated (a one-question edit made 4,000 paths and sorted
    /// them). Nil when a file of another record is not there, or the counts differ (so the
    /// files of the two builds, each path once, are not the same set).
    static func files(of phases: [Phase], updating last: Files) -> Files? {
        guard phases.count == last.sources.count, phases.reduce(0, { $0 + $1.mirrors.count }) == last.committed.count else { return nil }
        var (sources, committed) = last
        for phase in phases where phase.line == nil {
            guard let source = position(of: "\(ProjectLayout.quizzes)/\(phase.file)", in: sources) else { return nil }
            sources[source].stamp = phase.stamp
            for (path, stamp) in phase.mirrors {
                guard let mirror = position(of: path, in: committed) else { return nil }
                committed[mirror].stamp = stamp
            }
        }
        return (sources, committed)
    }

    /// Where `path` is in `files`, sorted by path.
    private static func position(of path: String, in files: [(path: String, stamp: FileStamp)]) -> Int? {
        let index = files.lowerBound(of: path) { $0.path }
        return index < files.count && files[index].path == path ? index : nil
    }

    /// Reads the phases, which `load` leaves in the file; false when they cannot be read
    /// (the manifest is then of no use).
    mutating func readPhases() async -> Bool {
        guard unreadPhases != nil else { return true }
        return take(await decodedPhases())
    }

    /// Takes the phases `decodedPhases` gave; false when it gave none (the manifest is then
    /// of no use).
    mutating func take(_ decoded: [Phase]?) -> Bool {
        unreadPhases = nil
        guard let decoded else { return false }
        phases = decoded
        return true
    }

    /// The phases as `readPhases` reads them (nil when they cannot be read), this manifest
    /// left as it is: a build starts reading them as soon as it knows it has something to
    /// make, while it loads the languages and the theme (`Pipeline.run`).
    func decodedPhases() async -> [Phase]? {
        guard let unread = unreadPhases else { return phases }
        var section: TokenReader
        switch unread {
        case .section(let reader):
            section = reader
        case let .file(path, offset, stamp, inode):
            let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var info = stat()
            guard fstat(descriptor, &info) == 0, UInt64(info.st_ino) == inode, FileStamp(info) == stamp,
                  lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset),
                  case .bytes(let bytes) = InputFile.readAll(descriptor, limit: Int.max - 1, expected: Int(stamp.size) - offset)
            else { return nil }
            var file = TokenReader(bytes)
            guard let read = try? file.sealedSection(magic: Self.phasesMagic, checkLater: true), file.isAtEnd else { return nil }
            section = read
        }
        return try? await Self.phases(from: section)
    }

    /// The manifest of the last build, if it describes the site that is there now; its
    /// phases are not read yet (`readPhases`).
    static func load(root: URL) -> Manifest? {
        let url = root.appendingPathComponent(path)
        let manifest: Manifest
        // A process that builds again (`quizdoc serve`) reuses the manifest it saved, as long
        // as the file is still the one it wrote (same path, size, time and inode).
        let stamp = FileStamp(path: url.path)
        if let stamp, let remembered = lastSaved.withLock({ $0 }), remembered.path == url.path, remembered.stamp == stamp,
           remembered.inode == inode(url.path) {
            manifest = remembered.manifest
        } else {
            // The header section alone, straight into an array: a build with nothing to do
            // needs nothing else of the 3 MB a manifest of 1,000 phases has.
            let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var info = stat()
            guard fstat(descriptor, &info) == 0, let header = Self.readHeader(descriptor),
                  let decoded = try? Manifest(decodingHeader: header, phases: .file(path: url.path, offset: header.count,
                                                                                     stamp: FileStamp(info), inode: UInt64(info.st_ino)))
            else { return nil }
            manifest = decoded
        }
        guard manifest.site != 0, manifest.site == siteInode(root: root) else { return nil }
        return manifest
    }

    /// The bytes of the manifest's first section, its header line included.
    private static func readHeader(_ descriptor: Int32) -> [UInt8]? {
        var first = [UInt8](repeating: 0, count: 128)
        let count = pread(descriptor, &first, first.count, 0)
        guard count > 0 else { return nil }
        var line = TokenReader(Array(first[..<count]))
        guard (try? line.text()) == magic, let length = try? line.int(), length >= 0, (try? line.uint64()) != nil else { return nil }
        let total = line.offset + length
        let header = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            initialized = 0
            while initialized < total {
                let read = pread(descriptor, buffer.baseAddress! + initialized, total - initialized, off_t(initialized))
                if read < 0, errno == EINTR { continue }
                guard read > 0 else { return }
                initialized += read
            }
        }
        return header.count == total ? header : nil
    }

    private static let lastSaved = Mutex<(path: String, stamp: FileStamp, inode: UInt64, manifest: Manifest)?>(nil)

    private static func inode(_ path: String) -> UInt64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return UInt64(info.st_ino)
    }

    /// The stamps of those of `folders` (paths below `base`, "" for `base` itself) that exist:
    /// the site's (`BuildSink.siteFolders`), the mirrors' and locks' (`MirrorFolder.stamps`).
    static func stamps(of folders: [String], under base: String) -> [String: FileStamp] {
        var stamps: [String: FileStamp] = [:]
        for folder in folders {
            stamps[folder] = FileStamp(path: folder.isEmpty ? base : "\(base)/\(folder)")
        }
        return stamps
    }

    private static func siteInode(root: URL) -> UInt64 {
        var info = stat()
        guard lstat(root.appendingPathComponent(BuildSink.siteFolder).path, &info) == 0 else { return 0 }
        return UInt64(info.st_ino)
    }

    /// Saves the manifest, once the build's site is in place with its `folders`
    /// (`BuildSink.siteFolders`); `prepared`, when given, is this manifest's `prepared()`,
    /// made while the site was committed.
    func save(root: URL, folders: [String], prepared: Prepared? = nil) throws {
        let prepared = prepared ?? self.prepared()
        var manifest = self
        (manifest.sources, manifest.committed) = (prepared.sources, prepared.committed)
        manifest.lastFiles = nil
        manifest.site = Self.siteInode(root: root)
        manifest.folders = Self.stamps(of: folders, under: root.appendingPathComponent(BuildSink.siteFolder).path)
        manifest.committedFolders = MirrorFolder(root: root).stamps()
        if let spare = manifest.spare {
            // Stamped now that it is put aside, the same folders as the live site's; one missing,
            // and there is no spare to trust.
            let stamps = Self.stamps(of: folders, under: root.appendingPathComponent(BuildSink.spare).path)
            manifest.spare = stamps.count == manifest.folders.count ? Spare(stale: spare.stale, files: spare.files, folders: stamps) : nil
        }
        try manifest.write(root: root, prepared: prepared)
    }

    private func write(root: URL, prepared: Prepared) throws {
        let url = root.appendingPathComponent(Self.path)
        try AtomicFile.replace(url, with: encodedParts(prepared), spare: root.appendingPathComponent(Self.sparePath), path: Self.path) {
            TestHook.reach("manifest-staged")
        }
        if let stamp = FileStamp(path: url.path) {
            Self.lastSaved.withLock { $0 = (url.path, stamp, Self.inode(url.path), self) }
        }
        TestHook.reach("done")
    }
}
