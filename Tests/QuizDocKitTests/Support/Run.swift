import Foundation
import Synchronization

/// The built `quizdoc` executable (`swift build` makes it; `QUIZDOC_BIN` overrides).
let quizdocBinary: URL = {
    if let path = ProcessInfo.processInfo.environment["QUIZDOC_BIN"] { return URL(fileURLWithPath: path) }
    return repositoryRoot.appendingPathComponent(".build/debug/quizdoc")
}()

struct RunResult {
    var status: Int32
    /// The signal that ended the process, if one did.
    var signal: Int32?
    var stdout: String
    var stderr: String
}

/// Runs `quizdoc` with `arguments` in `directory`, with `environment` added to this process's.
func runQuizdoc(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> RunResult {
    let process = Process()
    process.executableURL = quizdocBinary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Both pipes are drained at once (standard error on a thread of its own), so that a
    // child writing more than a pipe holds to either never blocks.
    let stderrBox = Mutex(Data())
    let drained = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        let data = err.fileHandleForReading.readDataToEndOfFile()
        stderrBox.withLock { $0 = data }
        drained.signal()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    let stderr = stderrBox.withLock { $0 }
    return RunResult(status: process.terminationStatus,
                     signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil,
                     stdout: String(decoding: stdout, as: UTF8.self),
                     stderr: String(decoding: stderr, as: UTF8.self))
}
