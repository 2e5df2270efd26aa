import Foundation
import Testing
@testable import QuizDocKit

/// A build killed with SIGKILL at any moment leaves every mirror whole (old or new bytes) and
/// the site whole (entirely old or entirely new); the next build finishes the job and
/// removes the leftovers. The build kills itself at named points (`TestHook`), so every
/// moment is hit exactly, on any machine.
@Suite struct KillTests {
    /// Every point of a build, in order, with how often it is reached before the kill.
    static let moments: [(point: String, count: Int)] = [
        ("staged", 1), ("staged", 2), ("staged", 40), ("staged", 80), ("staged", 120), ("staged", 160),
        ("commit", 1), ("swapped", 1), ("renamed", 1), ("renamed", 40), ("renamed", 41), ("renamed", 60), ("renamed", 119), ("renamed", 120),
        ("manifest-staged", 1), ("done", 1),
    ]

    @Test func sigkillAtEveryPointLeavesWholeFiles() throws {
        let project = try TestProject()
        defer { project.remove() }
        let versions: [(String) -> String] = [{ $0 }, { $0.replacingOccurrences(of: "Topic", with: "Subject").replacingOccurrences(of: "kernel", with: "kernels") }]
        // The outputs of each version, built uninterrupted.
        var complete: [[String: Data]] = []
        for version in versions {
            try project.writeCorpus(phases: 40, edit: version)
            #expect(try runQuizdoc(["build"], in: project.root).status == 0)
            complete.append(IncrementalBuildTests.outputs(project))
        }
        // Every mirror and phase page differs between the two, so every kill interrupts a real change.
        for (path, bytes) in complete[0] where path.contains("quizzes/phase-") {
            #expect(complete[1][path] != bytes, "\(path) is the same in both versions")
        }
        func split(_ snapshot: [String: Data]) -> (mirrors: [String: Data], site: [String: Data]) {
            (snapshot.filter { $0.key.hasPrefix("quizzes/") }, snapshot.filter { $0.key.hasPrefix("site/") })
        }

        // The disk holds version 1; each step builds towards the other version and is killed.
        for (step, moment) in Self.moments.enumerated() {
            let (old, new) = (split(complete[(step + 1) % 2]), split(complete[step % 2]))
            try project.writeCorpus(phases: 40, edit: versions[step % 2])
            let killed = try runQuizdoc(["build"], in: project.root, environment: ["QUIZDOC_KILL_AT": "\(moment.point):\(moment.count)"])
            #expect(killed.signal == SIGKILL, "\(moment): the build was not killed (status \(killed.status))")

            let now = split(IncrementalBuildTests.outputs(project).filter {
                !$0.key.contains(AtomicFile.temporaryMarker) && !$0.key.hasPrefix(BuildSink.stagingPrefix)
            })
            #expect(Set(now.mirrors.keys) == Set(old.mirrors.keys))
            let renamed = now.mirrors.filter { $0.value == new.mirrors[$0.key] && $0.value != old.mirrors[$0.key] }.count
            for (path, bytes) in now.mirrors where !path.hasSuffix("/") {
                #expect(bytes == old.mirrors[path] || bytes == new.mirrors[path], "\(moment): \(path) is neither the old nor the new mirror")
            }
            // Before the swap nothing is in place; after it the site is new, and the mirrors
            // renamed so far are new, the others old.
            let swapped = ["swapped", "renamed", "manifest-staged", "done"].contains(moment.point)
            #expect(now.site == (swapped ? new.site : old.site), "\(moment): the site is not the \(swapped ? "new" : "old") one whole")
            // The 40 translation locks (data/translations/…) sort before the mirrors and are
            // renamed first.
            let expectedRenamed = switch moment.point {
            case "renamed": max(0, moment.count - 40)
            case "manifest-staged", "done": 80
            default: 0
            }
            #expect(renamed == expectedRenamed, "\(moment): \(renamed) mirrors renamed")

            // The next build finishes the job, removes the leftovers, and equals a full build.
            #expect(try runQuizdoc(["build"], in: project.root).status == 0)
            #expect(IncrementalBuildTests.outputs(project) == complete[step % 2], "\(moment): the build after the kill")
        }
    }

    /// A first build (no docs-out/) stages its mirrors in a folder of their own: killed at
    /// any moment, it leaves every mirror or none, the whole site or none, and the next
    /// build finishes the job.
    @Test func aFirstBuildKilledLeavesAllMirrorsOrNone() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 40)
        let complete = try IncrementalBuildTests.fullBuild(of: project)
        let mirrors = complete.filter { $0.key.hasPrefix("quizzes/") }, site = complete.filter { $0.key.hasPrefix("site/") }
        #expect(mirrors.count > 80)
        for moment in [("staged", 1), ("staged", 60), ("commit", 1), ("swapped", 1), ("renamed", 1), ("done", 1)] {
            try? FileManager.default.removeItem(at: project.root.appendingPathComponent("docs-out"))
            let killed = try runQuizdoc(["build"], in: project.root, environment: ["QUIZDOC_KILL_AT": "\(moment.0):\(moment.1)"])
            #expect(killed.signal == SIGKILL, "\(moment): the build was not killed (status \(killed.status))")
            let now = IncrementalBuildTests.outputs(project).filter { !$0.key.hasPrefix(BuildSink.stagingPrefix) }
            let (nowMirrors, nowSite) = (now.filter { $0.key.hasPrefix("quizzes/") }, now.filter { $0.key.hasPrefix("site/") })
            #expect(nowMirrors.isEmpty || nowMirrors == mirrors, "\(moment): \(nowMirrors.count) of the mirrors")
            #expect(nowSite.isEmpty || nowSite == site, "\(moment): part of the site")
            // The mirrors move in after the site.
            #expect(nowMirrors.isEmpty || !nowSite.isEmpty, "\(moment)")
            #expect(try runQuizdoc(["build"], in: project.root).status == 0)
            #expect(IncrementalBuildTests.outputs(project) == complete, "\(moment): the build after the kill")
        }
    }
}
