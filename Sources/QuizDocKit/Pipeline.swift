import Foundation

/// How a run is asked to behave.
public struct BuildOptions: Sendable {
    /// Every warning becomes an error.
    public var strict: Bool

    public init(strict: Bool = false) {
        self.strict = strict
    }
}

/// The one place that chains the stages, in order:
/// load (YAML → validated model) → mirror (model → Markdown per language) → write.
///
/// The stages before write are pure: they return files in memory. `build` writes them;
/// `check` compares them with disk and writes nothing.
public enum Pipeline {
    /// The result of the stages before write.
    public struct Generation: Sendable {
        public var diagnostics: [Diagnostic]
        public var files: [OutputFile]
        public var quizzes: [Quiz]

        public var failed: Bool { diagnostics.contains { $0.severity == .error } }
    }

    public static func generate(root: URL, options: BuildOptions = BuildOptions()) -> Generation {
        var bag = DiagnosticBag()
        let languages = LanguageLoader.load(root: root, bag: &bag)
        let quizzes = languages.isEmpty ? [] : QuizLoader.load(root: root, languages: languages, bag: &bag)
        var files: [OutputFile] = []
        if !bag.hasErrors {
            for quiz in quizzes {
                for language in languages {
                    let path = "\(Publisher.mirrorFolder)/\(MirrorRenderer.fileName(quiz, language))"
                    files.append(OutputFile(path: path, text: MirrorRenderer.render(quiz, in: language, languages: languages)))
                }
            }
        }
        var diagnostics = bag.sorted
        if options.strict {
            diagnostics = diagnostics.map { Diagnostic(.error, at: $0.location, $0.message) }
        }
        return Generation(diagnostics: diagnostics, files: files, quizzes: quizzes)
    }

    /// What `build` did.
    public struct BuildReport: Sendable {
        public var diagnostics: [Diagnostic]
        public var written: [String] = []
        public var unchanged: [String] = []
        public var removed: [String] = []
        public var failed: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Validates everything, then writes only what changed. On any error nothing is written.
    public static func build(root: URL, options: BuildOptions = BuildOptions()) -> BuildReport {
        let generation = generate(root: root, options: options)
        var report = BuildReport(diagnostics: generation.diagnostics)
        guard !generation.failed else { return report }
        var bag = DiagnosticBag()
        let publisher = Publisher(root: root)
        let plan = publisher.plan(generation.files, bag: &bag)
        guard !bag.hasErrors else {
            report.diagnostics = (report.diagnostics + bag.sorted).sorted()
            return report
        }
        do {
            try publisher.apply(plan)
        } catch {
            report.diagnostics.append(.error(at: .file(Publisher.mirrorFolder), "\(error)"))
            return report
        }
        report.written = plan.writes.map(\.file.path)
        report.unchanged = plan.unchanged
        report.removed = plan.removals.map(\.path)
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
        let generation = generate(root: root, options: options)
        var report = CheckReport(diagnostics: generation.diagnostics)
        guard !generation.failed else { return report }
        var bag = DiagnosticBag()
        let plan = Publisher(root: root).plan(generation.files, bag: &bag)
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
