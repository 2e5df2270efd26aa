import FlyingFox
import FlyingSocks
import Foundation
import QuizDocKit
import Synchronization

/// `quizdoc serve`: builds the project (mirrors and site, incrementally), serves
/// `docs-out/site/` over HTTP, rebuilds on every change of the inputs (debounced: a burst
/// of saves is one build), and tells open pages what changed. A failed build changes
/// nothing on disk, so the last good site keeps being served and the errors go to the
/// terminal and to every open page.
public final class PreviewServer: Sendable {
    public struct Configuration: Sendable {
        public var root: URL
        public var host: String
        public var port: UInt16
        public var poll: Bool
        public var options: BuildOptions

        public init(root: URL, host: String = "127.0.0.1", port: UInt16 = 8000, poll: Bool = false, options: BuildOptions = BuildOptions()) {
            self.root = root
            self.host = host
            self.port = port
            self.poll = poll
            self.options = options
        }
    }

    /// What a build did, for the terminal.
    public struct Rebuild: Sendable {
        public var diagnostics: [Diagnostic]
        public var changed: [String]
        public var seconds: Double
        public var failed: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// A burst of saves closer together than this is one build.
    static let quietPeriod: Duration = .milliseconds(200)

    let configuration: Configuration
    let hub = EventHub()
    private let watcher: FileWatcher
    private let server = Mutex<HTTPServer?>(nil)
    private let stopping = Atomic<Bool>(false)
    /// Each site file's inode and content hash as of the last build.
    private let known = Mutex<[String: SiteFile]>([:])

    struct SiteFile: Equatable {
        var inode: UInt64
        var hash: UInt64
    }
    private let responder: SiteResponder
    private let log: @Sendable (String) -> Void

    public init(_ configuration: Configuration, log: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.log = log
        watcher = FileWatcher(root: configuration.root, poll: configuration.poll)
        responder = SiteResponder(site: configuration.root.appendingPathComponent(ProjectLayout.site))
    }

    var isLoopback: Bool { ["127.0.0.1", "localhost", "::1"].contains(configuration.host) }

    // MARK: - Building

    /// One incremental build; tells the open pages which site files it changed, or shows
    /// them its errors.
    @discardableResult
    public func rebuild() async -> Rebuild {
        let start = ContinuousClock.now
        if known.withLock({ $0.isEmpty }) { _ = changedSiteFiles(nil) }
        var options = configuration.options
        options.discardInBackground = true
        options.deferManifest = true
        let report = await Pipeline.build(root: configuration.root, options: options)
        var rebuild = Rebuild(diagnostics: report.diagnostics, changed: [], seconds: 0)
        if report.failed {
            hub.send("errors", errorsJSON(report.diagnostics))
        } else {
            rebuild.changed = report.upToDate ? [] : changedSiteFiles((report.siteWritten, report.siteReused))
            hub.send("built", json(["changed": rebuild.changed]))
        }
        // The pages know; now the manifest, before the next build can start.
        await report.manifest?.save()
        let elapsed = (ContinuousClock.now - start).components
        rebuild.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return rebuild
    }

    /// The site files whose bytes changed since the last look. A build takes unchanged
    /// pages over (same inode) and writes the rest anew (`written`, as the build reports
    /// them; nil: look at every file); only those are read and hashed, so that a course page
    /// rewritten with the same bytes does not count.
    private func changedSiteFiles(_ build: (written: [String], reused: [String])?) -> [String] {
        let site = configuration.root.appendingPathComponent(ProjectLayout.site).path
        let before = known.withLock { $0 }
        var now: [String: SiteFile] = [:]
        var candidates: [String] = []
        if let build {
            // Files the build took over keep their inode and hash; the others are gone.
            for path in build.reused { now[path] = before[path] }
            candidates = build.written
        } else {
            candidates = (FileManager.default.enumerator(atPath: site)?.allObjects as? [String]) ?? []
        }
        for relative in candidates {
            var info = stat()
            guard lstat("\(site)/\(relative)", &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let inode = UInt64(info.st_ino)
            if let old = before[relative], old.inode == inode {
                now[relative] = old
            } else if let data = FileManager.default.contents(atPath: "\(site)/\(relative)") {
                let hash = data.withUnsafeBytes { bytes in
                    bytes.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
                }
                now[relative] = SiteFile(inode: inode, hash: hash)
            }
        }
        known.withLock { $0 = now }
        let paths = Set(now.keys).union(before.keys)
        return paths.filter { now[$0]?.hash != before[$0]?.hash }.sorted()
    }

    private func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The diagnostics for the overlay, each with its source line when it has one.
    func errorsJSON(_ diagnostics: [Diagnostic]) -> String {
        struct Item: Encodable {
            var location: String
            var severity: String
            var message: String
            var line: Int
            var column: Int
            var source: String?
        }
        var files: [String: [Substring]] = [:]
        let items = diagnostics.map { diagnostic -> Item in
            let path = diagnostic.location.path
            if files[path] == nil, !path.hasPrefix("/"), !path.contains(".."),
               let data = FileManager.default.contents(atPath: configuration.root.appendingPathComponent(path).path), data.count <= 1 << 20 {
                files[path] = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            }
            let lines = files[path] ?? []
            let line = diagnostic.location.line
            let source = line >= 1 && line <= lines.count ? Diagnostic.visible(String(lines[line - 1].prefix(300))) : nil
            return Item(location: Diagnostic.visible(diagnostic.location.description), severity: diagnostic.severity.rawValue,
                        message: Diagnostic.visible(diagnostic.message) + (diagnostic.rule.map { " [\($0)]" } ?? ""),
                        line: line, column: diagnostic.location.column, source: source)
        }
        return json(["errors": items])
    }

    // MARK: - Serving

    /// Binds the port (the next free one when it is taken, up to ten tries, unless it is 0:
    /// any free port) and returns the URL to open.
    public func listen() async throws -> URL {
        var port = configuration.port
        var lastError: Error?
        for _ in 0..<(port == 0 ? 1 : 10) {
            do {
                let server = try makeServer(port: port)
                self.server.withLock { $0 = server }
                let task = Task { try await server.run() }
                do {
                    try await server.waitUntilListening(timeout: 5)
                } catch {
                    // The server's own error (the port in use) says more than the timeout.
                    task.cancel()
                    try await task.value
                    throw error
                }
                guard let address = await server.listeningAddress, case let .ip4(_, actualPort) = address else {
                    if let address = await server.listeningAddress, case let .ip6(_, actualPort) = address {
                        return URL(string: "http://[\(configuration.host == "::" ? "::1" : configuration.host)]:\(actualPort)/")!
                    }
                    throw ServeError(reason: "the server is not listening")
                }
                Self.disableNagle(onListenerAt: actualPort)
                let host = configuration.host == "0.0.0.0" ? "127.0.0.1" : configuration.host
                return URL(string: "http://\(host):\(actualPort)/")!
            } catch {
                lastError = error
                guard isAddressInUse(error), port < UInt16.max else { break }
                log("quizdoc: port \(port) is in use; trying \(port + 1)")
                port += 1
            }
        }
        throw ServeError(reason: "cannot listen on \(configuration.host):\(configuration.port): \(lastError.map { "\($0)" } ?? "unknown error"); choose another --port")
    }

    /// FlyingFox writes a response's header and body in two writes; with Nagle's algorithm
    /// on, the body then waits for the client's delayed ACK, 40 ms a request (730 pages/s on
    /// loopback, whatever the page). FlyingFox does not hand out its sockets, so this finds
    /// the listening socket among the process's descriptors by its port and sets
    /// TCP_NODELAY on it, which Linux copies to every connection it accepts.
    static func disableNagle(onListenerAt port: UInt16) {
        for descriptor in Int32(0)..<Int32(4096) {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard named == 0 else { continue }
            let boundPort: UInt16
            switch Int32(address.ss_family) {
            case AF_INET:
                boundPort = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) } }
            case AF_INET6:
                boundPort = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) } }
            default:
                continue
            }
            var listening: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard boundPort == port, getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0, listening == 1 else { continue }
            var on: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    private func isAddressInUse(_ error: Error) -> Bool {
        "\(error)".contains("in use") || "\(error)".contains("EADDRINUSE") || "\(error)".contains("errno: 98")
    }

    private func makeServer(port: UInt16) throws -> HTTPServer {
        let handler = Handler(owner: self)
        let logger: any Logging = .disabled
        if configuration.host.contains(":") {
            let address = configuration.host == "::" ? sockaddr_in6.inet6(port: port) : try sockaddr_in6.inet6(ip6: configuration.host, port: port)
            return HTTPServer(address: address, timeout: 15, logger: logger, handler: handler)
        }
        let ip4 = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        let address = ip4 == "0.0.0.0" ? sockaddr_in.inet(port: port) : try sockaddr_in.inet(ip4: ip4, port: port)
        return HTTPServer(address: address, timeout: 15, logger: logger, handler: handler)
    }

    /// Starts watching the inputs: call it before the first build, so that no change made
    /// from then on is missed.
    public func startWatching() throws {
        try watcher.start()
    }

    /// Rebuilds after each burst of changes, until `stop`.
    public func watch(report: @escaping @Sendable (Rebuild) -> Void) async {
        let quiet = UInt64(Self.quietPeriod.components.seconds) * 1_000_000_000 + UInt64(Self.quietPeriod.components.attoseconds / 1_000_000_000)
        while await watcher.nextChange() {
            // Debounce: build once the inputs have been quiet for the quiet period since
            // the last change (an editor's write-then-rename is one change).
            while watcher.sinceLastChange < quiet, !stopping.load(ordering: .relaxed) {
                try? await Task.sleep(for: .nanoseconds(Int64(quiet - watcher.sinceLastChange)))
            }
            _ = watcher.takeChange()
            if stopping.load(ordering: .relaxed) { break }
            report(await rebuild())
        }
    }

    public func stop() async {
        stopping.store(true, ordering: .relaxed)
        watcher.stop()
        hub.close()
        let server = self.server.withLock { $0 }
        await server?.stop(timeout: 1)
    }

    /// The HTTP side: the live script, the event stream, and the site's files.
    struct Handler: HTTPHandler {
        let owner: PreviewServer

        func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
            guard request.method == .GET || request.method == .HEAD else {
                return HTTPResponse(statusCode: .methodNotAllowed, headers: HTTPHeaders([HTTPHeader("Allow"): "GET, HEAD"]))
            }
            if owner.isLoopback, !Self.isLocalHost(request.headers[.host]) {
                // Against DNS rebinding: a page of another site cannot read this one by name.
                return HTTPResponse(statusCode: .badRequest, headers: [.contentType: "text/plain; charset=utf-8"],
                                    body: Data("quizdoc serve answers to localhost only\n".utf8))
            }
            let raw = request.target.path(percentEncoded: true)
            let head = request.method == .HEAD
            switch raw {
            case LiveScript.path:
                let body = Data(LiveScript.source.utf8)
                return HTTPResponse(statusCode: .ok, headers: HTTPHeaders([.contentType: "text/javascript; charset=utf-8",
                                                                          .contentLength: String(body.count), HTTPHeader("Cache-Control"): "no-cache"]),
                                    body: head ? Data() : body)
            case LiveScript.eventsPath:
                return HTTPResponse(statusCode: .ok,
                                    headers: [.contentType: "text/event-stream; charset=utf-8", HTTPHeader("Cache-Control"): "no-cache"],
                                    body: HTTPBodySequence(from: owner.hub.subscribe()))
            default:
                let answer = owner.responder.answer(rawPath: raw, ifNoneMatch: request.headers[HTTPHeader("If-None-Match")],
                                                    head: head, inject: LiveScript.tag)
                var headers = HTTPHeaders()
                for (name, value) in answer.headers { headers[HTTPHeader(name)] = value }
                return HTTPResponse(statusCode: HTTPStatusCode(answer.status, phrase: Self.phrase(answer.status)),
                                    headers: headers, body: answer.body)
            }
        }

        static func phrase(_ status: Int) -> String {
            switch status {
            case 200: "OK"
            case 304: "Not Modified"
            case 400: "Bad Request"
            default: "Not Found"
            }
        }

        static func isLocalHost(_ header: String?) -> Bool {
            guard let header else { return false }
            var host = header.lowercased()
            if host.hasPrefix("[") {
                host = String(host.dropFirst().prefix { $0 != "]" })
            } else if let colon = host.lastIndex(of: ":") {
                host = String(host[..<colon])
            }
            return host == "localhost" || host == "127.0.0.1" || host == "::1"
        }
    }
}

public struct ServeError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
