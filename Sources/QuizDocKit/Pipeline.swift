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
        let run = await run(root: root, options: options, site: true, sink: sink)
        var report = BuildReport(diagnostics: run.diagnostics)
        guard !report.failed else {
            sink.abort()
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
    }

    /// What one phase's mirror, render and site stages produced besides the files they sent
    /// to the sink.
    struct PhaseResult: Sendable {
        var diagnostics: [Diagnostic]
        var searchFragments: [String: String]
    }

    static func run(root: URL, options: BuildOptions, site: Bool, sink: some OutputSink) async -> Run {
        var bag = DiagnosticBag()
        let languages = LanguageLoader.load(root: root, bag: &bag)
        let templates = site ? Templates.load(root: root, bag: &bag) : nil
        guard !languages.isEmpty else { return finish(bag, [], options) }

        // 1. load, in parallel, then across files.
        let entries = QuizLoader.list(root: root, bag: &bag)
        let loaded = await parallelMap(entries) { entry -> (Quiz?, [Diagnostic]) in
            var fileBag = DiagnosticBag()
            let quiz = QuizLoader.loadFile(entry, languages: languages, bag: &fileBag)
            return (quiz, fileBag.diagnostics)
        }
        for (_, diagnostics) in loaded { bag.append(contentsOf: diagnostics) }
        let quizzes = loaded.compactMap(\.0).sorted { ($0.phase, $0.baseName) < ($1.phase, $1.baseName) }
        QuizLoader.checkAcrossFiles(quizzes, bag: &bag)

        // 2–4. per phase, in parallel. Every quiz that loaded is rendered, even when another
        // file has errors, so one run reports the problems of every text; files are made
        // only when nothing failed so far.
        let emit = !bag.hasErrors
        let summaries = quizzes.map { summary(of: $0, languages: languages, bag: &bag) }
        let builder = templates.map { SiteBuilder(languages: languages, templates: $0, baseURL: options.baseURL) }
        let progress = Progress(total: quizzes.count, report: options.progress)
        let results = await parallelMap(Array(quizzes.indices)) { index -> PhaseResult in
            defer { progress.step() }
            return phase(quizzes[index], summaries: summaries, index: index, languages: languages,
                         builder: builder, sink: emit ? sink : nil)
        }
        for result in results { bag.append(contentsOf: result.diagnostics) }

        // 4. the pages that list every phase.
        if emit, !bag.hasErrors, let builder {
            var fragments: [String: [String]] = [:]
            for language in languages {
                fragments[language.code] = results.map { $0.searchFragments[language.code] ?? "" }
            }
            for file in builder.coursePages(summaries, searchFragments: fragments) {
                do { try sink.site(file) } catch { bag.error(.file("docs-out"), "\(error)") }
            }
        }
        return finish(bag, quizzes, options)
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

    /// Stages 2–4 for one phase: its mirrors, its texts rendered (and checked), its pages.
    static func phase(_ quiz: Quiz, summaries: [SiteBuilder.PhaseSummary], index: Int, languages: [Language],
                      builder: SiteBuilder?, sink: (any OutputSink)?) -> PhaseResult {
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
        if let sink, !bag.hasErrors {
            do {
                for file in files { try sink.mirror(file) }
                if let builder {
                    let rendered = SiteBuilder.RenderedPhase(summary: summaries[index], questions: questions)
                    let pages = builder.phasePages(rendered, previous: index > 0 ? summaries[index - 1] : nil,
                                                   next: index + 1 < summaries.count ? summaries[index + 1] : nil)
                    for page in pages { try sink.site(page) }
                    for language in languages {
                        result.searchFragments[language.code] = SearchIndex.fragment(rendered, language: language, paths: builder.paths)
                    }
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
