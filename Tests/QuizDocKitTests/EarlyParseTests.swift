import Foundation
import Testing
import TokenCodec
@testable import QuizDocKit

@Suite struct EarlyParseTests {
    /// The quiz file an edit changed is parsed while the last build's phases are read
    /// (`BuildCache.parseChanged`); the load takes that parse only while the file still has
    /// the stamp it had when it was read, and reads the file again otherwise.
    @Test(arguments: [false, true])
    func anEarlyParseIsTakenOnlyWhileTheFileKeepsItsStamp(changedAgain: Bool) async throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 3, questionsPerPhase: 2)
        #expect(await Pipeline.build(root: project.root).failed == false)
        let phase1 = "data/quizzes/phase-01-topic-1.yaml"
        try project.toggle(phase1, "kernel", "KERNEL")
        let read = try #require(project.read(phase1))

        var bag = DiagnosticBag()
        var cache = BuildCache(root: project.root, options: BuildOptions())
        let entries = QuizLoader.list(root: project.root, bag: &bag)
        #expect(await cache.unchanged(entries, bag: &bag) == nil, "the edit was not seen")
        let languages = LanguageLoader.course(root: project.root, bag: &bag).languages
        let parsed = try #require(await cache.parseChanged(entries, languages: languages)?.value)
        #expect(parsed.input.entry.path == phase1)
        #expect(parsed.hash == Self.hash(read))

        let path = project.root.appendingPathComponent(phase1).path
        var info = stat()
        #expect(lstat(path, &info) == 0)
        let now: String
        if changedAgain {
            // Longer: another stamp.
            now = read.replacingOccurrences(of: "KERNEL", with: "kernel, twice")
            try project.write(phase1, now)
        } else {
            // Other bytes behind the same stamp (same size, time put back): only a load that
            // takes the early parse still has the bytes it read.
            now = read.replacingOccurrences(of: "KERNEL", with: "kernel")
            try project.write(phase1, now)
            let times = [info.st_atim, info.st_mtim]
            #expect(utimensat(AT_FDCWD, path, times, 0) == 0)
        }
        #expect(now != read && (now.utf8.count == read.utf8.count) != changedAgain)

        cache.readPhases(await cache.previous?.decodedPhases())
        await cache.awaitLook()
        let entry = try #require(entries.first { $0.path == phase1 })
        let input = cache.load(entry, languages: languages, parsedEarly: parsed)
        #expect(input.quiz != nil)
        #expect(input.source?.hash == Self.hash(changedAgain ? now : read))
    }

    private static func hash(_ text: String) -> Fingerprint {
        Fingerprint(value: Array(text.utf8).withUnsafeBytes { Checksum.of($0) })
    }
}
