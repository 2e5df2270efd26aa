import ArgumentParser
import Foundation
import QuizDocCommandLine
import QuizDocKit

struct Schema: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Write schema/quiz-v1.schema.json, the JSON Schema of quiz files for editors (yaml-language-server); build and check keep it fresh afterwards."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let diagnostics = Pipeline.writeSchema(root: common.rootURL)
        reportDiagnostics(diagnostics)
        guard !diagnostics.contains(where: { $0.severity == .error }) else { throw ExitCode.failure }
        print("quizdoc: wrote \(QuizSchema.path); start quiz files with `# yaml-language-server: $schema=../../\(QuizSchema.path)`")
    }
}
