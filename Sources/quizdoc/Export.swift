import ArgumentParser
import Foundation
import QuizDocCommandLine
import QuizDocKit

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the quizzes for another tool: Moodle XML, GIFT, QTI 2.1, Anki, printable handouts.",
        discussion: """
            FORMAT is one of moodle, gift, qti, anki, print, or all. The course is validated as \
            `build` validates it: any error, nothing is written. The output folder is replaced whole, atomically. \
            Bilingual Moodle XML and GIFT mark each text for Moodle's "Multi-language content" filter (--multilang spans) \
            or, for block texts, for the filter_multilang2 plugin (--multilang mlang). Anki notes take their modification \
            time from SOURCE_DATE_EPOCH when it is set, else from each phase file's last commit (or modification) time.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case moodle, gift, qti, anki, print, all
    }

    @OptionGroup var common: CommonOptions

    @Argument(help: "The format: moodle, gift, qti, anki, print or all.")
    var format: Format

    @Option(help: "A language code, or all (bilingual Moodle XML and GIFT; one file per language otherwise).")
    var lang: String = "all"

    @Option(name: .customLong("phase"), help: "Only this phase (repeat for several).")
    var phases: [Int] = []

    @Option(help: "The output folder (default: docs-out/export).")
    var out: String = ProjectLayout.export

    @Option(help: "How bilingual Moodle XML and GIFT mark languages: spans (Moodle's core filter) or mlang (filter_multilang2).")
    var multilang: String = Multilang.spans.rawValue

    @Option(help: "Shuffle the choices of printed handouts and keys with this seed.")
    var shuffle: UInt64?

    @Flag(help: "Also print the handouts and keys to PDF with headless Chromium.")
    var pdf = false

    func validate() throws {
        guard Multilang(rawValue: multilang) != nil else {
            throw ValidationError("--multilang must be spans or mlang; '\(Diagnostic.visible(multilang))' is not")
        }
        if out.isEmpty || out.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            throw ValidationError("--out must name a folder")
        }
        if lang != "all", lang.range(of: "^[a-z]{2,3}(-[a-z0-9]+)?$", options: .regularExpression) == nil {
            throw ValidationError("--lang must be a language code like en or es, or all; '\(Diagnostic.visible(lang))' is not")
        }
    }

    func run() async throws {
        var epoch: Int?
        if let text = Environment.value("SOURCE_DATE_EPOCH"), !text.isEmpty {
            guard let value = Int(text), value >= 0 else {
                throw ValidationError("SOURCE_DATE_EPOCH must be a number of seconds since 1970; '\(Diagnostic.visible(text))' is not")
            }
            epoch = value
        }
        let formats = format == .all ? ExportFormat.allCases : [ExportFormat(rawValue: format.rawValue)!]
        let options = ExportOptions(formats: formats, language: lang == "all" ? nil : lang, phases: phases, out: out,
                                    multilang: Multilang(rawValue: multilang)!, shuffleSeed: shuffle, pdf: pdf,
                                    strict: common.strict, sourceDateEpoch: epoch)
        let report = await Pipeline.export(root: common.rootURL, options: options)
        reportDiagnostics(report.diagnostics, nothingWritten: report.failed)
        if report.failed { throw ExitCode.failure }
        print("quizdoc: \(report.files.count) file\(report.files.count == 1 ? "" : "s") in \(out)")
    }
}
