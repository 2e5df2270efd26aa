import Foundation

/// How a run is asked to behave.
public struct BuildOptions: Sendable {
    /// Every warning becomes an error.
    public var strict: Bool
    /// The site's absolute URL (ending in `/`); with it, a sitemap is written.
    public var baseURL: String?

    public init(strict: Bool = false, baseURL: String? = nil) {
        self.strict = strict
        self.baseURL = baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    }
}

/// The one place that chains the stages, in order:
/// load (YAML → validated model) → mirror (model → Markdown per language) → render
/// (Markdown → HTML through cmark-gfm, checking the content policy) → site (templates,
/// navigation, search index, assets) → write (only what changed, atomically).
///
/// The stages before write are pure: they return files in memory. `build` writes them;
/// `check` compares them with disk and writes nothing.
public enum Pipeline {
    /// The result of the stages before write.
    public struct Generation: Sendable {
        public var diagnostics: [Diagnostic]
        /// The mirrors, with paths relative to the project root.
        public var mirrors: [OutputFile]
        /// The site, with paths relative to `docs-out/site/`; empty when not asked for.
        public var site: [OutputFile]
        public var quizzes: [Quiz]

        public var failed: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Runs every stage before write. `site: false` stops after render (which still checks
    /// every text), for `check`, which compares only the committed mirrors.
    public static func generate(root: URL, options: BuildOptions = BuildOptions(), site: Bool = true) -> Generation {
        var bag = DiagnosticBag()
        let languages = LanguageLoader.load(root: root, bag: &bag)
        let templates = site ? Templates.load(root: root, bag: &bag) : nil
        let quizzes = languages.isEmpty ? [] : QuizLoader.load(root: root, languages: languages, bag: &bag)

        var mirrors: [OutputFile] = []
        var phases: [SiteBuilder.RenderedPhase] = []
        // Every quiz that loaded is rendered, even when another file has errors, so one run
        // reports the problems of every text too.
        if !languages.isEmpty {
            for quiz in quizzes {
                for language in languages {
                    let path = "\(Publisher.mirrorFolder)/\(MirrorRenderer.fileName(quiz, language))"
                    mirrors.append(OutputFile(path: path, text: MirrorRenderer.render(quiz, in: language, languages: languages)))
                }
                phases.append(render(quiz, languages: languages, bag: &bag))
            }
        }
        var siteFiles: [OutputFile] = []
        if let templates, !bag.hasErrors {
            siteFiles = SiteBuilder(languages: languages, templates: templates, baseURL: options.baseURL).build(phases)
        }
        var diagnostics = bag.sorted
        if options.strict {
            diagnostics = diagnostics.map { Diagnostic(.error, at: $0.location, $0.message) }
        }
        return Generation(diagnostics: diagnostics, mirrors: mirrors, site: siteFiles, quizzes: quizzes)
    }

    /// The render stage for one phase: every text of every language through cmark-gfm.
    static func render(_ quiz: Quiz, languages: [Language], bag: inout DiagnosticBag) -> SiteBuilder.RenderedPhase {
        var questions: [String: [QuestionHTML]] = [:]
        var titles: [String: String] = [:]
        for language in languages {
            var renderer = HTMLRenderer(language: language)
            titles[language.code] = renderer.inline(quiz.title)
            questions[language.code] = quiz.questions.map { renderer.question($0) }
            bag.append(contentsOf: renderer.bag.diagnostics)
        }
        return SiteBuilder.RenderedPhase(quiz: quiz, questions: questions, titles: titles)
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

    /// Validates everything, then writes only what changed. On any error nothing is written.
    public static func build(root: URL, options: BuildOptions = BuildOptions()) -> BuildReport {
        let generation = generate(root: root, options: options)
        var report = BuildReport(diagnostics: generation.diagnostics)
        guard !generation.failed else { return report }
        var bag = DiagnosticBag()
        let publisher = Publisher(root: root)
        let plan = publisher.plan(generation.mirrors, bag: &bag)
        guard !bag.hasErrors else {
            report.diagnostics = (report.diagnostics + bag.sorted).sorted()
            return report
        }
        do {
            try SiteWriter(root: root).write(generation.site)
            try publisher.apply(plan)
        } catch {
            report.diagnostics.append(.error(at: .file("docs-out"), "\(error)"))
            return report
        }
        report.written = plan.writes.map(\.file.path)
        report.unchanged = plan.unchanged
        report.removed = plan.removals.map(\.path)
        report.siteFiles = generation.site.count
        return report
    }

    /// What `check` found: one unified diff per stale, missing or orphan mirror.
    public struct CheckReport: Sendable {
        public var diagnostics: [Diagnostic]
        public var stale: [(path: String, diff: String)] = []
        public var failed: Bool { !stale.isEmpty || diagnostics.contains { $0.severity == .error } }
    }

    /// Regenerates in memory and compares with `docs-out/`. Writes nothing.
    public static func check(root: URL, options: BuildOptions = BuildOptions()) -> CheckReport {
        let generation = generate(root: root, options: options, site: false)
        var report = CheckReport(diagnostics: generation.diagnostics)
        guard !generation.failed else { return report }
        var bag = DiagnosticBag()
        let plan = Publisher(root: root).plan(generation.mirrors, bag: &bag)
        report.diagnostics = (report.diagnostics + bag.sorted).sorted()
        for (file, old) in plan.writes {
            let oldText = old.map { String(decoding: $0, as: UTF8.self) } ?? ""
            let newText = String(decoding: file.contents, as: UTF8.self)
            let diff = UnifiedDiff.make(from: oldText, to: newText,
                                        oldName: old == nil ? "/dev/null" : file.path, newName: file.path)
            report.stale.append((file.path, diff))
        }
        for (path, old) in plan.removals {
            let diff = UnifiedDiff.make(from: String(decoding: old, as: UTF8.self), to: "", oldName: path, newName: "/dev/null")
            report.stale.append((path, diff))
        }
        report.stale.sort { $0.path < $1.path }
        return report
    }
}
