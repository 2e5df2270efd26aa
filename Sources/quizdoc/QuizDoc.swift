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
}
