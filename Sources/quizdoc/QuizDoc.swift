import ArgumentParser
import Foundation
import QuizDocCommandLine
import QuizDocKit

@main
struct QuizDoc: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        // Every command names itself: found by its type's name, each costs a look through
        // the runtime's type metadata on every run.
        commandName: "quizdoc",
        abstract: "Builds Markdown mirrors and a static site from quiz YAML, and checks that committed mirrors are fresh.",
        version: QuizDocVersion.current,
        subcommands: [Build.self, Check.self, Lint.self, I18n.self, Schema.self, New.self, Serve.self, Export.self, Corpus.self]
    )

    /// `build` and `check` with the flags they are usually given are run without
    /// ArgumentParser, which would build every command's flags by reflection first
    /// (`CommonSettings.init(quickParsing:)`); anything else goes through it.
    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, name == "build" || name == "check",
              let settings = CommonSettings(quickParsing: arguments.dropFirst()) else {
            await main(nil)
            return
        }
        do {
            if name == "build" {
                try await Build.run(with: settings)
            } else {
                try await Check.run(with: settings)
            }
        } catch let code as ExitCode {
            // As ArgumentParser ends on it, without the usage text it makes for other errors.
            Foundation.exit(code.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
