import ArgumentParser
import Foundation
import QuizDocCommandLine
import QuizDocKit

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Validate every quiz file, then write what changed: the Markdown mirrors (docs-out/quizzes), the site (docs-out/site, swapped in whole), the translation locks (data/translations/) and, once it exists, schema/quiz-v1.schema.json."
    )

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await Self.run(with: common.settings)
    }

    static func run(with settings: CommonSettings) async throws {
        let start = Date()
        var options = settings.options
        options.deferManifest = true
        options.processEndsAfterward = true
        let result = await Pipeline.build(root: settings.rootURL, options: options)
        // The manifest is being saved on another core while the report is printed (a course's
        // thousands of warnings), and the program waits for it before it ends.
        reportDiagnostics(result.diagnostics, nothingWritten: true)
        await result.manifest?.save()
        guard !result.failed else { throw ExitCode.failure }
        let seconds = secondsText(Date().timeIntervalSince(start))
        if result.upToDate {
            print("quizdoc: up to date (\(result.unchanged.count) mirrors and the site unchanged); \(seconds) s")
            withExtendedLifetime(result) { endProcess(0) }
        }
        let locks = result.otherWritten.filter { $0.hasPrefix(TranslationLock.folder) }.count
        let others = result.otherWritten.filter { !$0.hasPrefix(TranslationLock.folder) }
        let updated = (locks == 0 ? [] : ["\(locks) translation lock\(locks == 1 ? "" : "s")"]) + others
        let othersText = updated.isEmpty ? "" : "; updated \(updated.joined(separator: ", "))"
        print("quizdoc: mirrors \(result.written.count) written, \(result.unchanged.count) unchanged, \(result.removed.count) removed\(othersText); site \(result.siteFiles) files in docs-out/site; \(seconds) s")
        // Ended here, the report and the manifest it holds not freed (`processEndsAfterward`).
        withExtendedLifetime(result) { endProcess(0) }
    }
}
