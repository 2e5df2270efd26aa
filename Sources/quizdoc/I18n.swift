import ArgumentParser
import Foundation
import QuizDocCommandLine
import QuizDocKit

struct I18n: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "i18n",
        abstract: "Translation health: which translations are current, outdated or missing, per phase; writes nothing.",
        subcommands: [Report.self, Accept.self],
        defaultSubcommand: Report.self
    )

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "Print each phase's translations: current, outdated, missing, with totals.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @OptionGroup var common: CommonOptions

        @Option(help: "text (a table) or json (schema: schema/i18n-report.schema.json).")
        var format: Format = .text

        func run() async throws {
            let (report, diagnostics) = await Pipeline.translations(root: common.rootURL)
            let errors = diagnostics.filter { $0.severity == .error }
            reportDiagnostics(errors)
            guard errors.isEmpty else { throw ExitCode.failure }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            case .text:
                print(Self.table(report))
            }
            if common.strict, !report.isComplete { throw ExitCode.failure }
        }

        static func table(_ report: TranslationReport) -> String {
            let width = max(5, report.phases.map(\.phase.count).max() ?? 0)
            func pad(_ text: String, _ count: Int) -> String { text + String(repeating: " ", count: max(0, count - text.count)) }
            func number(_ value: Int) -> String { String(repeating: " ", count: max(0, 8 - String(value).count)) + String(value) }
            func row(_ name: String, _ code: String, _ counts: TranslationReport.Counts) -> String {
                let numbers = [counts.current, counts.outdated, counts.missing].map(number).joined(separator: "  ")
                return pad(name, width) + "  " + pad(code, 4) + " " + numbers
            }
            var lines = [pad("phase", width) + "  lang   current  outdated   missing"]
            for phase in report.phases {
                for code in report.languages {
                    lines.append(row(phase.phase, code, phase.languages[code] ?? TranslationReport.Counts()))
                }
            }
            for code in report.languages {
                let counts = report.totals[code] ?? TranslationReport.Counts()
                let percent = counts.total == 0 ? 100 : 100 * counts.current / counts.total
                lines.append(row("total", code, counts) + "   \(percent) % current")
            }
            return lines.joined(separator: "\n")
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: "Mark outdated translations current without editing them (after an English typo fix, say); rewrites the phase's translation lock (data/translations/) only."
        )

        @OptionGroup var common: CommonOptions

        @Argument(help: "A question id (q-26-02) or a phase (26, phase-26-quantization).")
        var target: String

        @Option(help: "Only this field: title, prompt, answer, choice-N, expected.")
        var field: String?

        @Option(help: "Only this language code (es).")
        var lang: String?

        func run() async throws {
            let (accepted, diagnostics) = await Pipeline.acceptTranslations(root: common.rootURL, target: target, field: field, language: lang,
                                                                            waiting: common.options.waitingForAnotherBuild)
            let errors = diagnostics.filter { $0.severity == .error }
            reportDiagnostics(errors)
            guard errors.isEmpty else { throw ExitCode.failure }
            print(accepted == 0
                  ? "quizdoc: nothing outdated to accept for \(target)"
                  : "quizdoc: \(accepted) translation\(accepted == 1 ? "" : "s") marked current; run `quizdoc build` to update the mirrors and commit the lock")
        }
    }
}
