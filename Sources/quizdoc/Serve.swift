import ArgumentParser
import Foundation
import QuizDocKit

/// `quizdoc serve` runs `quizdoc-serve`, the preview server, installed beside this program,
/// with the same arguments, in this process (`execv`): the server's HTTP library brings
/// libcurl and 27 other shared libraries, which the other commands then do not load.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build (mirrors and site), serve the site with live reload, and rebuild on every change of data/, templates/ and quizdoc.yaml.",
        discussion: "Runs quizdoc-serve, installed beside quizdoc. See quizdoc serve --help.",
        helpNames: []
    )

    @Argument(parsing: .captureForPassthrough, help: "quizdoc serve's options (--port, --host, --poll, --root and the build flags).")
    var arguments: [String] = []

    func run() throws {
        let server = Self.server
        var argv: [UnsafeMutablePointer<CChar>?] = ([server] + arguments).map { strdup($0) } + [nil]
        execv(server, &argv)
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("quizdoc: cannot run \(server): \(reason); quizdoc serve needs quizdoc-serve installed beside quizdoc (make release builds both)\n".utf8))
        throw ExitCode(64)
    }

    /// `quizdoc-serve` in the folder of this program.
    static var server: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent("quizdoc-serve")
    }
}
