import Foundation
import MustacheEngine
import TokenCodec

/// Incremental builds, in one place. Given the last build's manifest and this run's inputs,
/// it decides per phase whether to parse or remember the quiz file, whether to reuse or make
/// its pages and search entries, and whether anything needs making at all; and it makes the
/// manifest record of each phase from what the phase produced.
///
/// Nothing is reused unless the manifest describes the site that is there now (its inode),
/// was made by this quizdoc with these templates and options (`GlobalFingerprint`), and the
/// files it names are still as it remembers them (size and time, or hash).
struct BuildCache: Sendable {
    let root: URL
    /// `root.path`, made once: `URL.path` builds a new string on every call, and the cache
    /// stats a few files of every phase.
    private let rootPath: String
    let global: Fingerprint
    /// The last build's manifest, when it can be trusted.
    private(set) var previous: Manifest?
    /// Where each quiz file's record is in the last build's phases, by file name (the
    /// records are not copied into a table: 1,000 of them on the path of an edit).
    private var remembered: [String: Int] = [:]
    /// What can be taken over from the current site.
    let site: ReusableSite?
    /// Every page is still there: no folder of the site changed since the manifest was saved.
    let siteKept: Bool
    /// The folders of the mirrors and translation locks hold the manifest's committed files
    /// and nothing else: no folder of them changed since it was saved (looked at before this
    /// build writes anything there), so neither the plan nor the commit lists them.
    let committedFoldersKept: Bool
    /// The manifest's files the plan found unchanged (`unchanged`).
    private(set) var seen = Seen()
    /// The plan's look at the files, going on after it found a change (`awaitLook`).
    private var looking: Task<Seen, Never>?
    /// Where, in the manifest's quiz files (and the listing's, the same), the plan found the
    /// first file changed since the last build (`parseChanged`).
    private var firstChanged: Int?

    /// Reads the last build's manifest up to its phases, which `readPhases` reads once the
    /// build is known to have something to do.
    init(root: URL, options: BuildOptions) {
        self.root = root
        rootPath = root.path
        let global = GlobalFingerprint.make(root: root, options: options)
        self.global = global
        let previous = Manifest.load(root: root).flatMap { $0.global == global ? $0 : nil }
        self.previous = previous
        site = previous.map { _ in ReusableSite(root: root) }
        let sitePath = "\(root.path)/\(ProjectLayout.site)"
        siteKept = previous.map { !$0.folders.isEmpty && $0.folders.allSatisfy { folder, stamp in
            FileStamp(path: folder.isEmpty ? sitePath : "\(sitePath)/\(folder)") == stamp
        } } ?? false
        committedFoldersKept = previous.map { !$0.committedFolders.isEmpty && $0.committedFolders == MirrorFolder(root: root).stamps() } ?? false
    }

    /// Takes the phases of the last build, to remember or reuse them: `decoded`, what
    /// `Manifest.decodedPhases` gave (nil: the manifest is of no use).
    mutating func readPhases(_ decoded: [Manifest.Phase]?) {
        guard previous?.take(decoded) == true, let previous else {
            previous = nil
            return
        }
        remembered = Dictionary(previous.phases.indices.map { (previous.phases[$0].file, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - Plan: is anything to make?

    /// When the last build's outputs are still exactly what this one would make, what it
    /// reported then (which this build reports again); nil when anything is to be made. So it
    /// is when the quiz files are those it read, with the same stamps (a file touched but
    /// unchanged is hashed by the build that follows, which remembers its new time), every
    /// committed file is as it left it, no folder of the site changed (so every page is
    /// there), and no stray file sits among the mirrors.
    mutating func unchanged(_ entries: [QuizLoader.Entry], bag: inout DiagnosticBag) async -> [Diagnostic]? {
        // Both lists sorted: the quiz folder is listed sorted (`InputFile.list`), so are the
        // manifest's sources.
        guard let previous, entries.count == previous.sources.count,
              entries.lazy.map(\.path).elementsEqual(previous.sources.lazy.map(\.path)) else { return nil }
        // Some 4,000 files stamped and two folders listed unless they are as the last build
        // left them: the committed files (three per phase) in parts, each a task, which the
        // cores take as they come free, this one too once it has looked at the quiz files (in
        // two halves, three pieces of work on two cores left one of them alone for a third of
        // the look); the listing in a task of its own.
        let rootPath = rootPath, root = root, committedFoldersKept = committedFoldersKept
        let sources = previous.sources, committed = previous.committed
        let parts = Self.parts(committed.indices)
        let partLooks = parts.map { part in Task { Self.look(committed[part], root: rootPath) } }
        // Folders as the last build left them hold nothing else: no listing of 3,000 names.
        let leftovers = committedFoldersKept ? nil : Task { () -> (strays: DiagnosticBag, none: Bool) in
            var strays = DiagnosticBag()
            // Cancelled (an edit) before it began, it does not make the set of 3,000 paths.
            guard !Task.isCancelled else { return (strays, false) }
            let orphans = MirrorFolder(root: root).leftovers(besides: Set(committed.map(\.path)), cancellable: true,
                                                             removingTemporaries: true, bag: &strays)
            return (strays, orphans.isEmpty)
        }
        let sourcesLook = Self.look(sources[...], root: rootPath, untilChanged: true)
        firstChanged = sourcesLook.changed.first
        guard siteKept, sourcesLook.unchanged(sources.count) else {
            // A changed quiz file (an edit) ends the plan at once. The look goes on while the
            // build reads the last build's phases and loads the languages, and the build takes
            // what it found (`awaitLook`) rather than stamping every file again, each through
            // its whole path.
            leftovers?.cancel()
            looking = Task {
                let sourcesLook = Self.look(sources[...], root: rootPath, continuing: sourcesLook)
                let seen = Seen(sources: sources, sourcesLook, committed: committed, parts: parts, await Self.values(partLooks))
                // Ended too, before the build goes on (it lists the same folders to commit).
                _ = await leftovers?.value
                return seen
            }
            return nil
        }
        // Likely nothing to do: what the last build reported is read back while the other
        // core looks at committed files (3,300 warnings of a 1,000-phase course, half a
        // millisecond), rather than after.
        let reported = previous.reportedDiagnostics()
        let looks = await Self.values(partLooks)
        // What was looked at is not looked at again by the build that follows (a mirror
        // changed by hand).
        seen = Seen(sources: sources, sourcesLook, committed: committed, parts: parts, looks)
        guard zip(parts, looks).allSatisfy({ part, look in look.unchanged(part.count) }) else {
            leftovers?.cancel()
            _ = await leftovers?.value
            return nil
        }
        let (strays, none) = await leftovers?.value ?? (DiagnosticBag(), true)
        bag.append(contentsOf: strays.diagnostics)
        guard none, !strays.hasErrors else { return nil }
        return reported
    }

    /// `files` in even parts of `partSize` at most for the plan's look, two at least: a part
    /// is a quarter of a millisecond of system calls here, short enough that the cores end
    /// close together.
    static func parts(_ files: Range<Int>, partSize: Int = 192) -> [Range<Int>] {
        let count = max(2, (files.count + partSize - 1) / partSize)
        return (0..<count).map { part in
            files.lowerBound + files.count * part / count ..< files.lowerBound + files.count * (part + 1) / count
        }
    }

    /// The looks of `tasks`, in their order.
    private static func values(_ tasks: [Task<Look, Never>]) async -> [Look] {
        var looks: [Look] = []
        looks.reserveCapacity(tasks.count)
        for task in tasks { looks.append(await task.value) }
        return looks
    }

    /// Waits for the plan's look at the files, which went on after it found a change.
    mutating func awaitLook() async {
        guard let looking else { return }
        seen = await looking.value
        self.looking = nil
    }

    /// What a look at files of the manifest's sorted lists found: how many of them, from the
    /// first, it looked at (all, unless its task was cancelled or it stopped at a change),
    /// and which of those (by offset) do not have the stamp the manifest gives.
    struct Look: Sendable {
        var count = 0
        var changed: [Int] = []

        func unchanged(_ total: Int) -> Bool { count == total && changed.isEmpty }
    }

    /// Stamps `files` (`FileStamp.Reader`, the list sorted by path) against the stamps they
    /// come with, from where `look` ended; `untilChanged`, only to the first that differs.
    private static func look(_ files: ArraySlice<(path: String, stamp: FileStamp)>, root: String,
                             continuing look: Look = Look(), untilChanged: Bool = false) -> Look {
        var stamps = FileStamp.Reader(root: root)
        var look = look
        for (offset, file) in zip(look.count..., files.dropFirst(look.count)) {
            if offset % 64 == 0, Task.isCancelled { return look }
            look.count = offset + 1
            if stamps.stamp(file.path) != file.stamp {
                look.changed.append(offset)
                if untilChanged { return look }
            }
        }
        return look
    }

    /// Files of the manifest's sorted lists (quiz files, committed files) that the plan
    /// found with the stamps the manifest gives: the load and the reuse of a phase take them
    /// as stamped rather than stamp them again (an edit's plan looks at some 4,000 files).
    struct Seen: Sendable {
        /// The first and last path of each run looked at.
        private var runs: [(first: String, last: String)] = []
        /// The paths in those runs found changed, sorted (a handful, or every file after a
        /// checkout).
        private var changed: [String] = []
        /// Every file of both lists was looked at: a path of them is then not looked for
        /// among the runs (two string comparisons or more each, for the 4,000 paths an edit
        /// asks about).
        private var whole = false

        init() {}

        /// What the looks at the manifest's quiz files and committed files (the latter in
        /// `parts`, one look each) found.
        init(sources: [(path: String, stamp: FileStamp)], _ sourcesLook: Look,
             committed: [(path: String, stamp: FileStamp)], parts: [Range<Int>], _ looks: [Look]) {
            add(sources[...], sourcesLook)
            for (part, look) in zip(parts, looks) { add(committed[part], look) }
            whole = sourcesLook.count == sources.count && zip(parts, looks).allSatisfy { part, look in look.count == part.count }
        }

        private mutating func add(_ files: ArraySlice<(path: String, stamp: FileStamp)>, _ look: Look) {
            let looked = files.prefix(look.count)
            guard let first = looked.first, let last = looked.last else { return }
            runs.append((first.path, last.path))
            guard !look.changed.isEmpty else { return }
            changed += look.changed.map { looked[looked.startIndex + $0].path }
            changed.sort()
        }

        /// Whether `path`, a path of one of those lists, was found as the manifest gives it.
        func contains(_ path: String) -> Bool {
            guard whole || runs.contains(where: { $0.first <= path && path <= $0.last }) else { return false }
            guard !changed.isEmpty else { return true }
            let index = changed.lowerBound(of: path) { $0 }
            return index == changed.count || changed[index] != path
        }
    }

    // MARK: - Load: parse or remember

    /// Whether `load` may parse the file, as far as the plan's look tells: it did not find the
    /// file as the last build left it. (A file the last build did not have may pass for one
    /// found so; this only decides which files are loaded first.)
    func mayHaveChanged(_ entry: QuizLoader.Entry) -> Bool {
        !seen.contains(entry.path)
    }

    /// A quiz file read, hashed and parsed, as `load` does with a file it cannot remember,
    /// and the stamp it had before it was read.
    struct Parsed: Sendable {
        var stamp: FileStamp?
        /// Nil when the file could not be read (the input then holds why).
        var hash: Fingerprint?
        var input: Pipeline.PhaseInput
    }

    /// The quiz file the plan found changed first (an edit's one), read and parsed from now
    /// on: the build reads the last build's phases meanwhile, which leaves a core idle part
    /// of the while, and the load that follows has only the unchanged files left to take
    /// from them. `entries`, the listing the plan compared with the manifest's quiz files.
    func parseChanged(_ entries: [QuizLoader.Entry], languages: [Language]) -> Task<Parsed, Never>? {
        guard let firstChanged, let previous, entries.indices.contains(firstChanged),
              entries[firstChanged].path == previous.sources[firstChanged].path else { return nil }
        let entry = entries[firstChanged], rootPath = rootPath
        return Task { Self.parse(entry, stamp: FileStamp(root: rootPath, path: entry.path), languages: languages) }
    }

    /// Stage 1 for one file: remembered when its bytes are those of the last build (same
    /// size and time, or same hash), parsed otherwise; `parsedEarly`, what `parseChanged`
    /// gave, is taken for the file it read while the file has the stamp it had then.
    func load(_ entry: QuizLoader.Entry, languages: [Language], parsedEarly: Parsed? = nil) -> Pipeline.PhaseInput {
        var input = Pipeline.PhaseInput(entry: entry, diagnostics: [])
        var remembered = remembered[entry.name.baseName + ".yaml"].flatMap { previous?.phases[$0] }
        let stamp = remembered.flatMap { seen.contains(entry.path) ? $0.stamp : nil } ?? FileStamp(root: rootPath, path: entry.path)
        // A translation lock changed since (by `quizdoc i18n accept`, by hand, by a checkout)
        // puts the phase's translations in question: parse it again.
        let lockPath = TranslationLock.path(entry.name.baseName)
        if let record = remembered, let lockStamp = record.mirrors[lockPath], !seen.contains(lockPath),
           FileStamp(root: rootPath, path: lockPath) != lockStamp {
            remembered = nil
        }
        if let remembered, stamp == remembered.stamp {
            input.remember(remembered, stamp: stamp, hash: remembered.hash)
            return input
        }
        let parsed = parsedEarly.flatMap { $0.input.entry.path == entry.path && $0.stamp != nil && $0.stamp == stamp ? $0 : nil }
            ?? Self.parse(entry, stamp: stamp, languages: languages, unless: remembered?.hash)
        if let remembered, let hash = parsed.hash, remembered.hash == hash {
            input.remember(remembered, stamp: stamp, hash: hash)
            return input
        }
        return parsed.input
    }

    /// A quiz file read, hashed and parsed; `stamp`, its stamp before it was read. Not
    /// parsed when its hash is `unless` (the last build's: `load` remembers it).
    private static func parse(_ entry: QuizLoader.Entry, stamp: FileStamp?, languages: [Language],
                              unless known: Fingerprint? = nil) -> Parsed {
        var input = Pipeline.PhaseInput(entry: entry, diagnostics: [])
        var bag = DiagnosticBag()
        guard let bytes = QuizLoader.readFile(entry, bag: &bag) else {
            input.diagnostics = bag.diagnostics
            return Parsed(stamp: stamp, hash: nil, input: input)
        }
        // Eight bytes a step (a full build hashes every quiz file: 57 MB, 80 ms of CPU a
        // byte at a time); the value lives in the manifest alone.
        let hash = Fingerprint(value: bytes.withUnsafeBytes { Checksum.of($0) })
        if hash != known {
            input.quiz = QuizLoader.parse(bytes, name: entry.name, path: entry.path, languages: languages, bag: &bag)
            input.diagnostics = bag.diagnostics
            input.source = stamp.map { Pipeline.PhaseInput.Source(stamp: $0, hash: hash) }
        }
        return Parsed(stamp: stamp, hash: hash, input: input)
    }

    // MARK: - A phase: reuse or make

    /// Takes the phase over from the current site when its input and the phases its pages
    /// link to are unchanged: mirrors untouched, pages and search results file taken over by
    /// the sink, its postings in the last build's search index (`search`). Nil when anything
    /// is missing or was changed by hand, so the phase is made again.
    func reuse(_ input: Pipeline.PhaseInput, navigation: Fingerprint, sink: some OutputSink,
               paths: SitePaths, search: [String: SearchIndex.Previous]) -> Pipeline.PhaseResult? {
        guard var record = input.remembered, record.navigation == navigation else { return nil }
        // The translation lock was stamped when the record was remembered (`load`); its path
        // is made only for a file the plan did not find as it was.
        for (path, stamp) in record.mirrors where !seen.contains(path) && path != TranslationLock.path(record.summary.baseName)
            && FileStamp(root: rootPath, path: path) != stamp {
            return nil
        }
        let phase = record.summary.phase
        for language in paths.languages {
            guard search[language.code]?.phases[phase]?.count == record.summary.questionCount else { return nil }
        }
        for language in paths.languages {
            guard sink.reuse(paths.phase(record.summary.baseName, language)),
                  sink.reuse(SearchIndex.phasePath(language, phase: phase)) else { return nil }
        }
        for (path, _) in record.mirrors { sink.keepMirror(path) }
        // Same bytes, maybe a new time (a checkout): remember the time, to skip hashing next time.
        if let stamp = input.source?.stamp, stamp != record.stamp { record.stamp = stamp }
        return Pipeline.PhaseResult(diagnostics: [], search: [:], record: record, reused: true)
    }

    /// For each of `summaries`, whether it is the last build's summary at its place; nil when
    /// the last build had another count of phases.
    func phasesUnchanged(_ summaries: [SiteBuilder.PhaseSummary]) -> [Bool]? {
        guard let previous, previous.phases.count == summaries.count else { return nil }
        // By index: a zip of the two arrays copied each record and each summary.
        return summaries.indices.map { previous.phases[$0].summary == summaries[$0] }
    }

    /// What a home page made again can take from the one in the current site, which the
    /// last build made over its phases (`Manifest.HomePage`): each phase's item, where
    /// `unchanged` (`phasesUnchanged`) says its summary is the one it showed. Nil without
    /// such a page, or when the page is not as that build left it.
    func homeReuse(_ homePath: String, language: Language, unchanged: [Bool]) -> ListReuse? {
        guard let page = previous?.homePages[language.code], let site,
              let previousBytes = site.file(homePath, stamp: page.stamp) else { return nil }
        return ListReuse(name: SiteBuilder.phasesListName, previous: previousBytes, layout: page.layout) { unchanged[$0] }
    }

    /// The manifest record of a phase made in this build, once all its mirrors were staged.
    func record(_ quiz: Quiz, input: Pipeline.PhaseInput, summary: SiteBuilder.PhaseSummary, navigation: Fingerprint,
                mirrors: [String: FileStamp], warnings: [Diagnostic], search: ByLanguage<UInt64>) -> Manifest.Phase? {
        guard let source = input.source else { return nil }
        return Manifest.Phase(file: quiz.baseName + ".yaml", stamp: source.stamp, hash: source.hash, summary: summary,
                              ids: QuizLoader.Identity(quiz).ids, warnings: warnings.filter { $0.severity == .warning },
                              navigation: navigation, mirrors: Manifest.CommittedStamps(mirrors), search: search)
    }

    /// The last build's record of a quiz file (`file`, its name), changed since or not.
    func lastRecord(of file: String) -> Manifest.Phase? {
        remembered[file].flatMap { previous?.phases[$0] }
    }

    // MARK: - The manifest of this build

    /// The manifest to save once this build is in place, with what the build reported once
    /// the quiz files were listed; nil when a phase has no record (it failed), so that the
    /// next build starts afresh.
    func manifest(_ results: [Pipeline.PhaseResult], diagnostics: [Diagnostic], searchChunks: [String: Manifest.SearchFile]) -> Manifest? {
        let records = results.compactMap(\.record)
        guard records.count == results.count else { return nil }
        var manifest = Manifest(global: global, phases: records, diagnostics: diagnostics)
        manifest.searchChunks = searchChunks
        manifest.lastFiles = previous.map { ($0.sources, $0.committed) }
        return manifest
    }
}

/// What a build can take over from the current site: its pages (taken over by the sink) and
/// the postings of reused phases, from its search index.
struct ReusableSite: Sendable {
    /// `docs-out/site/` as a path prefix.
    private let site: String

    init(root: URL) {
        site = "\(root.path)/\(ProjectLayout.site)/"
    }

    /// The bytes of a file of the current site, when it still has `stamp` (the file a build
    /// wrote, not changed since) and is a plain file; nil otherwise.
    func file(_ sitePath: String, stamp: FileStamp) -> [UInt8]? {
        guard let bytes = InputFile.contents(ofOutput: site + sitePath, limit: Int(stamp.size), stamp: stamp),
              bytes.count == Int(stamp.size) else { return nil }
        return bytes
    }

    /// The current site's search index per language code, each language on a core of its
    /// own (an edit waits for it); a language whose index cannot be read is left out, and its
    /// phases are made again. `recorded` is the last manifest's `searchChunks`; with
    /// `trustingStamps` false, every chunk is read (`Pipeline.build`'s second run).
    func searchIndex(_ languages: [Language], recorded: [String: Manifest.SearchFile], trustingStamps: Bool) async -> [String: SearchIndex.Previous] {
        let site = site
        let recorded = trustingStamps ? recorded : recorded.mapValues { Manifest.SearchFile(checksum: $0.checksum, stamp: Manifest.SearchFile.unknown) }
        let indexes = await parallelMap(languages) { language in
            StageTimes.measure(.searchPrevious) { SearchIndex.previous(site: site, language: language, recorded: recorded) }
        }
        var byCode: [String: SearchIndex.Previous] = [:]
        for (language, index) in zip(languages, indexes) { byCode[language.code] = index }
        return byCode
    }
}
