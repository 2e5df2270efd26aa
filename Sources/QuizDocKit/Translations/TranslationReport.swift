import Foundation

/// `quizdoc i18n`: how far each phase's translations are, per language, and marking a
/// translation current without editing it (`accept`).
public struct TranslationReport: Sendable, Encodable {
    public struct Counts: Sendable, Encodable, Equatable {
        public var current = 0
        public var outdated = 0
        public var missing = 0

        public init(current: Int = 0, outdated: Int = 0, missing: Int = 0) {
            self.current = current
            self.outdated = outdated
            self.missing = missing
        }

        public var total: Int { current + outdated + missing }

        mutating func add(_ status: TranslationHealth.Status) {
            switch status {
            case .current: current += 1
            case .outdated: outdated += 1
            case .missing: missing += 1
            }
        }

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(current: a.current + b.current, outdated: a.outdated + b.outdated, missing: a.missing + b.missing)
        }
    }

    public struct Phase: Sendable, Encodable {
        public var phase: String
        public var number: Int
        /// Per language code.
        public var languages: [String: Counts]
    }

    public var version = 1
    public var languages: [String]
    public var phases: [Phase]
    public var totals: [String: Counts]

    /// Whether every translation is current.
    public var isComplete: Bool { totals.values.allSatisfy { $0.outdated == 0 && $0.missing == 0 } }
}

extension Pipeline {
    /// Every phase's translations against the lock (the load stage alone; writes nothing).
    public static func translations(root: URL) async -> (report: TranslationReport, diagnostics: [Diagnostic]) {
        let (assessed, languages, bag) = await assessCourse(root: root)
        let codes = languages.filter { !$0.isPrimary }.map(\.code)
        var totals: [String: TranslationReport.Counts] = [:]
        let phases = assessed.map { quiz, health -> TranslationReport.Phase in
            var counts: [String: TranslationReport.Counts] = [:]
            for code in codes { counts[code] = TranslationReport.Counts() }
            for field in health.fields { counts[field.key.language, default: TranslationReport.Counts()].add(field.status) }
            for (code, count) in counts { totals[code] = (totals[code] ?? TranslationReport.Counts()) + count }
            return TranslationReport.Phase(phase: quiz.baseName, number: quiz.phase, languages: counts)
        }
        return (TranslationReport(languages: codes, phases: phases, totals: totals), bag.sorted)
    }

    /// Marks the outdated translations of a question (`q-26-02`) or a phase (`26`,
    /// `phase-26-quantization`) current in the lock, optionally of one field and language.
    /// Returns how many were accepted; rewrites only the lock, once no build of the project
    /// runs (`BuildLock`; `waiting` is called first when one does).
    public static func acceptTranslations(root: URL, target: String, field: String?, language: String?,
                                          waiting: (@Sendable () -> Void)? = nil) async
        -> (accepted: Int, diagnostics: [Diagnostic]) {
        let lock = await BuildLock.acquire(root: root, waiting: waiting)
        defer { withExtendedLifetime(lock) {} }
        var (assessed, languages, bag) = await assessCourse(root: root)
        guard !bag.hasErrors else { return (0, bag.sorted) }
        guard languages.count > 1 else {
            bag.error(.file(LanguageLoader.folder), "the course has one language; there is nothing to accept")
            return (0, bag.sorted)
        }
        var changed: [(phase: String, entries: [TranslationLock.Key: TranslationLock.Entry])] = []
        var accepted = 0
        var matched = false
        for (quiz, health) in assessed {
            var entries = health.entries
            let before = accepted
            defer { if accepted > before { changed.append((quiz.baseName, entries)) } }
            let phaseMatches = target == quiz.baseName || target == String(quiz.phase) || target == quiz.phaseDigits
            for candidate in health.fields where candidate.status == .outdated {
                guard phaseMatches || candidate.key.question == target else { continue }
                matched = true
                guard field.map({ $0 == candidate.key.field }) ?? true, language.map({ $0 == candidate.key.language }) ?? true else { continue }
                let english = englishText(quiz, candidate.key)
                let translation = translatedText(quiz, candidate.key)
                entries[candidate.key] = TranslationLock.Entry(englishText: english, translation: translation)
                accepted += 1
            }
            if phaseMatches || quiz.questions.contains(where: { $0.id == target }) { matched = true }
        }
        guard matched else {
            bag.error(.file(ProjectLayout.quizzes), "no question or phase '\(target)'; name a question id like q-26-02 or a phase like 26")
            return (0, bag.sorted)
        }
        guard accepted > 0 else { return (0, bag.sorted) }
        for (phase, entries) in changed {
            let path = TranslationLock.path(phase)
            do {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try AtomicFile.replace(url, with: Data(TranslationLock.file(entries)), path: path)
            } catch {
                bag.error(.file(path), "\(error)")
            }
        }
        return (accepted, bag.sorted)
    }

    private static func assessCourse(root: URL) async -> (assessed: [(Quiz, TranslationHealth)], languages: [Language], bag: DiagnosticBag) {
        var bag = DiagnosticBag()
        if let problem = rootProblem(root) { bag.append(contentsOf: [problem]); return ([], [], bag) }
        let languages = LanguageLoader.course(root: root, bag: &bag).languages
        guard !languages.isEmpty else { return ([], [], bag) }
        var assessed: [(Quiz, TranslationHealth)] = []
        for entry in QuizLoader.list(root: root, bag: &bag) {
            guard var quiz = QuizLoader.loadFile(entry, languages: languages, bag: &bag) else { continue }
            let health = assess(&quiz, languages: languages, root: root)
            assessed.append((quiz, health))
        }
        assessed.sort { ($0.0.phase, $0.0.baseName) < ($1.0.phase, $1.0.baseName) }
        return (assessed, languages, bag)
    }

    private static func text(_ quiz: Quiz, _ key: TranslationLock.Key, _ code: String) -> String {
        if key.question == "-" { return quiz.title[code] ?? "" }
        guard let question = quiz.questions.first(where: { $0.id == key.question }) else { return "" }
        switch key.field {
        case "title": return question.title[code] ?? ""
        case "prompt": return question.prompt[code] ?? ""
        case "answer": return question.answer[code] ?? ""
        case "expected": return (question.expected?.lists[code] ?? []).joined(separator: "\n")
        default:
            guard key.field.hasPrefix("choice-"), let number = Int(key.field.dropFirst(7)),
                  question.choices.indices.contains(number - 1) else { return "" }
            return question.choices[number - 1][code] ?? ""
        }
    }

    private static func englishText(_ quiz: Quiz, _ key: TranslationLock.Key) -> String { text(quiz, key, Language.primaryCode) }
    private static func translatedText(_ quiz: Quiz, _ key: TranslationLock.Key) -> String { text(quiz, key, key.language) }
}
