import CFileSwap
import Foundation

/// `quizdoc export`: the course, validated as `build` validates it, formatted for another
/// tool. Every format only formats the localized questions (`LocalizedQuestion`) and their
/// HTML as the site renders it (`QuestionHTML`): the same cmark-gfm path and content policy.
public enum ExportFormat: String, CaseIterable, Sendable {
    case moodle, gift, qti, anki, print
}

/// How a bilingual Moodle or GIFT export marks its languages.
public enum Multilang: String, CaseIterable, Sendable {
    /// `<span lang="en" class="multilang">…</span><span lang="es" …>` around every text: Moodle's
    /// core "Multi-language content" filter. Around a block text this puts a `<p>` in a `<span>`.
    case spans
    /// Spans around inline texts, `{mlang en}…{mlang}{mlang es}…{mlang}` around block texts:
    /// the filter_multilang2 plugin's syntax, valid HTML.
    case mlang
}

public struct ExportOptions: Sendable {
    public var formats: [ExportFormat]
    /// A language code, or nil for all: bilingual where the format can be (Moodle, GIFT),
    /// one file per language otherwise.
    public var language: String?
    /// Phase numbers to export; empty for all.
    public var phases: [Int]
    /// The output folder, relative to the project root or absolute.
    public var out: String
    public var multilang: Multilang
    /// Shuffles the choices of printed handouts and their keys alike.
    public var shuffleSeed: UInt64?
    /// Prints the handouts and keys to PDF with headless Chromium.
    public var pdf: Bool
    /// Every warning becomes an error.
    public var strict: Bool
    /// The modification time of Anki notes (seconds since 1970), when set
    /// (`SOURCE_DATE_EPOCH`); otherwise each phase file's last commit or modification time.
    public var sourceDateEpoch: Int?

    public init(formats: [ExportFormat], language: String? = nil, phases: [Int] = [], out: String = ProjectLayout.export,
                multilang: Multilang = .spans, shuffleSeed: UInt64? = nil, pdf: Bool = false, strict: Bool = false,
                sourceDateEpoch: Int? = nil) {
        self.formats = formats
        self.language = language
        self.phases = phases
        self.out = out
        self.multilang = multilang
        self.shuffleSeed = shuffleSeed
        self.pdf = pdf
        self.strict = strict
        self.sourceDateEpoch = sourceDateEpoch
    }
}

public struct ExportReport: Sendable {
    public var diagnostics: [Diagnostic]
    /// The files written, relative to the output folder, sorted.
    public var files: [String] = []
    public var failed: Bool { diagnostics.containsErrors }
}

/// One phase as every export sees it: per language code, its title and each question's
/// localized texts and HTML.
struct ExportPhase: Sendable {
    struct Item: Sendable {
        var question: LocalizedQuestion
        var html: QuestionHTML
    }

    var quiz: Quiz
    /// The title's inline HTML and plain text per language code.
    var titles: [String: (html: String, plain: String)]
    var items: [String: [Item]]
    /// When its text last changed (seconds since 1970): for Anki's "newer note wins".
    var modified: Int

    func title(_ language: Language) -> (html: String, plain: String) { titles[language.code] ?? ("", "") }

    /// "Phase 26 — Quantization" (the Moodle category, the Anki tag's source).
    func heading(_ language: Language) -> String {
        "\(language.text(.phaseLink, ["phase": String(quiz.phase), "title": title(language).plain]))"
    }
}

/// A course as the exports see it.
struct ExportCourse: Sendable {
    var languages: [Language]
    var phases: [ExportPhase]
    var siteTitle: [String: String]
}

extension Pipeline {
    /// Validates the course as `build` does, then writes the asked formats into a staging
    /// folder beside the output folder and swaps it in whole: any error, nothing written.
    public static func export(root: URL, options: ExportOptions) async -> ExportReport {
        if let problem = rootProblem(root) { return ExportReport(diagnostics: [problem]) }
        var bag = DiagnosticBag()
        let (allLanguages, _) = LanguageLoader.course(root: root, bag: &bag)
        guard !allLanguages.isEmpty else { return ExportReport(diagnostics: finish(bag, options.strict)) }
        var languages = allLanguages
        if let code = options.language {
            guard let language = allLanguages.first(where: { $0.code == code }) else {
                bag.error(.file(LanguageLoader.folder), "--lang \(code): the course has no such language; its languages are \(allLanguages.map(\.code).joined(separator: ", ")) (or all)")
                return ExportReport(diagnostics: finish(bag, options.strict))
            }
            languages = [language]
        }
        let inputs = await loadQuizzes(QuizLoader.list(root: root, bag: &bag), root: root, languages: allLanguages, cache: nil, bag: &bag)
        let known = Set(inputs.compactMap(\.phase))
        for phase in options.phases where !known.contains(phase) {
            bag.error(.file(ProjectLayout.quizzes), "--phase \(phase): no quiz file has phase \(phase)")
        }
        // When each file last changed matters to Anki only; git is asked once for all of them.
        let times = options.formats.contains(.anki) && options.sourceDateEpoch == nil ? SourceTime(root: root) : nil
        var phases: [ExportPhase] = []
        for input in inputs {
            guard let quiz = input.quiz, options.phases.isEmpty || options.phases.contains(quiz.phase) else { continue }
            let modified = options.sourceDateEpoch ?? times?.lastChange(of: quiz.sourcePath) ?? 0
            phases.append(exportPhase(quiz, languages: allLanguages, modified: modified, bag: &bag))
        }
        var report = ExportReport(diagnostics: finish(bag, options.strict))
        guard !report.failed else { return report }
        let course = ExportCourse(languages: allLanguages, phases: phases,
                                  siteTitle: Dictionary(uniqueKeysWithValues: allLanguages.map { ($0.code, $0.text(.siteTitle)) }))
        let folder: ExportFolder
        do {
            folder = try ExportFolder(root: root, path: options.out)
        } catch {
            report.diagnostics.append(.error(at: .file(options.out), "\(error)"))
            return report
        }
        let asked = languages
        do {
            for format in options.formats {
                // A deck holds the whole course; every other format is made phase by phase, in
                // parallel; each part is written to the staging folder as it comes.
                let parts = format == .anki ? [course] : course.phases.map {
                    ExportCourse(languages: course.languages, phases: [$0], siteTitle: course.siteTitle)
                }
                let made = await parallelMap(parts) { part -> Result<[OutputFile], Error> in
                    Result { try Exporter(course: part, languages: asked, bilingual: options.language == nil, options: options).files(format) }
                }
                for result in made {
                    do {
                        try folder.write(try result.get())
                    } catch {
                        throw WriteError(path: options.out, reason: "\(format.rawValue): \(error)")
                    }
                }
            }
            try folder.commit()
        } catch {
            folder.abort()
            report.diagnostics.append(.error(at: .file(options.out), "\(error)"))
            return report
        }
        report.files = folder.written.sorted()
        return report
    }

    private static func finish(_ bag: DiagnosticBag, _ strict: Bool) -> [Diagnostic] {
        var diagnostics = bag.sorted
        if strict { diagnostics = diagnostics.map { Diagnostic(.error, at: $0.location, $0.message, rule: $0.rule) } }
        return diagnostics
    }

    /// A parsed quiz rendered as the site renders it (and checked on the way).
    private static func exportPhase(_ quiz: Quiz, languages: [Language], modified: Int, bag: inout DiagnosticBag) -> ExportPhase {
        var titles: [String: (html: String, plain: String)] = [:]
        var items: [String: [ExportPhase.Item]] = [:]
        for language in languages {
            var formatter = PageFormatter(language: language)
            let title = formatter.inline(quiz.title.shown(in: language))
            titles[language.code] = (title, plainText(title))
            items[language.code] = LocalizedQuestion.all(quiz, in: language).map { question in
                ExportPhase.Item(question: question, html: formatter.question(question))
            }
            bag.append(contentsOf: formatter.diagnostics)
        }
        return ExportPhase(quiz: quiz, titles: titles, items: items, modified: modified)
    }
}

/// When the quiz files last changed: a file's last commit time when git knows it and it
/// has no uncommitted change, else its modification time. Two git calls for the whole course.
struct SourceTime {
    let root: URL
    private var committed: [String: Int] = [:]
    private var changed: Set<String> = []

    init(root: URL) {
        self.root = root
        guard let log = Self.git(["log", "--format=%x01%ct", "--name-only", "--no-renames", "--", ProjectLayout.quizzes], root: root)
        else { return }
        var time = 0
        for line in log.split(separator: "\n") {
            if line.hasPrefix("\u{1}") {
                time = Int(line.dropFirst()) ?? 0
            } else if committed[String(line)] == nil {
                committed[String(line)] = time // newest first: the first time a path appears
            }
        }
        let status = Self.git(["status", "--porcelain", "--no-renames", "--", ProjectLayout.quizzes], root: root) ?? ""
        changed = Set(status.split(separator: "\n").map { String($0.dropFirst(3)) })
    }

    func lastChange(of path: String) -> Int {
        if let time = committed[path], !changed.contains(path) { return time }
        return FileStamp(path: root.appendingPathComponent(path).path).map { Int($0.modified / 1_000_000_000) } ?? 0
    }

    private static func git(_ arguments: [String], root: URL) -> String? {
        ExternalTools.run("git", ["-C", root.path] + arguments).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// The output folder, replaced whole: the new files go into a staging folder beside it as
/// they are made, and the staging folder is then swapped in with one atomic exchange (or
/// renamed into place), so an interrupted or failed export leaves the previous one as it was.
final class ExportFolder {
    let path: String
    private let target: URL
    private let staging: URL
    private(set) var written: [String] = []

    init(root: URL, path: String) throws {
        self.path = path
        target = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path)
        let parent = target.deletingLastPathComponent()
        switch InputFile.kind(target.path, root: URL(fileURLWithPath: "/")) {
        case .missing, .folder: break
        case .link: throw WriteError(path: path, reason: "it is a symbolic link; quizdoc writes only into a real folder")
        default: throw WriteError(path: path, reason: "it is not a folder; move it away")
        }
        staging = parent.appendingPathComponent(".\(target.lastPathComponent)-staging-\(getpid())")
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: staging)
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: parent.path, reason: "cannot create a staging folder there")
        }
    }

    func write(_ files: [OutputFile]) throws {
        do {
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents).write(to: url)
                written.append(file.path)
            }
        } catch {
            throw WriteError(path: path, reason: "cannot write the export: \(error.localizedDescription)")
        }
    }

    /// Puts the staged export in place of the previous one.
    func commit() throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: target.path) {
            guard quizdoc_exchange_paths(staging.path, target.path) == 0 else {
                throw WriteError(path: path, reason: "cannot swap the new export in: \(String(cString: strerror(errno)))")
            }
            try? manager.removeItem(at: staging) // now the previous export
        } else if rename(staging.path, target.path) != 0 {
            throw WriteError(path: path, reason: "cannot move the new export into place: \(String(cString: strerror(errno)))")
        }
    }

    func abort() {
        try? FileManager.default.removeItem(at: staging)
    }
}
