import ArgumentParser
import Foundation
import QuizDocCommandLine
import QuizDocKit

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Regenerate in memory and compare with the committed mirrors, translation lock and schema; write nothing. Exit 1 with a diff when one is stale."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await Self.run(with: common.settings)
    }

    static func run(with settings: CommonSettings) async throws {
        let result = await Pipeline.check(root: settings.rootURL, options: settings.options)
        reportDiagnostics(result.diagnostics)
        for stale in result.stale {
            print(stale.diff, terminator: "")
        }
        if !result.stale.isEmpty {
            let fix = settings.root == "." ? "quizdoc build" : "quizdoc build --root \(settings.root)"
            print("quizdoc: \(result.stale.count) mirror\(result.stale.count == 1 ? " is" : "s are") out of date with the YAML; run `\(fix)` (or `make mirrors`) and commit the result")
        }
        guard !result.failed else { throw ExitCode.failure }
        print("quizdoc: all mirrors match their YAML")
    }
}
