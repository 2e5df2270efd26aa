// `quizdoc-profile build|check ROOT`: the same pipeline as `quizdoc build` and `quizdoc check`,
// from a synchronous `main` that waits on a semaphore. Valgrind 3.19 (Debian bookworm) crashes
// on any Swift program with an async `main` (libdispatch parks the main thread in
// `sigsuspend` and valgrind faults creating the next thread), so `valgrind --tool=callgrind`
// cannot run `quizdoc` itself; it runs this. Prints nothing but a one-line result.
import Dispatch
import Foundation
import QuizDocKit

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2, let command = arguments.first, ["build", "check"].contains(command) else {
    FileHandle.standardError.write(Data("usage: quizdoc-profile build|check ROOT\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments.last!)

final class Outcome: @unchecked Sendable {
    var failed = false
    var summary = ""
}
let outcome = Outcome()
let done = DispatchSemaphore(value: 0)
Task.detached {
    if command == "build" {
        // As `quizdoc build` runs it: what the build held is left to the process's end.
        var options = BuildOptions()
        options.processEndsAfterward = true
        let report = await Pipeline.build(root: root, options: options)
        print("build: \(report.written.count) mirrors written, \(report.siteFiles) site files")
        withExtendedLifetime(report) { exit(report.failed ? 1 : 0) }
    } else {
        let report = await Pipeline.check(root: root, options: BuildOptions())
        outcome.failed = report.failed
        outcome.summary = "check: \(report.failed ? "failed" : "passed")"
    }
    done.signal()
}
done.wait()
print(outcome.summary)
exit(outcome.failed ? 1 : 0)
