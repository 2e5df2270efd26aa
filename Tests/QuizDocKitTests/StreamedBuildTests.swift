import Foundation
import Testing
@testable import QuizDocKit

/// A build with no last build to take phases over from makes the course a stretch at a time
/// (`Pipeline.streamPhases`): a phase as soon as the phases its sidebar lists are loaded.
/// What it makes and reports must be what it makes with the whole course loaded first.
@Suite struct StreamedBuildTests {
    /// More phases than the sidebar lists and than a round loads, so that rounds, windows
    /// and the course's ends all meet.
    static let phases = 70

    /// The files a run sends to its sink (by path) and what it reports, `stretch` phases
    /// loaded a round; 10,000 loads the whole course in the first.
    static func made(_ project: TestProject, stretch: Int) async -> (files: [String: [UInt8]], diagnostics: [Diagnostic]) {
        let sink = MemorySink()
        let run = await Pipeline.run(root: project.root, options: BuildOptions(), site: true, sink: sink, stretch: stretch)
        let (mirrors, site) = sink.files
        var files: [String: [UInt8]] = [:]
        for file in mirrors { files["mirror:" + file.path] = file.contents }
        for file in site { files["site:" + file.path] = file.contents }
        return (files, run.diagnostics)
    }

    @Test func everyStretchMakesWhatTheWholeCourseLoadedMakes() async throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: Self.phases, questionsPerPhase: 2)
        let whole = await Self.made(project, stretch: 10_000)
        // Two mirrors and two pages a phase at least, and no error.
        #expect(whole.files.count > 4 * Self.phases)
        #expect(!whole.diagnostics.contains { $0.severity == .error })
        for stretch in [1, 7, 32] {
            let streamed = await Self.made(project, stretch: stretch)
            #expect(streamed.diagnostics == whole.diagnostics, "stretch \(stretch)")
            #expect(streamed.files.keys.sorted() == whole.files.keys.sorted(), "stretch \(stretch)")
            let differing = whole.files.keys.filter { streamed.files[$0] != whole.files[$0] }.sorted()
            #expect(differing.isEmpty, "stretch \(stretch): \(differing.prefix(5))")
        }
    }

    /// A file in the middle of the course that does not load (a syntax error) or loads with
    /// an error: the places of the phases after it no longer hold. The build reports what the
    /// whole course loaded reports, and writes nothing.
    @Test(arguments: ["questions: [", "kind: nonsense"])
    func aFileThatFailsMidCourseIsReportedAndNothingIsWritten(_ fault: String) async throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: Self.phases, questionsPerPhase: 2)
        let folder = project.root.appendingPathComponent("data/quizzes")
        let name = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()[Self.phases / 2]
        let text = try #require(project.read("data/quizzes/\(name)"))
        let broken = text.replacingOccurrences(of: fault.hasPrefix("questions") ? "questions:" : "kind: single", with: fault)
        #expect(broken != text)
        try project.write("data/quizzes/\(name)", broken)
        let whole = await Self.made(project, stretch: 10_000)
        #expect(whole.diagnostics.contains { $0.severity == .error && $0.location.path.hasSuffix(name) }, "\(whole.diagnostics)")
        for stretch in [1, 32] {
            #expect(await Self.made(project, stretch: stretch).diagnostics == whole.diagnostics, "stretch \(stretch)")
        }
        let data = project.snapshot("data")
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("nothing was written"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("docs-out").path))
        #expect(project.snapshot("data") == data, "a translation lock was left")
    }
}
