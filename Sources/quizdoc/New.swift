import ArgumentParser
import Foundation
import QuizDocKit

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a phase or a question from a skeleton that builds as it is (translations left empty, counted as missing).",
        subcommands: [Phase.self, NewQuestion.self]
    )

    struct Phase: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "phase", abstract: "Write data/quizzes/phase-NN-slug.yaml with one free question; never overwrites.")
        @Option(name: .long, help: "The project root.") var root: String = "."
        @Argument(help: "The phase number.") var number: Int
        @Option(help: "The file name's slug: lowercase letters, digits and hyphens.") var slug: String
        @Option(help: "The phase title in English.") var title: String
        @Option(help: "The phase title in Spanish.") var es: String?

        func run() throws {
            do {
                let path = try Scaffold.phase(root: URL(fileURLWithPath: root).standardizedFileURL, number: number, slug: slug,
                                              title: title, translations: es.map { ["es": $0] } ?? [:])
                print("quizdoc: wrote \(path)")
            } catch {
                FileHandle.standardError.write(Data("quizdoc: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    struct NewQuestion: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "question", abstract: "Append a question with the next free id to a phase's file.")
        @Option(name: .long, help: "The project root.") var root: String = "."
        @Argument(help: "The phase number.") var phase: Int
        @Option(help: "free, single or multiple.") var kind: String = "free"

        func validate() throws {
            guard Question.Kind(rawValue: kind) != nil else { throw ValidationError("--kind must be free, single or multiple") }
        }

        func run() throws {
            do {
                let id = try Scaffold.question(root: URL(fileURLWithPath: root).standardizedFileURL, phase: phase, kind: Question.Kind(rawValue: kind)!)
                print("quizdoc: added \(id)")
            } catch {
                FileHandle.standardError.write(Data("quizdoc: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
