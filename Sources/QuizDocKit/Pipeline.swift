import Foundation

/// How a run is asked to behave.
public struct BuildOptions: Sendable {
    /// Every warning becomes an error.
    public var strict: Bool
    /// The site's absolute URL (ending in `/`); with it, a sitemap is written.
    public var baseURL: String?
    /// Called as phases finish rendering, with (done, total). For a progress line.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(strict: Bool = false, baseURL: String? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.strict = strict
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.progress = progress
    }
}

/// The one place that chains the stages, in order:
///
/// 1. **load**: YAML → validated `Quiz` values, each file in parallel, then checks across files;
/// 2. **mirror**: each quiz → its Markdown mirror per language;
/// 3. **render**: each text → HTML through cmark-gfm, checking the content policy;
/// 4. **site**: each phase's pages as it renders, then the pages listing every phase;
/// 5. **write**: every file goes to a sink as soon as it is made. `build`'s sink stages it
///    and puts everything in place only if the whole run succeeded; `check`'s compares
///    mirrors with disk; `generate`'s keeps them in memory.
///
/// Stages 2–4 run per phase, phases in parallel on every core, and their output is sorted,
/// so it is byte-identical to a serial run.
public enum Pipeline {
    /// Everything the stages made, in memory.
    public struct Generation: Sendable {
        public var diagnostics: [Diagnostic]
        /// The mirrors, with paths relative to the project root.
        public var mirrors: [OutputFile]
        /// The site, with paths relative to `docs-out/site/`; empty when not asked for.
        public var site: [OutputFile]
        public var quizzes: [Quiz]

        public var failed: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Runs the stages and returns every file in memory (for tests and tools; `build` streams).
    public static func generate(root: URL, options: BuildOptions = BuildOptions(), site: Bool = true) async -> Generation {
        let sink = MemorySink()
        let run = await run(root: root, options: options, site: site, sink: sink)
        let files = sink.files
        return Generation(diagnostics: run.diagnostics, mirrors: files.mirrors, site: files.site, quizzes: run.quizzes)
    }

    /// What `build` did.
    public struct BuildReport: Sendable {
        public var diagnostics: [Diagnostic]
        public var written: [String] = []
        public var unchanged: [String] = []
        public var removed: [String] = []
        /// Files in the site.
        public var siteFiles = 0
        /// Nothing had changed since the last build, so nothing was made.
        public var upToDate = false
        public var failed: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Validates everything and writes what changed. On any error nothing changes on disk.
    public static func build(root: URL, options: BuildOptions = BuildOptions()) async -> BuildReport {
        let sink: BuildSink
        do {
            sink = try BuildSink(root: root)
        } catch {
            // The input is still checked, so its problems are reported with this one.
            let run = await run(root: root, options: options, site: false, sink: CheckSink(root: root))
            return BuildReport(diagnostics: (run.diagnostics + [.error(at: .file("docs-out"), "\(error)")]).sorted())
        }
        let run = await run(root: root, options: options, site: true, sink: sink, incremental: true)
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
        var bag = DiagnosticBag()
        do {
            try sink.commit(bag: &bag)
        } catch {
            sink.abort()
            bag.error(.file("docs-out"), "\(error)")
        }
        report.diagnostics = (report.diagnostics + bag.sorted).sorted()
        guard !report.failed else { return report }
        // A cache: a build whose manifest cannot be saved is still a good build.
        try? run.manifest?.save(root: root)
        report.written = sink.written
        report.unchanged = sink.unchanged
        report.removed = sink.removed
        report.siteFiles = sink.siteFiles
        return report
    }

    /// What `check` found: one unified diff per stale, missing or orphan mirror.
    public struct CheckReport: Sendable {
        public var diagnostics: [Diagnostic]
        public var stale: [(path: String, diff: String)] = []
        public var failed: Bool { !stale.isEmpty || diagnostics.contains { $0.severity == .error } }
    }

    /// Regenerates the mirrors and compares them with `docs-out/`. Writes nothing.
    public static func check(root: URL, options: BuildOptions = BuildOptions()) async -> CheckReport {
        let sink = CheckSink(root: root)
        let run = await run(root: root, options: options, site: false, sink: sink)
        var report = CheckReport(diagnostics: run.diagnostics)
        guard !report.failed else { return report }
        var bag = DiagnosticBag()
        sink.finish(bag: &bag)
        report.diagnostics = (report.diagnostics + bag.sorted).sorted()
        report.stale = sink.stale
        return report
    }

    // MARK: - The stages

    struct Run {
        var diagnostics: [Diagnostic]
        var quizzes: [Quiz]
        /// Nothing changed since the build the manifest describes: nothing was made.
        var upToDate = false
        var mirrors: [String] = []
        /// What to remember of this build, once it is in place.
        var manifest: Manifest?
    }

    /// What one phase's mirror, render and site stages produced besides the files they sent
    /// to the sink.
    struct PhaseResult: Sendable {
        var diagnostics: [Diagnostic]
        var searchFragments: [String: String]
        var record: Manifest.Phase?
    }

    /// One quiz file on its way through the stages: parsed now, or remembered from the last
    /// build when its bytes did not change.
    struct PhaseInput: Sendable {
        var entry: QuizLoader.Entry
        var quiz: Quiz?
        var remembered: Manifest.Phase?
        var stamp: FileStamp?
        var hash: Fingerprint?
        var diagnostics: [Diagnostic]

        var phase: Int? { quiz?.phase ?? remembered?.summary.phase }
        var baseName: String { entry.name.baseName }
    }

    /// The stages for every quiz. With `incremental` (build), a quiz file whose bytes match
    /// the last build's manifest is not parsed, and its pages are reused unless a neighbour's
    /// title changed; when nothing changed at all, nothing is made (`upToDate`).
    static func run(root: URL, options: BuildOptions, site: Bool, sink: some OutputSink, incremental: Bool = false) async -> Run {
        var bag = DiagnosticBag()
        let languages = LanguageLoader.load(root: root, bag: &bag)
        let templates = site ? Templates.load(root: root, bag: &bag) : nil
        guard !languages.isEmpty else { return finish(bag, [], options) }
        let global = incremental ? GlobalFingerprint.make(root: root, options: options) : nil
        let previous = global.flatMap { global in Manifest.load(root: root).flatMap { $0.global == global ? $0 : nil } }
        let remembered = Dictionary((previous?.phases ?? []).map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })

        // 1. load, in parallel, then across files.
        let entries = QuizLoader.list(root: root, bag: &bag)
        var inputs = await parallelMap(entries) { entry in
            load(entry, remembered: remembered[entry.name.baseName + ".yaml"], root: root, languages: languages)
        }
        for input in inputs { bag.append(contentsOf: input.diagnostics) }
        inputs = inputs.filter { $0.phase != nil }.sorted { ($0.phase!, $0.baseName) < ($1.phase!, $1.baseName) }
        QuizLoader.checkAcrossFiles(inputs.map(identity), bag: &bag)
        var summaries: [SiteBuilder.PhaseSummary] = []
        for input in inputs {
            if let quiz = input.quiz {
                summaries.append(summary(of: quiz, languages: languages, bag: &bag))
            } else if let record = input.remembered {
                summaries.append(record.summary)
            }
        }

        if let previous, !bag.hasErrors,
           isUpToDate(inputs, previous: previous, root: root, paths: SitePaths(languages: languages), bag: &bag) {
            var run = finish(bag, [], options)
            run.upToDate = true
            run.mirrors = inputs.flatMap { $0.remembered!.mirrors.keys }.sorted()
            return run
        }

        // 2–4. per phase, in parallel. Every quiz that loaded is rendered, even when another
        // file has errors, so one run reports the problems of every text; files are made
        // only when nothing failed so far.
        let emit = !bag.hasErrors
        let builder = templates.map { SiteBuilder(languages: languages, templates: $0, baseURL: options.baseURL) }
        let progress = Progress(total: inputs.count, report: options.progress)
        let frozenSummaries = summaries
        let frozenInputs = inputs
        let reusable = previous == nil ? nil : ReusableSite(root: root, languages: languages)
        var results = await parallelMap(Array(inputs.indices)) { index -> PhaseResult in
            defer { progress.step() }
            return phase(frozenInputs[index], summaries: frozenSummaries, index: index, languages: languages,
                         builder: builder, sink: emit ? sink : nil, reusable: reusable)
        }
        for result in results { bag.append(contentsOf: result.diagnostics) }

        // 4. the pages that list every phase, and the manifest of this build.
        if emit, !bag.hasErrors, let builder {
            var fragments: [String: [String]] = [:]
            for language in languages {
                fragments[language.code] = results.map { $0.searchFragments[language.code] ?? "" }
            }
            let course = builder.coursePages(summaries, searchFragments: fragments)
            for file in course.files {
                do { try sink.site(file) } catch { bag.error(.file("docs-out"), "\(error)") }
            }
            for (code, ranges) in course.searchRanges {
                for index in results.indices { results[index].record?.search[code] = ranges[index] }
            }
        }
        var run = finish(bag, inputs.compactMap(\.quiz), options)
        let records = results.compactMap(\.record)
        if let global, records.count == inputs.count {
            run.manifest = Manifest(global: global, phases: records)
        }
        return run
    }

    /// Stage 1 for one file: remembered when its bytes are those of the last build (same
    /// size and time, or same hash), parsed otherwise.
    static func load(_ entry: QuizLoader.Entry, remembered: Manifest.Phase?, root: URL, languages: [Language]) -> PhaseInput {
        var input = PhaseInput(entry: entry, stamp: FileStamp(path: entry.url.path), diagnostics: [])
        if let remembered, input.stamp == remembered.stamp {
            input.remembered = remembered
            input.hash = remembered.hash
            input.diagnostics = remembered.warnings
            return input
        }
        var bag = DiagnosticBag()
        guard let bytes = QuizLoader.readFile(entry, bag: &bag) else {
            input.diagnostics = bag.diagnostics
            return input
        }
        var hash = Fingerprint()
        bytes.withUnsafeBytes { hash.add($0) }
        input.hash = hash
        if let remembered, remembered.hash == hash {
            input.remembered = remembered
            input.diagnostics = remembered.warnings
            return input
        }
        input.quiz = QuizLoader.parse(bytes, name: entry.name, path: entry.path, languages: languages, bag: &bag)
        input.diagnostics = bag.diagnostics
        return input
    }

    private static func identity(_ input: PhaseInput) -> QuizLoader.Identity {
        if let quiz = input.quiz { return QuizLoader.Identity(quiz) }
        let record = input.remembered!
        return QuizLoader.Identity(sourcePath: record.summary.sourcePath, phase: record.summary.phase,
                                   ids: Array(zip(record.ids, record.idLocations)))
    }

    /// Whether the last build's outputs are still exactly what this one would make: every
    /// file remembered, none added or removed, every mirror untouched, every page there, no
    /// stray file.
    private static func isUpToDate(_ inputs: [PhaseInput], previous: Manifest, root: URL, paths: SitePaths,
                                   bag: inout DiagnosticBag) -> Bool {
        guard inputs.count == previous.phases.count,
              zip(inputs, previous.phases).allSatisfy({ $0.remembered != nil && $0.baseName + ".yaml" == $1.file && $0.stamp == $1.stamp })
        else { return false }
        let site = root.appendingPathComponent(BuildSink.siteFolder)
        var pages = paths.languages.flatMap { [paths.home($0), SiteBuilder.searchIndexPath($0)] }
        for record in previous.phases {
            pages += paths.languages.map { paths.phase(record.summary.baseName, $0) }
        }
        for page in pages where !FileManager.default.fileExists(atPath: site.appendingPathComponent(page).path) {
            return false
        }
        var mirrors: Set<String> = []
        for record in previous.phases {
            for (path, stamp) in record.mirrors {
                guard FileStamp(path: root.appendingPathComponent(path).path) == stamp else { return false }
                mirrors.insert(path)
            }
        }
        var strays = DiagnosticBag()
        let orphans = MirrorFolder(root: root).leftovers(besides: mirrors, bag: &strays)
        bag.append(contentsOf: strays.diagnostics)
        return orphans.isEmpty && !strays.hasErrors
    }

    private static func finish(_ bag: DiagnosticBag, _ quizzes: [Quiz], _ options: BuildOptions) -> Run {
        var diagnostics = bag.sorted
        if options.strict {
            diagnostics = diagnostics.map { Diagnostic(.error, at: $0.location, $0.message) }
        }
        return Run(diagnostics: diagnostics, quizzes: quizzes)
    }

    /// The phase's title rendered in every language (and checked), with its other facts.
    static func summary(of quiz: Quiz, languages: [Language], bag: inout DiagnosticBag) -> SiteBuilder.PhaseSummary {
        var titles: [String: String] = [:]
        for language in languages {
            var renderer = HTMLRenderer(language: language)
            titles[language.code] = renderer.inline(quiz.title)
            bag.append(contentsOf: renderer.bag.diagnostics)
        }
        return SiteBuilder.PhaseSummary(baseName: quiz.baseName, phase: quiz.phase, sourcePath: quiz.sourcePath,
                                        questionCount: quiz.questions.count, titles: titles)
    }

    /// What a build can take over from the current site: its pages (hard-linked) and its
    /// search scripts, from which each reused phase's entries are cut.
    struct ReusableSite: Sendable {
        let root: URL
        let searchScripts: [String: Data]

        init(root: URL, languages: [Language]) {
            self.root = root
            var scripts: [String: Data] = [:]
            for language in languages {
                let path = "\(BuildSink.siteFolder)/\(SiteBuilder.searchIndexPath(language))"
                scripts[language.code] = FileManager.default.contents(atPath: root.appendingPathComponent(path).path)
            }
            searchScripts = scripts
        }
    }

    /// Stages 2–4 for one phase: reused from the last build when its input and its
    /// neighbours are unchanged, made otherwise.
    static func phase(_ input: PhaseInput, summaries: [SiteBuilder.PhaseSummary], index: Int, languages: [Language],
                      builder: SiteBuilder?, sink: (any OutputSink)?, reusable: ReusableSite?) -> PhaseResult {
        let previous = index > 0 ? summaries[index - 1] : nil
        let next = index + 1 < summaries.count ? summaries[index + 1] : nil
        if let record = input.remembered, record.previous == previous, record.next == next,
           let sink = sink as? BuildSink, let builder, let reusable,
           let reused = reuse(record, sink: sink, builder: builder, site: reusable, languages: languages) {
            return reused
        }
        var quiz = input.quiz
        var bag = DiagnosticBag()
        if quiz == nil {
            // Remembered, but a neighbour changed: its pages link to new titles.
            quiz = QuizLoader.loadFile(input.entry, languages: languages, bag: &bag)
        }
        guard let quiz else { return PhaseResult(diagnostics: bag.diagnostics, searchFragments: [:]) }
        return phase(quiz, summaries: summaries, index: index, languages: languages, builder: builder, sink: sink,
                     stamp: input.stamp, hash: input.hash, warnings: input.diagnostics + bag.diagnostics)
    }

    /// Takes the phase over from the current site: mirrors untouched, pages hard-linked,
    /// search entries cut from the old scripts. Nil when anything is missing or was changed
    /// by hand, so the phase is made again.
    private static func reuse(_ record: Manifest.Phase, sink: BuildSink, builder: SiteBuilder, site: ReusableSite,
                              languages: [Language]) -> PhaseResult? {
        for (path, stamp) in record.mirrors where FileStamp(path: site.root.appendingPathComponent(path).path) != stamp {
            return nil
        }
        var fragments: [String: String] = [:]
        for language in languages {
            guard let range = record.search[language.code], let script = site.searchScripts[language.code],
                  range.upperBound <= script.count else { return nil }
            fragments[language.code] = String(decoding: script[range], as: UTF8.self)
        }
        for language in languages where !sink.reuse(builder.paths.phase(record.summary.baseName, language)) {
            return nil
        }
        for path in record.mirrors.keys.sorted() { sink.keepMirror(path) }
        return PhaseResult(diagnostics: [], searchFragments: fragments, record: record)
    }

    /// Stages 2–4 for one parsed quiz: its mirrors, its texts rendered (and checked), its pages.
    static func phase(_ quiz: Quiz, summaries: [SiteBuilder.PhaseSummary], index: Int, languages: [Language],
                      builder: SiteBuilder?, sink: (any OutputSink)?,
                      stamp: FileStamp? = nil, hash: Fingerprint? = nil, warnings: [Diagnostic] = []) -> PhaseResult {
        var bag = DiagnosticBag()
        var files: [OutputFile] = []
        for language in languages {
            let path = "\(MirrorFolder.path)/\(MirrorRenderer.fileName(quiz, language))"
            files.append(OutputFile(path: path, text: MirrorRenderer.render(quiz, in: language, languages: languages)))
        }
        var questions: [String: [QuestionHTML]] = [:]
        for language in languages {
            var renderer = HTMLRenderer(language: language)
            questions[language.code] = quiz.questions.map { renderer.question($0) }
            bag.append(contentsOf: renderer.bag.diagnostics)
        }
        var result = PhaseResult(diagnostics: [], searchFragments: [:])
        let previous = index > 0 ? summaries[index - 1] : nil
        let next = index + 1 < summaries.count ? summaries[index + 1] : nil
        if let sink, !bag.hasErrors {
            do {
                var mirrorStamps: [String: FileStamp] = [:]
                for file in files {
                    mirrorStamps[file.path] = try sink.mirror(file)
                }
                if let builder {
                    let rendered = SiteBuilder.RenderedPhase(summary: summaries[index], questions: questions)
                    for page in builder.phasePages(rendered, previous: previous, next: next) { try sink.site(page) }
                    for language in languages {
                        result.searchFragments[language.code] = SearchIndex.fragment(rendered, language: language, paths: builder.paths)
                    }
                }
                if let stamp, let hash, mirrorStamps.count == files.count {
                    result.record = Manifest.Phase(
                        file: quiz.baseName + ".yaml", stamp: stamp, hash: hash, summary: summaries[index],
                        ids: quiz.questions.map(\.id), idLocations: quiz.questions.map(\.location),
                        warnings: warnings.filter { $0.severity == .warning }, previous: previous, next: next,
                        mirrors: mirrorStamps)
                }
            } catch {
                bag.error(.file("docs-out"), "\(error)")
            }
        }
        result.diagnostics = bag.diagnostics
        return result
    }
}

/// Maps `items` through `transform` in parallel, one task per core at a time, and returns
/// the results in the order of `items`.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) async -> [R] {
    await withTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var next = 0
        func start() {
            let index = next
            group.addTask { (index, transform(items[index])) }
            next += 1
        }
        while next < min(width, items.count) { start() }
        while let (index, result) = await group.next() {
            results[index] = result
            if next < items.count { start() }
        }
        return results.map { $0! }
    }
}

/// Counts finished phases and reports them, from any task.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    func step() {
        guard let report else { return }
        let count = lock.withLock { () -> Int in done += 1; return done }
        report(count, total)
    }
}
