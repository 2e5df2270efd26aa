import ArgumentParser
import Dispatch
import Foundation
import QuizDocCommandLine
import QuizDocKit
import QuizDocServe

/// `quizdoc serve`, which runs this program (installed beside `quizdoc`): the preview
/// server's HTTP library imports FoundationNetworking, which brings libcurl and 27 other
/// shared libraries that every other command would otherwise load (4 ms a run).
@main
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quizdoc serve",
        abstract: "Build (mirrors and site), serve the site with live reload, and rebuild on every change of data/, templates/ and quizdoc.yaml.",
        discussion: "Errors show in the terminal and over every open page; the last good site keeps being served. Stop with Ctrl-C."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "The port to listen on (the next free one if it is taken; 0 for any).")
    var port: UInt16 = 8000

    @Option(help: "The address to listen on. Anything but loopback makes the preview visible to your network.")
    var host: String = "127.0.0.1"

    @Flag(help: "Poll the files for changes instead of inotify (for mounts where file events do not arrive).")
    var poll = false

    func validate() throws {
        guard ["127.0.0.1", "localhost", "::1", "0.0.0.0", "::"].contains(host) || host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) else {
            throw ValidationError("--host must be an IP address like 127.0.0.1 or 0.0.0.0 (or localhost)")
        }
    }

    func run() async throws {
        var options = common.options
        options.progress = nil
        let server = PreviewServer(.init(root: common.rootURL, host: host, port: port, poll: poll, options: options),
                                   log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
        do {
            try server.startWatching()
        } catch {
            FileHandle.standardError.write(Data("quizdoc: cannot watch the project: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let first = await server.rebuild()
        Serve.show(first)
        let url: URL
        do {
            url = try await server.listen()
        } catch {
            FileHandle.standardError.write(Data("quizdoc: \(error)\n".utf8))
            throw ExitCode(64)
        }
        Serve.say("quizdoc: serving docs-out/site at \(url) (Ctrl-C to stop)")

        // Ctrl-C and SIGTERM stop the server cleanly: watcher, open pages and socket closed.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let signals = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: .main) }
        for source in signals {
            source.setEventHandler { Task { await server.stop() } }
            source.resume()
        }
        await server.watch { Serve.show($0) }
        Serve.say("quizdoc: stopped")
    }

    static func show(_ rebuild: PreviewServer.Rebuild) {
        for diagnostic in rebuild.diagnostics {
            FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
        }
        let seconds = secondsText(rebuild.seconds)
        if rebuild.failed {
            say("quizdoc: build failed; still serving the last good site (\(seconds) s)")
        } else {
            say("quizdoc: built in \(seconds) s; \(rebuild.changed.count) site file\(rebuild.changed.count == 1 ? "" : "s") changed")
        }
    }

    /// A line on standard output at once (a pipe would otherwise buffer it).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data("\(line)\n".utf8))
    }
}
