import Foundation
import TokenCodec

/// What happens to one phase (a course chapter, one quiz file) on its way through the
/// stages, each step called from a task of `Pipeline.run`: loaded (or remembered, when the
/// file did not change since the last build), then its mirrors, its rendered texts and its
/// pages (or all of them taken over from the current site).
extension Pipeline {
    /// One quiz file on its way through the stages: parsed now, or remembered from the last
    /// build when its bytes did not change.
    struct PhaseInput: Sendable {
        /// The bytes it was read from, for the manifest: set only by an incremental build.
        struct Source: Sendable {
            var stamp: FileStamp
            var hash: Fingerprint
        }

        var entry: QuizLoader.Entry
        var quiz: Quiz?
        var remembered: Manifest.Phase?
        var source: Source?
        var diagnostics: [Diagnostic]
        /// A parsed quiz's summary (its titles rendered), made with it on the same core, and
        /// the problems of its titles.
        var summary: SiteBuilder.PhaseSummary?
        var titleDiagnostics: [Diagnostic] = []
        /// Its questions' fingerprints (`Question.fingerprint`), made with its summary: its
        /// progress keys and its pages both show them.
        var fingerprints: [String]?
        /// Its phase and ids, their hashes made on the core that loaded it, for the look
        /// across files; nil when it has no phase (it did not load).
        var identity: QuizLoader.Identity?
        /// What its later stages made, when they ran as it loaded (`loadQuizzes`'s `then`),
        /// its quiz let go since.
        var result: PhaseResult?

        var phase: Int? { quiz?.phase ?? remembered?.summary.phase ?? identity?.phase }
        var baseName: String { entry.name.baseName }

        /// Not parsed: the last build's record stands for it, with its warnings.
        mutating func remember(_ record: Manifest.Phase, stamp: FileStamp?, hash: Fingerprint) {
            remembered = record
            source = stamp.map { Source(stamp: $0, hash: hash) }
            diagnostics = record.warnings
        }

        /// A parsed quiz's summary (`Pipeline.summary`).
        mutating func summarize(languages: [Language]) {
            guard let quiz else { return }
            var bag = DiagnosticBag()
            let fingerprints = quiz.questions.map(\.fingerprint)
            self.fingerprints = fingerprints
            summary = Pipeline.summary(of: quiz, fingerprints: fingerprints, languages: languages, bag: &bag)
            titleDiagnostics = bag.diagnostics
        }

        /// A parsed quiz's translations checked against its lock (`Pipeline.assess`), their
        /// warnings added to the file's.
        mutating func assessTranslations(languages: [Language], root: URL) {
            guard var parsed = quiz else { return }
            diagnostics += Pipeline.assess(&parsed, languages: languages, root: root).diagnostics
            quiz = parsed
        }
    }

    /// What one phase's stages produced besides the files they sent to the sink.
    struct PhaseResult: Sendable {
        var diagnostics: [Diagnostic]
        /// The phase's part of the search index per language code; empty for a reused
        /// phase, whose part is in the last build's index.
        var search: [String: SearchIndex.PhasePostings]
        var record: Manifest.Phase?
        /// Taken over from the current site rather than made.
        var reused = false
        /// Made again with the postings it had in the last build's search index, in every
        /// language (`SearchIndex.PhasePostings.checksum`).
        var searchAsBefore = false
    }

    /// What every phase's stages share in one run.
    struct Course: Sendable {
        var languages: [Language]
        /// The summaries of the phases this course makes and of their neighbours (for the
        /// neighbours' links), in course order from the phase at `firstSummary`: every phase's,
        /// but for a build that makes the course a stretch at a time (`Pipeline.streamPhases`).
        var summaries: [SiteBuilder.PhaseSummary]
        var firstSummary = 0
        /// How many phases the course has.
        var total: Int
        /// Nil when no site is made (check).
        var builder: SiteBuilder?
        /// Nil when nothing is to be made (an earlier stage failed): texts are still checked.
        var sink: (any OutputSink)?
        var cache: BuildCache?
        /// The last build's search index per language code, for the phases reused.
        var previousSearch: [String: SearchIndex.Previous] = [:]
        /// The project root (for the translation lock of a phase parsed again).
        var root = URL(fileURLWithPath: "/")
        /// Each summary's part of its neighbours' navigation fingerprints, made once.
        private let linkChecksums: [UInt64]

        /// A course of `total` phases (`summaries.count` when nil), `summaries` starting at
        /// the one at `firstSummary`.
        init(languages: [Language], summaries: [SiteBuilder.PhaseSummary], firstSummary: Int = 0, total: Int? = nil,
             builder: SiteBuilder?, sink: (any OutputSink)?, cache: BuildCache?, root: URL = URL(fileURLWithPath: "/")) {
            self.languages = languages
            self.summaries = summaries
            self.firstSummary = firstSummary
            self.total = total ?? summaries.count
            self.builder = builder
            self.sink = sink
            self.cache = cache
            self.root = root
            linkChecksums = summaries.map(\.link.checksum)
        }

        /// The summary of the phase at `index` in the course.
        func summary(of index: Int) -> SiteBuilder.PhaseSummary {
            summaries[index - firstSummary]
        }

        func navigation(of index: Int) -> SiteBuilder.PhaseNavigation {
            let range = SiteBuilder.PhaseNavigation.window(of: index, count: total)
            return SiteBuilder.PhaseNavigation(window: summaries[(range.lowerBound - firstSummary)..<(range.upperBound - firstSummary)].map(\.link),
                                               current: index - range.lowerBound, total: total)
        }

        /// `navigation(of: index).fingerprint`, from the checksums made once (`linkChecksums`).
        func navigationFingerprint(of index: Int) -> Fingerprint {
            let range = SiteBuilder.PhaseNavigation.window(of: index, count: total)
            return SiteBuilder.PhaseNavigation.fingerprint(current: index - range.lowerBound, total: total,
                                                           links: linkChecksums[(range.lowerBound - firstSummary)..<(range.upperBound - firstSummary)])
        }
    }

    /// Stage 1 for one file, without a cache: parsed.
    static func load(_ entry: QuizLoader.Entry, languages: [Language]) -> PhaseInput {
        var bag = DiagnosticBag()
        let quiz = QuizLoader.loadFile(entry, languages: languages, bag: &bag)
        return PhaseInput(entry: entry, quiz: quiz, diagnostics: bag.diagnostics)
    }

    static func identity(_ input: PhaseInput) -> QuizLoader.Identity {
        if let quiz = input.quiz { return QuizLoader.Identity(quiz) }
        let record = input.remembered!
        return QuizLoader.Identity(sourcePath: record.summary.sourcePath, phase: record.summary.phase, ids: record.ids, checked: true)
    }

    /// Stages 2–4 for one phase: taken over from the last build when the cache allows,
    /// made otherwise.
    static func outputs(_ input: PhaseInput, at index: Int, in course: Course) -> PhaseResult {
        // What its pages link to, as the cache remembers it.
        let navigation = course.cache != nil ? course.navigationFingerprint(of: index) : nil
        // The cache and the builder used where they are: bound to names (`if let`), each was
        // copied for every phase of an edit, a few dozen references retained and released.
        if let navigation, let sink = course.sink, let paths = course.builder?.paths,
           let reused = course.cache?.reuse(input, navigation: navigation, sink: sink, paths: paths, search: course.previousSearch) {
            return reused
        }
        var quiz = input.quiz
        var warnings = input.diagnostics
        var fingerprints = input.fingerprints
        if quiz == nil {
            // Remembered, but a neighbour changed: its pages link to new titles. Its
            // warnings were reported from the manifest already; these replace them there.
            var parsed = load(input.entry, languages: course.languages)
            parsed.assessTranslations(languages: course.languages, root: course.root)
            quiz = parsed.quiz
            warnings = parsed.diagnostics
            fingerprints = nil
        }
        guard let quiz else { return PhaseResult(diagnostics: warnings, search: [:]) }
        var result = outputs(quiz, fingerprints: fingerprints, at: index, in: course)
        if let mirrors = result.mirrorStamps, let cache = course.cache, let navigation {
            let search = ByLanguage(result.result.search.mapValues(\.checksum))
            result.result.record = cache.record(quiz, input: input, summary: course.summary(of: index), navigation: navigation,
                                                mirrors: mirrors, warnings: warnings, search: search)
            if !result.result.search.isEmpty, let file = result.result.record?.file, let last = cache.lastRecord(of: file),
               last.summary.phase == quiz.phase, last.search == search {
                result.result.searchAsBefore = true
            }
        }
        return result.result
    }

    /// Stages 2–4 for one parsed quiz: its mirrors, its texts rendered (and checked), its
    /// pages and search entries. The stamps of the mirrors, when all were sent to the sink.
    /// `fingerprints`, its questions', when made already (`PhaseInput.summarize`).
    static func outputs(_ quiz: Quiz, fingerprints: [String]? = nil, at index: Int, in course: Course)
        -> (result: PhaseResult, mirrorStamps: [String: FileStamp]?) {
        let languages = course.languages
        // Each question localized once per language; the mirror and the page only format it.
        let fingerprints = fingerprints ?? quiz.questions.map(\.fingerprint)
        let localized = languages.map { LocalizedQuestion.all(quiz, in: $0, fingerprints: fingerprints) }
        var mirrors = zip(languages, localized).map { language, questions in
            OutputFile(path: MirrorPage.path(quiz, language), contents: MirrorPage.format(quiz, questions, in: language, languages: languages))
        }
        // The phase's translation lock is committed with its mirrors, and stamped like them.
        if let lock = quiz.translationLock {
            var file = OutputFile(path: TranslationLock.path(quiz.baseName), contents: lock)
            file.stampAsRead = quiz.translationLockStamp
            mirrors.append(file)
        }
        var bag = DiagnosticBag()
        var questions: [String: [QuestionHTML]] = [:]
        for (language, localizedQuestions) in zip(languages, localized) {
            // Without a site to build (`check`), prompts and answers are only checked.
            var formatter = PageFormatter(language: language, rendersBlocks: course.builder != nil)
            questions[language.code] = localizedQuestions.map { formatter.question($0) }
            bag.append(contentsOf: formatter.diagnostics)
        }
        var result = PhaseResult(diagnostics: [], search: [:])
        var stamps: [String: FileStamp]?
        if let sink = course.sink, !bag.hasErrors {
            do {
                var mirrorStamps: [String: FileStamp] = [:]
                for file in mirrors {
                    mirrorStamps[file.path] = try sink.mirror(file)
                }
                if mirrorStamps.count == mirrors.count { stamps = mirrorStamps }
                if let builder = course.builder {
                    let rendered = SiteBuilder.RenderedPhase(summary: course.summary(of: index), questions: questions)
                    for page in builder.phasePages(rendered, navigation: course.navigation(of: index)) { try sink.site(page) }
                    for language in languages {
                        let (results, postings) = StageTimes.measure(.searchPerPhase) {
                            SearchTerms.withTerms(code: language.code) { terms in
                                SearchIndex.phase(rendered, language: language, paths: builder.paths, terms: &terms)
                            }
                        }
                        try sink.site(OutputFile(path: SearchIndex.phasePath(language, phase: results.number),
                                                 contents: StageTimes.measure(.searchPerPhase) { SearchIndex.phaseScript(results, language: language) }))
                        result.search[language.code] = postings
                    }
                }
            } catch {
                stamps = nil
                bag.error(.file(ProjectLayout.output), "\(error)")
            }
        }
        result.diagnostics = bag.diagnostics
        return (result, stamps)
    }

    /// The render stage for a phase's title, in every language (and checked), with the other
    /// facts every page needs to link to the phase.
    /// `fingerprints`: its questions' (`Question.fingerprint`), in order.
    static func summary(of quiz: Quiz, fingerprints: [String], languages: [Language], bag: inout DiagnosticBag) -> SiteBuilder.PhaseSummary {
        var titles: ByLanguage<String> = [:]
        for language in languages {
            var formatter = PageFormatter(language: language)
            titles[language.code] = formatter.inline(quiz.title.shown(in: language))
            bag.append(contentsOf: formatter.diagnostics)
        }
        let link = SiteBuilder.PhaseLink(baseName: quiz.baseName, phase: quiz.phase, titles: titles)
        var linkTexts: ByLanguage<String> = [:]
        for language in languages { linkTexts[language.code] = SiteBuilder.linkHTML(link, language) }
        return SiteBuilder.PhaseSummary(baseName: quiz.baseName, phase: quiz.phase, sourcePath: quiz.sourcePath,
                                        questionCount: quiz.questions.count, titles: titles,
                                        progressKeys: zip(quiz.questions, fingerprints).map { "\($0.id)@\($1)" }.joined(separator: " "),
                                        keyLayout: quiz.keyLayout, pendingTranslations: ByLanguage(quiz.pendingTranslations), linkTexts: linkTexts)
    }
}
