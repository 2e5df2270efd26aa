import ArgumentParser
import Foundation
import QuizDocKit

/// Writes a synthetic course for benchmarks and stress tests (hidden from help).
struct Corpus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Write a deterministic synthetic course into DIR/data/quizzes (for benchmarks).",
        shouldDisplay: false
    )

    @Option(help: "Number of phases (20 questions each).")
    var phases: Int = 10

    @Option(help: "mixed (Markdown-heavy, the default) or prose (long plain paragraphs, some lists and tables).")
    var style: String = CorpusGenerator.Style.mixed.rawValue

    @Argument(help: "The project folder to fill.")
    var directory: String

    func validate() throws {
        guard CorpusGenerator.Style(rawValue: style) != nil else { throw ValidationError("--style must be mixed or prose") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("data/quizzes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in CorpusGenerator(phases: phases, style: CorpusGenerator.Style(rawValue: style)!).files() {
            try Data(file.yaml.utf8).write(to: folder.appendingPathComponent(file.name))
        }
    }
}
