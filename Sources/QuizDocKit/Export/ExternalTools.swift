import Foundation

/// What the exports borrow from the machine: a scratch folder, and programs found on PATH
/// (git for the quiz files' commit times, Chromium for PDFs).
enum ExternalTools {
    /// Runs `body` with a new, empty folder under the system's temporary folder, removed after.
    static func withScratchFolder<T>(_ prefix: String, _ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quizdoc-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    /// The path of the first of `names` that is an executable on PATH.
    static func find(_ names: [String]) -> String? {
        let path = Environment.value("PATH") ?? "/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }

    /// Runs a program (a path, or a name looked up on PATH) with no input and its errors
    /// discarded: its standard output when it exits with 0, nil otherwise.
    static func run(_ program: String, _ arguments: [String]) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? data : nil
    }
}
