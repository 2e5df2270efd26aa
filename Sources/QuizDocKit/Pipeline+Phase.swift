import Foundation

/// Stages 1–4 for one quiz file, each called from a task of `Pipeline.run`: load (or
/// remember, when the file did not change since the last build), then mirror, render and the
/// phase's pages (or take them over from the current site).
extension Pipeline {
    /// What one phase's mirror, render and site stages produced besides the files they sent
    /// to the sink.
    struct PhaseResult: Sendable {
        var diagnostics: [Diagnostic]
        /// The phase's search entries per language code; empty for a reused phase, whose
        /// entries are where its record's `search` says.
        var searchFragments: [String: Data]
        var record: Manifest.Phase?
        /// Taken over from the current site rather than made.
        var reused = false
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

    /// Stage 1 for one file: remembered when its bytes are those of the last build (same
    /// size and time, or same hash), parsed otherwise.
    static func load(_ entry: QuizLoader.Entry, remembered: Manifest.Phase?, languages: [Language]) -> PhaseInput {
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

    static func identity(_ input: PhaseInput) -> QuizLoader.Identity {
        if let quiz = input.quiz { return QuizLoader.Identity(quiz) }
        let record = input.remembered!
        return QuizLoader.Identity(sourcePath: record.summary.sourcePath, phase: record.summary.phase, ids: record.ids)
    }

    /// Whether the last build's outputs are still exactly what this one would make: every
    /// file remembered, none added or removed, every mirror untouched, every page there, no
    /// stray file.
    static func isUpToDate(_ inputs: [PhaseInput], previous: Manifest, root: URL, paths: SitePaths,
                           bag: inout DiagnosticBag) -> Bool {
        guard inputs.count == previous.phases.count,
              zip(inputs, previous.phases).allSatisfy({ $0.remembered != nil && $0.baseName + ".yaml" == $1.file && $0.stamp == $1.stamp })
        else { return false }
        let site = root.appendingPathComponent(BuildSink.siteFolder).path
        var pages = paths.languages.map { paths.home($0) }
        for language in paths.languages {
            pages += (0..<SearchIndex.shardCount(phases: previous.phases.count)).map { SearchIndex.shardPath(language, $0) }
        }
        for record in previous.phases {
            pages += paths.languages.map { paths.phase(record.summary.baseName, $0) }
        }
        var info = stat()
        for page in pages where stat("\(site)/\(page)", &info) != 0 {
            return false
        }
        var mirrors: Set<String> = []
        for record in previous.phases {
            for (path, stamp) in record.mirrors {
                guard FileStamp(path: "\(root.path)/\(path)") == stamp else { return false }
                mirrors.insert(path)
            }
        }
        var strays = DiagnosticBag()
        let orphans = MirrorFolder(root: root).leftovers(besides: mirrors, bag: &strays)
        bag.append(contentsOf: strays.diagnostics)
        return orphans.isEmpty && !strays.hasErrors
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

    /// What a build can take over from the current site: its pages and search shards
    /// (hard-linked), and the entries of reused phases, cut from the shards that change.
    struct ReusableSite: Sendable {
        let root: URL
        /// `docs-out/site/` as a path prefix.
        private let site: String
        /// The byte count of each search shard of the current site, by its site path.
        let shardSizes: [String: Int]
        /// How many phases the current site has.
        let phaseCount: Int

        init(root: URL, languages: [Language], previous: Manifest) {
            self.root = root
            site = "\(root.path)/\(BuildSink.siteFolder)/"
            phaseCount = previous.phases.count
            var sizes: [String: Int] = [:]
            for language in languages {
                for shard in 0..<SearchIndex.shardCount(phases: phaseCount) {
                    let path = SearchIndex.shardPath(language, shard)
                    if let stamp = FileStamp(path: site + path) { sizes[path] = Int(stamp.size) }
                }
            }
            shardSizes = sizes
        }

        /// The bytes of one of its search shards.
        func shard(_ path: String) -> Data? {
            FileManager.default.contents(atPath: site + path)
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
           var reused = reuse(record, sink: sink, builder: builder, site: reusable, languages: languages) {
            // Same bytes, maybe a new time (a checkout): remember the time, to skip hashing next time.
            reused.record?.stamp = input.stamp ?? record.stamp
            return reused
        }
        var quiz = input.quiz
        var warnings = input.diagnostics
        if quiz == nil {
            // Remembered, but a neighbour changed: its pages link to new titles. Its
            // warnings were reported from the manifest already; these replace them there.
            var bag = DiagnosticBag()
            quiz = QuizLoader.loadFile(input.entry, languages: languages, bag: &bag)
            warnings = bag.diagnostics
        }
        guard let quiz else { return PhaseResult(diagnostics: warnings, searchFragments: [:]) }
        return phase(quiz, summaries: summaries, index: index, languages: languages, builder: builder, sink: sink,
                     stamp: input.stamp, hash: input.hash, warnings: warnings)
    }

    /// Takes the phase over from the current site: mirrors untouched, pages hard-linked,
    /// search entries left in the old shards (`Pipeline.searchIndex` takes them from there).
    /// Nil when anything is missing or was changed by hand, so the phase is made again.
    private static func reuse(_ record: Manifest.Phase, sink: BuildSink, builder: SiteBuilder, site: ReusableSite,
                              languages: [Language]) -> PhaseResult? {
        for (path, stamp) in record.mirrors where FileStamp(path: "\(site.root.path)/\(path)") != stamp {
            return nil
        }
        for language in languages {
            guard let place = record.search[language.code],
                  let size = site.shardSizes[SearchIndex.shardPath(language, place.shard)],
                  place.range.upperBound <= size else { return nil }
        }
        for language in languages where !sink.reuse(builder.paths.phase(record.summary.baseName, language)) {
            return nil
        }
        for path in record.mirrors.keys.sorted() { sink.keepMirror(path) }
        return PhaseResult(diagnostics: [], searchFragments: [:], record: record, reused: true)
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
                        result.searchFragments[language.code] = Data(SearchIndex.fragment(rendered, language: language, paths: builder.paths).utf8)
                    }
                }
                if let stamp, let hash, mirrorStamps.count == files.count {
                    result.record = Manifest.Phase(
                        file: quiz.baseName + ".yaml", stamp: stamp, hash: hash, summary: summaries[index],
                        ids: QuizLoader.Identity(quiz).ids,
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
