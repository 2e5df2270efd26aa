import Foundation
import Testing
@testable import QuizDocKit

/// A build killed with SIGKILL at any moment leaves every mirror whole (old or new bytes) and
/// the site whole (entirely old or entirely new); the next build finishes the job and
/// removes the leftovers.
@Suite struct KillTests {
    @Test func sigkillAtAnyMomentLeavesWholeFiles() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 40)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let old = IncrementalBuildTests.outputs(project)

        // The new version changes every file, so every output is rewritten.
        try project.writeCorpus(phases: 40) { $0.replacingOccurrences(of: "Topic", with: "Subject") }
        let reference = try TestProject()
        defer { reference.remove() }
        try FileManager.default.copyItem(at: project.root.appendingPathComponent("data"), to: reference.root.appendingPathComponent("data/new"))
        try FileManager.default.removeItem(at: reference.root.appendingPathComponent("data/quizzes"))
        try FileManager.default.moveItem(at: reference.root.appendingPathComponent("data/new/quizzes"), to: reference.root.appendingPathComponent("data/quizzes"))
        let start = Date()
        #expect(try runQuizdoc(["build"], in: reference.root).status == 0)
        let buildTime = Date().timeIntervalSince(start)
        let new = IncrementalBuildTests.outputs(reference)
        #expect(old != new)

        func split(_ snapshot: [String: Data]) -> (mirrors: [String: Data], site: [String: Data]) {
            (snapshot.filter { $0.key.hasPrefix("quizzes/") }, snapshot.filter { $0.key.hasPrefix("site/") })
        }
        // Each step builds towards the other version, so every kill interrupts a real change.
        var sawOld = false, sawNew = false
        for step in 1...12 {
            try project.writeCorpus(phases: 40) { step % 2 == 1 ? $0 : $0.replacingOccurrences(of: "Topic", with: "Subject") }
            let process = Process()
            process.executableURL = quizdocBinary
            process.arguments = ["build"]
            process.currentDirectoryURL = project.root
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // From early in the build to past its end, so both outcomes happen.
            Thread.sleep(forTimeInterval: buildTime * Double(step) / 8)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let now = IncrementalBuildTests.outputs(project).filter { !$0.key.contains(AtomicFile.temporaryMarker) && !$0.key.hasPrefix(BuildSink.stagingPrefix) }
            let (mirrors, site) = split(now)
            for (path, bytes) in mirrors where !path.hasSuffix("/") {
                #expect(bytes == old[path] || bytes == new[path], "step \(step): \(path) is neither the old nor the new mirror")
            }
            #expect(Set(mirrors.keys) == Set(split(old).mirrors.keys))
            let siteIsOld = site == split(old).site, siteIsNew = site == split(new).site
            #expect(siteIsOld || siteIsNew, "step \(step): the site is a mix of two builds")
            sawOld = sawOld || siteIsOld
            sawNew = sawNew || siteIsNew
        }
        #expect(sawOld && sawNew)

        try project.writeCorpus(phases: 40) { $0.replacingOccurrences(of: "Topic", with: "Subject") }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(IncrementalBuildTests.outputs(project) == new)
    }
}
