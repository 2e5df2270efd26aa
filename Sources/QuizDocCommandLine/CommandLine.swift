import ArgumentParser
import Foundation
import QuizDocKit
import Synchronization

// What the command-line programs share: `quizdoc` and `quizdoc-serve` (the preview server,
// a program of its own so that no other command loads its HTTP library's dependencies).

/// Flags every command shares.
public struct CommonOptions: ParsableArguments {
    public init() {}

    @Option(name: .long, help: "The project root (the folder holding data/, templates/ and docs-out/).")
    public var root: String = "."

    @Flag(name: .long, help: "Treat every warning as an error.")
    public var strict = false

    @Option(name: .customLong("base-url"), help: "The site's absolute URL; with it, quizdoc writes sitemap.xml and an absolute 404 page (overrides base_url in quizdoc.yaml).")
    public var baseURL: String?

    @Option(name: .customLong("edit-url"), help: "Where \"Edit this phase\" links point: this URL + data/quizzes/<file>.yaml (overrides edit_url in quizdoc.yaml).")
    public var editURL: String?

    public func validate() throws {
        if let problem = settings.problem { throw ValidationError(problem) }
    }

    /// The flags' values.
    public var settings: CommonSettings {
        CommonSettings(root: root, strict: strict, baseURL: baseURL, editURL: editURL)
    }

    public var rootURL: URL { settings.rootURL }
    public var options: BuildOptions { settings.options }
}

/// The values of the flags every command shares (`CommonOptions`), as plain values: also
/// what `init(quickParsing:)` reads without ArgumentParser.
public struct CommonSettings: Equatable, Sendable {
    public var root = "."
    public var strict = false
    public var baseURL: String?
    public var editURL: String?

    public init(root: String = ".", strict: Bool = false, baseURL: String? = nil, editURL: String? = nil) {
        (self.root, self.strict, self.baseURL, self.editURL) = (root, strict, baseURL, editURL)
    }

    /// What is wrong with the values, as ArgumentParser reports it (`CommonOptions.validate`).
    public var problem: String? {
        for (flag, value) in [("--base-url", baseURL), ("--edit-url", editURL)] {
            if let value, case .failure(let error) = BaseURL.parse(value) {
                return "\(flag) must be an absolute http(s) URL with a host and no query or fragment, like https://example.org/course/; '\(Diagnostic.visible(value))' is not: \(error)"
            }
        }
        if root.isEmpty || root.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            return "--root must name a folder"
        }
        return nil
    }

    public var rootURL: URL { URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL }
    public var options: BuildOptions {
        var options = BuildOptions(strict: strict, baseURL: baseURL.flatMap { try? BaseURL.parse($0).get() },
                                   editURL: editURL.flatMap { try? BaseURL.parse($0).get() }, progress: ProgressLine.reporter())
        options.waitingForAnotherBuild = {
            FileHandle.standardError.write(Data("quizdoc: waiting for another build of this project to finish\n".utf8))
        }
        return options
    }

    /// The values `CommonOptions` parses from `arguments` (a command's, after its name), read
    /// without ArgumentParser, which builds every command's flags by reflection before it
    /// reads any: 15 million instructions on the one core a build has before its work starts
    /// (BENCHMARKS.md). Only the forms a build is usually given: each of `--root`,
    /// `--base-url`, `--edit-url` at most once, its value after a space or `=` and not
    /// starting with `-`; `--strict` at most once; values without a `problem`. Nil for
    /// anything else (help, an unknown or repeated flag, `--`, a bad value), which
    /// ArgumentParser then parses and reports as it does.
    public init?(quickParsing arguments: some Collection<String>) {
        var settings = CommonSettings()
        var seen: Set<String> = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            var name = argument, value: String?
            if let equals = argument.firstIndex(of: "=") {
                (name, value) = (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
            }
            guard seen.insert(name).inserted else { return nil }
            if name == "--strict" {
                guard value == nil else { return nil }
                settings.strict = true
                continue
            }
            guard ["--root", "--base-url", "--edit-url"].contains(name) else { return nil }
            if value == nil { value = rest.popFirst() }
            guard let value, !value.hasPrefix("-") else { return nil }
            switch name {
            case "--root": settings.root = value
            case "--base-url": settings.baseURL = value
            default: settings.editURL = value
            }
        }
        guard settings.problem == nil else { return nil }
        self = settings
    }
}

/// Ends the process once its work is done and said: what standard output and error hold is
/// written out, then the process ends without the handlers `exit` runs, which tear down the
/// runtime's and Foundation's state the kernel frees anyway (1.5 ms of CPU at the end of a
/// one-question edit of a 1,000-phase course).
public func endProcess(_ code: Int32) -> Never {
    fflush(nil)
    _exit(code)
}

/// A duration in seconds with two decimals, "1.05": the nearest hundredth (near a tie, the
/// hundredth `%.2f` would write may be the other one). `String(format:)` casts its
/// arguments at run time, and a program's first casts search every conformance it has.
public func secondsText(_ seconds: Double) -> String {
    let hundredths = Int((max(seconds, 0) * 100).rounded(.toNearestOrEven))
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// Prints diagnostics to standard error, one per line, already sorted by the engine; in
/// colour on a terminal unless `NO_COLOR` is set; and in GitHub Actions also as workflow
/// annotations and a table in the step summary (`DiagnosticOutput`). With `nothingWritten`,
/// errors end with a line saying that nothing was written.
public func reportDiagnostics(_ diagnostics: [Diagnostic], nothingWritten: Bool = false, toStandardOutput: Bool = false) {
    let output = toStandardOutput ? FileHandle.standardOutput : FileHandle.standardError
    let colour = isatty(toStandardOutput ? STDOUT_FILENO : STDERR_FILENO) == 1
        && Environment.value("NO_COLOR").map(\.isEmpty) ?? true && Environment.value("TERM") != "dumb"
    // One write for them all, from room made at once: a course can have thousands of
    // warnings (700 KB of them, grown by doubling and then copied into a `Data`, were a
    // tenth of the memory a one-question edit touched).
    var lines: [UInt8] = []
    if colour {
        lines.reserveCapacity(diagnostics.reduce(0) { $0 + $1.textByteCount + 64 })
        for index in diagnostics.indices {
            lines += DiagnosticOutput.coloured(diagnostics[index]).utf8
            lines.append(0x0A)
        }
    } else {
        lines = Diagnostic.lines(diagnostics)
    }
    if !lines.isEmpty { try? output.write(contentsOf: lines) }
    if Environment.value("GITHUB_ACTIONS") == "true" {
        for diagnostic in diagnostics { print(DiagnosticOutput.annotation(diagnostic)) }
        if let summary = Environment.value("GITHUB_STEP_SUMMARY"), !diagnostics.isEmpty,
           let handle = FileHandle(forWritingAtPath: summary) {
            handle.seekToEndOfFile()
            handle.write(Data(DiagnosticOutput.summaryTable(diagnostics).utf8))
            try? handle.close()
        }
    }
    let errors = diagnostics.filter { $0.severity == .error }.count
    if errors > 0, nothingWritten {
        FileHandle.standardError.write(Data("quizdoc: \(errors) error\(errors == 1 ? "" : "s"); nothing was written\n".utf8))
    }
}

/// "quizdoc: 412/1000 phases" on one rewritten line of a terminal, once a build has taken
/// more than a second; nothing when standard error is not a terminal, so CI logs stay clean.
public enum ProgressLine {
    public static func reporter() -> (@Sendable (Int, Int) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let start = Date()
        let lastShown = Mutex(Date.distantPast)
        return { done, total in
            let now = Date()
            guard now.timeIntervalSince(start) > 1 else { return }
            // At most ten updates a second, and always the last one.
            let show = lastShown.withLock { last in
                guard done == total || now.timeIntervalSince(last) >= 0.1 else { return false }
                last = now
                return true
            }
            guard show else { return }
            let end = done == total ? "\r\u{1B}[K" : ""
            FileHandle.standardError.write(Data("\rquizdoc: \(done)/\(total) phases\(end)".utf8))
        }
    }
}
