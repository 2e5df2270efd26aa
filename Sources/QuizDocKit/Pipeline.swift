import Foundation
import Synchronization

/// How a run is asked to behave.
public struct BuildOptions: Sendable {
    /// Every warning becomes an error.
    public var strict: Bool
    /// The site's absolute URL (ending in `/`); with it, a sitemap is written.
    public var baseURL: String?
    /// Where a phase's "Edit this phase" link points: this URL + `data/quizzes/<file>.yaml`.
    public var editURL: String?
    /// Called as phases finish rendering, with (done, total). For a progress line.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Delete the previous site on a thread of its own after the commit (for a process that
    /// goes on running, like `quizdoc serve`).
    public var discardInBackground = false
    /// Return before the manifest is saved (`BuildReport.manifest`, saving from the moment
    /// the site is committed), so the caller can tell its users what changed meanwhile; it
    /// must wait for the save (`PendingManifest.save`) before the next build.
    public var deferManifest = false
    /// Called when another build of the project is running, before this one waits for it.
    public var waitingForAnotherBuild: (@Sendable () -> Void)?
    /// The process ends once the build is reported (the `quizdoc` command): what the build
    /// held (the last build's phases and search index, the paths of thousands of files) is
    /// left to the process's end rather than freed an object at a time as the build
    /// returns, as a compiler leaves its last data structures to the exit.
    public var processEndsAfterward = false

    public init(strict: Bool = false, baseURL: String? = nil, editURL: String? = nil,
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.strict = strict
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.editURL = editURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.progress = progress
    }
}

/// A successful build's manifest, being saved while the caller tells what the build did
/// (`BuildOptions.deferManifest`); `save` waits for it.
public struct PendingManifest: Sendable {
    private let saving: Task<Void, Never>

    /// Saves `manifest` from now on, its encoding (`Manifest.preparedOnTwoCores()`) begun
    /// while the site was committed; `lock`, the build's lock on the project, is released
    /// once it is saved.
    init(manifest: Manifest, prepared: Task<Manifest.Prepared, Never>, siteFolders: [String], root: URL, lock: BuildLock?) {
        saving = Task {
            try? manifest.save(root: root, folders: siteFolders, prepared: await prepared.value)
            withExtendedLifetime(lock) {}
        }
    }

    public func save() async {
        await saving.value
    }
}

/// The one place that chains the stages, in order (`run`):
///
/// 1. **load**: YAML → validated `Quiz` values, each file in parallel, then checks across files;
/// 2. **mirror**: each question → a `LocalizedQuestion` per language → the Markdown mirror;
/// 3. **render**: each text → HTML through cmark-gfm, checking the content policy;
/// 4. **site**: each phase's pages as it renders, then the pages listing every phase and
///    the search index;
/// 5. **write**: every file goes to a sink as soon as it is made. `build`'s sink stages it
///    and puts everything in place only if the whole run succeeded; `check`'s compares
///    mirrors with disk; `generate`'s keeps them in memory.
///
/// Stages 2–4 run per phase, phases in parallel on every core, and their output is sorted,
/// so it is byte-identical to a serial run. `BuildCache` (incremental builds) decides what
/// the last build already made.
public enum Pipeline {
    /// Everything the stages made, in memory.
    public struct Generation: Sendable {
        public var diagnostics: [Diagnostic]
        /// The mirrors, with paths relative to the project root.
        public var mirrors: [OutputFile]
        /// The site, with paths relative to `docs-out/site/`; empty when not asked for.
        public var site: [OutputFile]
        /// The other committed files a build writes: the translation lock, the schema.
        public var committed: [OutputFile] = []

        public var failed: Bool { diagnostics.containsErrors }
    }

    /// Runs the stages and returns every file in memory (for tests and tools; `build` streams);
    /// none when the run failed (as `build` writes none), though some may have been made.
    public static func generate(root: URL, options: BuildOptions = BuildOptions(), site: Bool = true) async -> Generation {
        let sink = MemorySink()
        let run = await run(root: root, options: options, site: site, sink: sink)
        let files = run.diagnostics.containsErrors ? (mirrors: [], site: []) : sink.files
        let isMirror = { (file: OutputFile) in file.path.hasPrefix(ProjectLayout.mirrors + "/") }
        return Generation(diagnostics: run.diagnostics, mirrors: files.mirrors.filter(isMirror), site: files.site,
                          committed: files.mirrors.filter { !isMirror($0) })
    }

    /// What `build` did.
    public struct BuildReport: Sendable {
        public var diagnostics: [Diagnostic]
        public var written: [String] = []
        /// Committed files besides the mirrors that this build rewrote (the translation lock, the schema).
        public var otherWritten: [String] = []
        /// The mirrors found as this build would write them, in no order (2,000 of them after a
        /// one-question edit, which the command line only counts).
        public var unchanged: [String] = []
        public var removed: [String] = []
        /// Files in the site.
        public var siteFiles = 0
        /// With `BuildOptions.deferManifest`: the manifest being saved, to wait for before the
        /// next build.
        public var manifest: PendingManifest?
        /// The site files this build made anew (sorted), and those it took over unchanged (in
        /// no order: 4,000 paths, which only `quizdoc serve` looks up).
        public var siteWritten: [String] = []
        public var siteReused: [String] = []
        /// Nothing had changed since the last build, so nothing was made.
        public var upToDate = false
        public var failed: Bool { diagnostics.containsErrors }
    }

    /// Validates everything and writes what changed. On any error nothing changes on disk.
    public static func build(root: URL, options: BuildOptions = BuildOptions()) async -> BuildReport {
        if let problem = rootProblem(root) { return BuildReport(diagnostics: [problem]) }
        // Held to the end of this function, and with the manifest the caller saves.
        let lock = await BuildLock.acquire(root: root, waiting: options.waitingForAnotherBuild)
        defer { withExtendedLifetime(lock) {} }
        StageTimes.mark("start")
        defer { StageTimes.report() }
        var sink: BuildSink
        do {
            sink = try buildSink(root: root, options: options)
        } catch {
            // The input is still checked, so its problems are reported with this one.
            let run = await run(root: root, options: options, site: false, sink: CheckSink(root: root))
            return BuildReport(diagnostics: (run.diagnostics + [.error(at: .file(ProjectLayout.output), "\(error)")]).sorted())
        }
        var run = await run(root: root, options: options, site: true, sink: sink, incremental: true)
        if run.lastIndexLost {
            // What it staged goes, and the build starts again, every chunk of the last index
            // read before a phase is taken over (a chunk changed by hand, its stamp put back).
            sink.abort()
            do {
                sink = try buildSink(root: root, options: options)
            } catch {
                return BuildReport(diagnostics: (run.diagnostics + [.error(at: .file(ProjectLayout.output), "\(error)")]).sorted())
            }
            run = await Self.run(root: root, options: options, site: true, sink: sink, incremental: true, trustingSearchStamps: false)
            if run.lastIndexLost {
                // Read whole first, the index cannot be lost again; if it was, nothing is committed.
                sink.abort()
                return BuildReport(diagnostics: (run.diagnostics + [.error(at: .file(ProjectLayout.site),
                    "the search index changed while this build read it; build again")]).sorted())
            }
        }
        var report = BuildReport(diagnostics: run.diagnostics)
        guard !report.failed else {
            sink.abort()
            return report
        }
        if run.upToDate {
            sink.abort()
            report.unchanged = run.mirrors
            report.upToDate = true
            return report
        }
        // Mirrors apart from the other committed files (lock, schema), said on their own.
        let isMirror = { @Sendable (path: String) in path.hasPrefix(ProjectLayout.mirrors + "/") }
        // Most of the manifest is encoded while the site is committed (on one core) and the
        // caller reports (a course's thousands of warnings).
        let prepared = run.manifest.map { manifest in Task { await manifest.preparedOnTwoCores() } }
        var bag = DiagnosticBag()
        do {
            try sink.commit(bag: &bag)
        } catch {
            sink.abort()
            bag.error(.file(ProjectLayout.output), "\(error)")
        }
        StageTimes.mark("commit")
        if !bag.diagnostics.isEmpty { report.diagnostics = (report.diagnostics + bag.sorted).sorted() }
        guard !report.failed else { return report }
        // A cache: a build whose manifest cannot be saved is still a good build.
        if var manifest = run.manifest, let prepared {
            manifest.spare = sink.keptSpare
            manifest.siteFiles = sink.siteFiles
            let pending = PendingManifest(manifest: manifest, prepared: prepared, siteFolders: sink.siteFolders, root: root, lock: lock)
            if options.deferManifest { report.manifest = pending } else { await pending.save() }
        }
        StageTimes.mark("manifest")
        report.written = sink.written.filter(isMirror)
        report.unchanged = sink.unchanged.filter(isMirror)
        report.otherWritten = sink.written.filter { !isMirror($0) }
        report.removed = sink.removed.filter(isMirror)
        report.siteFiles = sink.siteFiles
        report.siteWritten = sink.siteWritten.sorted()
        report.siteReused = sink.siteReused
        leaveToExit([sink], options.processEndsAfterward)
        return report
    }

    private static func buildSink(root: URL, options: BuildOptions) throws -> BuildSink {
        let sink = try BuildSink(root: root)
        sink.discardInBackground = options.discardInBackground
        return sink
    }

    /// What `check` found: one unified diff per stale, missing or orphan mirror.
    public struct CheckReport: Sendable {
        public var diagnostics: [Diagnostic]
        public var stale: [(path: String, diff: String)] = []
        public var failed: Bool { !stale.isEmpty || diagnostics.containsErrors }
    }

    /// Regenerates the mirrors and compares them with `docs-out/`. Writes nothing.
    public static func check(root: URL, options: BuildOptions = BuildOptions()) async -> CheckReport {
        if let problem = rootProblem(root) { return CheckReport(diagnostics: [problem]) }
        StageTimes.mark("start")
        defer { StageTimes.report() }
        let sink = CheckSink(root: root)
        let run = await run(root: root, options: options, site: false, sink: sink, streaming: true)
        var report = CheckReport(diagnostics: run.diagnostics)
        guard !report.failed else { return report }
        var bag = DiagnosticBag()
        sink.finish(bag: &bag)
        report.diagnostics = (report.diagnostics + bag.sorted).sorted()
        report.stale = sink.stale
        return report
    }

    /// `quizdoc lint`: the load stage alone, which ends with the linter, and the course-wide
    /// checks; nothing is rendered or written. With `paths`, only problems in those files.
    public static func lint(root: URL, options: BuildOptions = BuildOptions(), paths: [String] = []) async -> [Diagnostic] {
        if let problem = rootProblem(root) { return [problem] }
        var bag = DiagnosticBag()
        let languages = LanguageLoader.course(root: root, bag: &bag).languages
        if !languages.isEmpty {
            _ = await loadQuizzes(QuizLoader.list(root: root, bag: &bag), root: root, languages: languages, cache: nil, bag: &bag)
        }
        let wanted = Set(paths.map { URL(fileURLWithPath: $0, relativeTo: root).standardizedFileURL.path })
        return finish(bag, options).diagnostics.filter {
            wanted.isEmpty || wanted.contains(root.appendingPathComponent($0.location.path).standardizedFileURL.path)
        }
    }

    /// `quizdoc schema`: writes the quiz files' JSON Schema (`QuizSchema`) for the project's
    /// languages, creating `schema/` if needed.
    public static func writeSchema(root: URL) -> [Diagnostic] {
        if let problem = rootProblem(root) { return [problem] }
        var bag = DiagnosticBag()
        let languages = LanguageLoader.course(root: root, bag: &bag).languages
        guard !bag.hasErrors, !languages.isEmpty else { return bag.sorted }
        let url = root.appendingPathComponent(QuizSchema.path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.replace(url, with: Data(QuizSchema.text(languages: languages).utf8), path: QuizSchema.path)
        } catch {
            bag.error(.file(QuizSchema.path), "\(error)")
        }
        return bag.sorted
    }

    /// The project root must be an existing folder: a mistyped `--root` creates nothing.
    static func rootProblem(_ root: URL) -> Diagnostic? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
            return .error(at: .file(root.path), "the project root is not a folder; pass --root with the folder that holds data/ and templates/")
        }
        return nil
    }

    // MARK: - The stages

    struct Run {
        var diagnostics: [Diagnostic]
        /// Nothing changed since the build the manifest describes: nothing was made.
        var upToDate = false
        var mirrors: [String] = []
        /// What to remember of this build, once it is in place.
        var manifest: Manifest?
        /// The last search index, whose postings reused phases took over, could not be read
        /// after all (`LastIndexLost`): nothing of this run is to be committed.
        var lastIndexLost = false
    }

    /// The stages, in order, for every quiz. With `incremental` (build), a `BuildCache`
    /// decides what the last build already made: an unchanged quiz file is not parsed, its
    /// pages are taken over unless a neighbour's title changed, and when nothing changed at
    /// all nothing is made (`upToDate`). With `streaming` (check, no site), each quiz goes on
    /// to its mirrors on the core that loaded it and is let go there, rather than the course
    /// held whole until every file is loaded (a 1,000-phase course parses to some 150 MB, all
    /// of it fresh memory, which the kernel zeroes page by page: a fifth of `check`'s CPU
    /// time). Its files then reach the sink before the run knows that every file loaded:
    /// only for a sink whose files count when the run succeeds (`CheckSink`). A site with
    /// nothing to take over from a last build is made a `stretch` of phases at a time
    /// (`streamPhases`), its files sent to a sink that commits them only if the run succeeds.
    static func run(root: URL, options: BuildOptions, site: Bool, sink: some OutputSink, incremental: Bool = false,
                    streaming: Bool = false, trustingSearchStamps: Bool = true, stretch: Int = streamedStretch) async -> Run {
        // The quiz files, listed while the last build's manifest is read; their listing's
        // problems are found again by every build, so they are kept apart from what a build
        // remembers in its manifest.
        async let listed = { () -> ([QuizLoader.Entry], DiagnosticBag) in
            var listing = DiagnosticBag()
            return (QuizLoader.list(root: root, bag: &listing), listing)
        }()

        // Plan: nothing changed since the last build (the manifest tells without reading any
        // other input), so nothing is made and what it reported is reported again.
        var cache = incremental ? BuildCache(root: root, options: options) : nil
        let (entries, listingProblems) = await listed
        var listing = listingProblems
        if let previous = cache?.previous, !listing.hasErrors, let reported = await cache?.unchanged(entries, bag: &listing) {
            // Saved sorted: sorted again only with problems of the listing among them.
            var run: Run
            if listing.diagnostics.isEmpty {
                run = finish(sorted: reported, options)
            } else {
                listing.append(contentsOf: reported)
                run = finish(listing, options)
            }
            run.upToDate = true
            run.mirrors = previous.committed.map(\.path).filter { $0.hasPrefix(ProjectLayout.mirrors + "/") }
            leaveToExit([cache], options.processEndsAfterward)
            return run
        }
        StageTimes.mark("plan")
        // Something is to be made: the last build's phases are read while the languages and
        // the theme load (an edit needs them before it loads any quiz file).
        let previous = cache?.previous
        async let previousPhases = previous?.decodedPhases()

        var bag = DiagnosticBag()
        // What every stage needs: the languages (UI strings), the course settings (flags
        // override them) and the site's theme, its templates parsed while the languages load
        // and the last build's phases are read.
        async let loadedTheme = { () -> (Theme?, DiagnosticBag) in
            var bag = DiagnosticBag()
            return (site ? Theme.load(root: root, bag: &bag) : nil, bag)
        }()
        let (languages, settings) = LanguageLoader.course(root: root, bag: &bag)
        var options = options
        options.baseURL = options.baseURL ?? settings.baseURL
        options.editURL = options.editURL ?? settings.editURL
        guard !languages.isEmpty else {
            bag.append(contentsOf: await loadedTheme.1.diagnostics)
            return finish(bag, options)
        }
        StageTimes.mark("languages")
        // The quiz file the plan found changed (an edit's), read and parsed while the last
        // build's phases are read, which leaves a core idle part of the while.
        let parsedEarly = cache?.parseChanged(entries, languages: languages)
        // The last build's search index, read while its phases are and the quiz files load
        // (an edit needs all three before it makes anything).
        let reusable = cache?.site
        let recordedSearch = cache?.previous?.searchChunks ?? [:]
        async let previousSearch: [String: SearchIndex.Previous] =
            reusable?.searchIndex(languages, recorded: recordedSearch, trustingStamps: trustingSearchStamps) ?? [:]
        cache?.readPhases(await previousPhases)
        StageTimes.mark("the last build's phases read")
        let (theme, themeBag) = await loadedTheme
        bag.append(contentsOf: themeBag.diagnostics)

        // 1. load: every quiz file, in parallel (remembered when unchanged), then across files,
        // and each translation against the lock.
        // 2. with each, on the same core: its phase titles rendered, which the navigation of
        // every page shows.
        await cache?.awaitLook()
        let builder = theme.map { SiteBuilder(languages: languages, theme: $0, baseURL: options.baseURL, editURL: options.editURL) }
        var then: (@Sendable (PhaseInput) -> PhaseResult)?
        if streaming, !site, cache == nil {
            // Without a site or a cache, a phase's place in the course is not used.
            let course = Course(languages: languages, summaries: [], builder: nil, sink: sink, cache: nil, root: root)
            then = { input in outputs(input, at: 0, in: course) }
        }
        var inputs: [PhaseInput]
        var streamed: [PhaseResult]?
        var streamedSearch: [String: SearchIndex.Assembly] = [:]
        if let builder, cache?.previous == nil, !bag.hasErrors, !listing.hasErrors {
            // Every phase is made (no last build to take any over from): a stretch at a time.
            let progress = Progress(total: entries.count, report: options.progress)
            (inputs, streamed, streamedSearch) = await streamPhases(entries, root: root, languages: languages, cache: cache,
                                                                    builder: builder, sink: sink, progress: progress,
                                                                    stretch: stretch, bag: &bag)
        } else {
            inputs = await loadQuizzes(entries, root: root, languages: languages, cache: cache, parsedEarly: await parsedEarly?.value,
                                       summarize: true, bag: &bag, then: then)
        }
        StageTimes.mark("load")
        // By index: a loop over the inputs copied each whole (a few dozen references), 1,000 of them.
        for index in inputs.indices { bag.append(contentsOf: inputs[index].titleDiagnostics) }
        let summaries = inputs.withUnsafeBufferPointer { inputs in inputs.indices.compactMap { inputs[$0].summary ?? inputs[$0].remembered?.summary } }

        // 3. per phase, in parallel: mirrors, texts rendered, pages (or taken over). Every
        // quiz that loaded is rendered, even when another file has errors, so one run reports
        // the problems of every text; files are made only when nothing failed so far.
        let emit = !bag.hasErrors && !listing.hasErrors
        var building = Course(languages: languages, summaries: summaries, builder: builder, sink: emit ? sink : nil, cache: cache, root: root)
        if emit, cache?.site != nil {
            building.previousSearch = await previousSearch
            if let cache, let previous = cache.previous, cache.siteKept { sink.adopt(previous.spare, liveFiles: previous.siteFiles) }
        }
        if emit, let cache, let previous = cache.previous, cache.committedFoldersKept {
            sink.adoptCommitted(previous.committed.map(\.path))
        }
        let course = building
        let assembledSearch = streamedSearch
        let progress = Progress(total: inputs.count, report: options.progress)
        // Each phase's parsed quiz is let go once its outputs are made: the course is not held
        // whole to the end of the build (a 1,000-phase course parses to some 200 MB).
        let results: [PhaseResult]
        if let streamed {
            results = streamed
        } else if then != nil {
            results = inputs.withUnsafeBufferPointer { inputs in inputs.indices.compactMap { inputs[$0].result } }
            inputs = []
        } else {
            // Each moved into its handover, not copied (an input holds a few dozen references).
            let parsed = inputs.indices.map { inputs[$0].remembered == nil }
            var handovers: [Handover<PhaseInput>] = []
            handovers.reserveCapacity(inputs.count)
            while let input = inputs.popLast() { handovers.append(Handover(input)) }
            let pending = Array(handovers.reversed())
            // The phases parsed, which are made, before those that may be taken over.
            results = await parallelMap(Array(pending.indices), takenFirst: { parsed[$0] }) { index -> PhaseResult in
                defer { progress.step() }
                return outputs(pending[index].take(), at: index, in: course)
            }
            // Emptied, 1,000 of them: left to the process's end too.
            leaveToExit([pending], options.processEndsAfterward)
        }
        for index in results.indices { bag.append(contentsOf: results[index].diagnostics) }
        StageTimes.mark("phases")
        // What was found so far (a course's thousands of warnings), sorted on another core
        // while the pages that list every phase are made, which mostly find nothing more:
        // sorted after them, it held up the commit.
        let foundSoFar = bag
        async let sortedSoFar = foundSoFar.sorted

        // 4. the pages that list every phase and 5. the search index, each language on a core
        // of its own; then the files all languages share.
        var searchChunks: [String: Manifest.SearchFile] = [:]
        var homePages: [String: Manifest.HomePage] = [:]
        var lastIndexLost = false
        if emit, !bag.hasErrors, let builder = course.builder {
            // A home page shows the phases' summaries alone: with each the last build's, in
            // the same order, and the same theme and flags, it is the page that build made
            // (an edit of a translation, for one).
            // Otherwise each phase whose summary is the last build's has the item it had: taken
            // from that build's page (`Manifest.HomePage`), and the rest rendered.
            let unchangedPhases = course.cache?.site == nil ? nil : course.cache?.phasesUnchanged(summaries)
            let homesKept = unchangedPhases?.allSatisfy { $0 } == true
            let processEndsAfterward = options.processEndsAfterward
            let languageResults = await parallelMap(languages) { language -> (DiagnosticBag, [String: Manifest.SearchFile]?, Manifest.HomePage?) in
                var bag = DiagnosticBag()
                var home: Manifest.HomePage?
                do {
                    let path = builder.paths.home(language)
                    if homesKept && sink.reuse(path) {
                        home = course.cache?.previous?.homePages[language.code]
                    } else {
                        let reusing = unchangedPhases.flatMap { course.cache?.homeReuse(path, language: language, unchanged: $0) }
                        let (page, context, layout) = builder.homePage(summaries, language: language, reusing: reusing)
                        try sink.site(page)
                        home = layout.flatMap { layout in sink.siteStamp(path).map { Manifest.HomePage(stamp: $0, layout: layout) } }
                        leaveToExit([context], processEndsAfterward)
                    }
                } catch {
                    bag.error(.file(ProjectLayout.output), "\(error)")
                }
                let chunks = StageTimes.measure(.searchAssembly) {
                    try? searchIndex(language, results: results, summaries: summaries, previous: course.previousSearch[language.code],
                                     assembled: assembledSearch[language.code], sink: sink, bag: &bag)
                }
                return (bag, chunks, home)
            }
            for ((languageBag, chunks, home), language) in zip(languageResults, languages) {
                bag.append(contentsOf: languageBag.diagnostics)
                if let chunks { searchChunks.merge(chunks) { first, _ in first } } else { lastIndexLost = true }
                homePages[language.code] = home
            }
            // Made with the same theme and flags (`GlobalFingerprint`) as the current site's.
            let sameTheme = course.cache?.site != nil
            for file in builder.sharedFiles(summaries, taken: { sameTheme && sink.reuse($0) }) {
                do { try sink.site(file) } catch { bag.error(.file(ProjectLayout.output), "\(error)") }
            }
            StageTimes.mark("home pages and search index")
        }
        // The editors' JSON Schema, kept fresh once a project has one (`quizdoc schema`).
        if emit, !bag.hasErrors, InputFile.kind((QuizSchema.path as NSString).deletingLastPathComponent, root: root) == .folder {
            do { try sink.mirror(OutputFile(path: QuizSchema.path, text: QuizSchema.text(languages: languages))) } catch {
                bag.error(.file(ProjectLayout.output), "\(error)")
            }
        }
        // Remembered: what this build reported besides the listing's problems, sorted (and
        // sorted once: a course may have thousands of warnings). The bag only grows, so the
        // same count is the same diagnostics.
        let reported = bag.diagnostics.count == foundSoFar.diagnostics.count ? await sortedSoFar : bag.sorted
        var manifest = cache?.manifest(results, diagnostics: reported, searchChunks: searchChunks)
        manifest?.homePages = homePages
        var run: Run
        if listing.diagnostics.isEmpty {
            run = finish(sorted: reported, options)
        } else {
            bag.append(contentsOf: listing.diagnostics)
            run = finish(bag, options)
        }
        run.manifest = manifest
        run.lastIndexLost = lastIndexLost
        leaveToExit([cache, course, results, summaries], options.processEndsAfterward)
        return run
    }

    /// What builds with `processEndsAfterward` leave to the process's end.
    private static let leftToExit = Mutex<[any Sendable]>([])

    /// Keeps `values` to the process's end when it ends with the build (`processEndsAfterward`).
    private static func leaveToExit(_ values: [any Sendable], _ processEndsAfterward: Bool) {
        if processEndsAfterward { leftToExit.withLock { $0 += values } }
    }

    /// Stage 1: the quiz files of the course (`QuizLoader.list`), each parsed (or remembered)
    /// in parallel, sorted by phase; then the checks across files (unique phases and ids).
    /// With `then`, each input goes on through it on the core that loaded it, which keeps its
    /// `result` and lets its quiz go (`run`'s `streaming`).
    /// `parsedEarly`, a file read and parsed before (`BuildCache.parseChanged`).
    static func loadQuizzes(_ entries: [QuizLoader.Entry], root: URL, languages: [Language], cache: BuildCache?,
                            parsedEarly: BuildCache.Parsed? = nil, summarize: Bool = false, bag: inout DiagnosticBag,
                            then: (@Sendable (PhaseInput) -> PhaseResult)? = nil) async -> [PhaseInput] {
        // The files to parse (those the last build did not leave as they are) before those to
        // take from its records.
        var inputs = await parallelMap(entries, takenFirst: cache.map { cache in { cache.mayHaveChanged($0) } }) { entry in
            var input = loadInput(entry, root: root, languages: languages, cache: cache, parsedEarly: parsedEarly, summarize: summarize)
            if let then {
                input.result = then(input)
                input.quiz = nil
            }
            return input
        }
        await acrossFiles(&inputs, bag: &bag)
        return inputs
    }

    /// Stage 1 for one quiz file: parsed (or remembered), its translations assessed, its
    /// summary made when asked.
    private static func loadInput(_ entry: QuizLoader.Entry, root: URL, languages: [Language], cache: BuildCache?,
                                  parsedEarly: BuildCache.Parsed?, summarize: Bool) -> PhaseInput {
        var input = cache?.load(entry, languages: languages, parsedEarly: parsedEarly) ?? load(entry, languages: languages)
        input.assessTranslations(languages: languages, root: root)
        if summarize { input.summarize(languages: languages) }
        // Its ids hashed here, for the look across files (an edit's 20,000 remembered ids
        // are read from the manifest's tokens).
        if input.phase != nil { input.identity = identity(input) }
        return input
    }

    /// The end of stage 1, every file loaded: their problems reported, the inputs in course
    /// order (those that did not load left out), then the looks across files.
    private static func acrossFiles(_ inputs: inout [PhaseInput], bag: inout DiagnosticBag) async {
        for index in inputs.indices { bag.append(contentsOf: inputs[index].diagnostics) }
        // Sorted by their keys, then moved into that order where they are (`permute`): an
        // input is a large value, and copying 1,000 into a new array (a course's files are
        // listed by name, where phase 1000 comes before phase 101) retained and then released
        // every reference each holds.
        let order = inputs.indices.compactMap { index in inputs[index].phase.map { (phase: $0, name: inputs[index].baseName, index: index) } }
            .sorted { ($0.phase, $0.name) < ($1.phase, $1.name) }
        if !order.lazy.map(\.index).elementsEqual(inputs.indices) {
            // Those without a phase (they did not load) last, and dropped.
            var phaseless = [Bool](repeating: true, count: inputs.count)
            for entry in order { phaseless[entry.index] = false }
            inputs.permute(to: order.map(\.index) + inputs.indices.filter { phaseless[$0] })
            inputs.removeLast(inputs.count - order.count)
        }
        // The two looks across files, at once.
        // A summary's layout when the phase has one (a build), packed once.
        // Each input read where it is, through the buffer (`map`'s element, and the array's
        // subscript, were copies of it: a few dozen references retained and released).
        var layouts: [KeyLayout] = []
        var identities: [QuizLoader.Identity] = []
        inputs.withUnsafeBufferPointer { inputs in
            for index in inputs.indices {
                let layout = inputs[index].summary?.keyLayout ?? inputs[index].remembered?.summary.keyLayout
                layouts.append(layout ?? inputs[index].quiz?.keyLayout ?? [])
                if let identity = inputs[index].identity { identities.append(identity) }
            }
        }
        async let courseFindings = Linter.course(phases: layouts)
        QuizLoader.checkAcrossFiles(identities, bag: &bag)
        bag.append(contentsOf: await courseFindings)
    }

    /// Stages 1 to 3 for a build that makes every phase (there is no last build to take any
    /// over from), a stretch of the course at a time: a phase is made as soon as the phases
    /// its sidebar lists are loaded, and its parsed quiz let go. Loaded whole first, a
    /// 1,000-phase course parses to some 150 MB of fresh memory, which the kernel zeroes
    /// page by page and the stages read back long after it left the processor's caches.
    ///
    /// The course's order is known from the file names (a file's phase must be its name's),
    /// so each phase's place is known before it loads. Each round makes the phases whose
    /// neighbours are loaded and loads the next stretch, on every core at once. Once a file
    /// fails to load (or loads with errors), places no longer hold and the build fails: the
    /// phases left are only checked (no sink), as when a build fails before its phases are
    /// made; what the sink was sent before goes with the failed build, as when a phase fails.
    ///
    /// Each language's search postings are gathered as the phases are made, in course order
    /// (a round adds those of the round before, beside its other work), and let go from the
    /// results (`SearchIndex.Assembly`).
    /// Returns the inputs as `loadQuizzes` does (their quizzes let go), the phases' results
    /// (without their postings), and the postings gathered, by language code.
    static func streamPhases(_ entries: [QuizLoader.Entry], root: URL, languages: [Language], cache: BuildCache?,
                             builder: SiteBuilder, sink: any OutputSink, progress: Progress, stretch: Int = streamedStretch,
                             bag: inout DiagnosticBag) async
        -> (inputs: [PhaseInput], results: [PhaseResult], search: [String: SearchIndex.Assembly]) {
        let order = entries.sorted { ($0.name.phase, $0.name.baseName) < ($1.name.phase, $1.name.baseName) }
        let total = order.count
        // Each loaded input, in course order: handed over whole to the task that makes it,
        // kept here without its quiz.
        var loaded: [PhaseInput] = []
        var handovers: [Handover<PhaseInput>] = []
        loaded.reserveCapacity(total)
        handovers.reserveCapacity(total)
        var summaries: [SiteBuilder.PhaseSummary] = []
        summaries.reserveCapacity(total)
        var results: [PhaseResult] = []
        results.reserveCapacity(total)
        var made = 0, failed = false
        // Each language's postings so far, handed to the task that adds the next ones, and
        // the phases' postings it is to add (with each phase's number), in course order.
        var assemblies = languages.map { _ in Handover(SearchIndex.Assembly()) }
        var toAssemble = languages.map { _ in [(postings: SearchIndex.PhasePostings?, phase: Int)]() }

        enum Work { case make(Int), load(Int), assemble(Int) }
        enum Done { case made(PhaseResult?, phase: Int), loaded(PhaseInput), assembled(Int, SearchIndex.Assembly) }
        @Sendable func assemble(_ language: Int, _ postings: [(postings: SearchIndex.PhasePostings?, phase: Int)],
                                from assemblies: [Handover<SearchIndex.Assembly>]) -> SearchIndex.Assembly {
            var assembly = assemblies[language].take()
            for (fresh, phase) in postings { assembly.add(fresh, phase: phase) }
            return assembly
        }
        while made < total {
            // Made: every loaded phase whose sidebar's phases are all loaded (all of them once
            // a file failed to load: nothing more goes to the sink).
            var ready = made
            while ready < loaded.count,
                  failed || SiteBuilder.PhaseNavigation.window(of: ready, count: total).upperBound <= loaded.count {
                ready += 1
            }
            let loads = loaded.count..<min(loaded.count + max(stretch, 1), total)
            // Made first: they take longer than loads, which end a round more evenly; the
            // postings last, the shortest.
            let work = (made..<ready).map(Work.make) + loads.map(Work.load)
                + languages.indices.filter { !toAssemble[$0].isEmpty }.map(Work.assemble)
            let first = made < ready ? SiteBuilder.PhaseNavigation.window(of: made, count: total).lowerBound : 0
            let course = Course(languages: languages, summaries: failed ? [] : Array(summaries[first...]), firstSummary: first,
                                total: total, builder: builder, sink: failed ? nil : sink, cache: failed ? nil : cache, root: root)
            let pending = handovers
            let (assembling, postings) = (assemblies, toAssemble)
            toAssemble = languages.map { _ in [] }
            let done = await parallelMap(work) { item -> Done in
                switch item {
                case .make(let index):
                    let input = pending[index].take()
                    // A file that did not load has nothing to make (`acrossFiles` leaves it out).
                    guard let phase = input.phase else { return .made(nil, phase: 0) }
                    defer { progress.step() }
                    return .made(outputs(input, at: index, in: course), phase: phase)
                case .load(let index):
                    return .loaded(loadInput(order[index], root: root, languages: languages, cache: cache, parsedEarly: nil, summarize: true))
                case .assemble(let language):
                    return .assembled(language, assemble(language, postings[language], from: assembling))
                }
            }
            made = ready
            for outcome in done {
                switch outcome {
                case .made(var result?, let phase):
                    for (index, language) in languages.enumerated() {
                        toAssemble[index].append((result.search.removeValue(forKey: language.code), phase))
                    }
                    results.append(result)
                case .made(nil, _):
                    break
                case .assembled(let language, let assembly):
                    assemblies[language] = Handover(assembly)
                case .loaded(var input):
                    handovers.append(Handover(input))
                    // A file with errors fails the build too: it is made without the sink, and
                    // so is every phase after it.
                    let loadedWell = !input.diagnostics.containsErrors && !input.titleDiagnostics.containsErrors
                    if !failed, loadedWell, input.phase != nil, let summary = input.summary {
                        summaries.append(summary)
                    } else {
                        failed = true
                    }
                    input.quiz = nil
                    loaded.append(input)
                }
            }
        }
        let (assembling, postings) = (assemblies, toAssemble)
        let assembled = await parallelMap(Array(languages.indices)) { assemble($0, postings[$0], from: assembling) }
        await acrossFiles(&loaded, bag: &bag)
        return (loaded, results, Dictionary(uniqueKeysWithValues: zip(languages.map(\.code), assembled)))
    }

    /// How many phases a round of `streamPhases` loads: each loaded is made in the next
    /// round, so about twice this many parsed quizzes are held at once. Measured at 1,000
    /// phases (prose): 8 to 128 all about as fast; peak memory 102 to 110 MB, 178 MB held whole.
    static let streamedStretch = 32

    /// The quiz's translations against its lock: marks its outdated questions, counts what is
    /// to review, and keeps the lock file to write; returns the findings.
    static func assess(_ quiz: inout Quiz, languages: [Language], root: URL) -> TranslationHealth {
        guard languages.count > 1 else { return TranslationHealth(quiz, languages: [], root: root) }
        let health = TranslationHealth(quiz, languages: languages, root: root)
        quiz.outdated = health.outdated
        quiz.pendingTranslations = health.pending
        quiz.translationLock = health.lockFile
        quiz.translationLockStamp = health.unchangedLockStamp
        return health
    }

    private static func finish(_ bag: DiagnosticBag, _ options: BuildOptions) -> Run {
        finish(sorted: bag.sorted, options)
    }

    private static func finish(sorted: [Diagnostic], _ options: BuildOptions) -> Run {
        var diagnostics = sorted
        if options.strict {
            diagnostics = diagnostics.map { Diagnostic(.error, at: $0.location, $0.message, rule: $0.rule) }
        }
        return Run(diagnostics: diagnostics)
    }
}

/// A value handed over once, from one task to another: `take` returns it and lets it go.
final class Handover<Value: Sendable>: Sendable {
    private let value: Mutex<Value?>

    init(_ value: Value) {
        self.value = Mutex(value)
    }

    func take() -> Value {
        value.withLock { $0.take()! }
    }
}
