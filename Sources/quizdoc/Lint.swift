import ArgumentParser
import Foundation
import QuizDocCommandLine
import QuizDocKit

struct Lint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Find the item-writing flaws that let learners guess (skewed keys, a longest correct choice, …); writes nothing.",
        discussion: "Every problem of `build` is reported too. Rules: \(LintRule.allCases.map(\.rawValue).joined(separator: ", ")). Allow one on purpose with `lint: {allow: [rule]}` in a question or at the top of a quiz file."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var common: CommonOptions

    @Option(help: "text (path:line:col: severity: message [rule]) or json.")
    var format: Format = .text

    @Argument(help: "Quiz files to report on (default: all).")
    var paths: [String] = []

    func run() async throws {
        let diagnostics = await Pipeline.lint(root: common.rootURL, options: common.options, paths: paths)
        let errors = diagnostics.filter { $0.severity == .error }.count
        switch format {
        case .text:
            reportDiagnostics(diagnostics, toStandardOutput: true)
            print("quizdoc: \(errors) error\(errors == 1 ? "" : "s"), \(diagnostics.count - errors) warning\(diagnostics.count - errors == 1 ? "" : "s")")
        case .json:
            print(LintReport(diagnostics).json)
        }
        if errors > 0 { throw ExitCode.failure }
    }
}

/// The JSON form of a lint run (schema: `schema/lint-report.schema.json`).
struct LintReport: Encodable {
    struct Item: Encodable {
        var path: String
        var line: Int
        var column: Int
        var severity: String
        var rule: String?
        var message: String
    }

    var version = 1
    var errors: Int
    var warnings: Int
    var diagnostics: [Item]

    init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.map {
            Item(path: $0.location.path, line: $0.location.line, column: $0.location.column,
                 severity: $0.severity.rawValue, rule: $0.rule, message: $0.message)
        }
        errors = diagnostics.filter { $0.severity == .error }.count
        warnings = diagnostics.count - errors
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
