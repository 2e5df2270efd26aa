import Foundation

/// Answers a GET or HEAD for a file of the built site, safely: only regular files under the
/// site folder, reached without any symbolic link, by a path without `..`, `.`, encoded
/// slashes or NUL; folders answer with their `index.html`; anything else is the site's
/// `404.html` with status 404. HTML pages get the live-reload script injected before
/// `</body>`, which is all that differs from the built file.
struct SiteResponder: Sendable {
    let site: URL

    struct Answer: Equatable {
        var status: Int
        var headers: [(String, String)]
        var body: Data

        static func == (a: Answer, b: Answer) -> Bool {
            a.status == b.status && a.body == b.body && a.headers.map { "\($0.0): \($0.1)" } == b.headers.map { "\($0.0): \($0.1)" }
        }
    }

    /// The files a path names, as segments below the site, or nil when the path could
    /// reach outside it or is not a file path at all.
    static func segments(ofRawPath raw: String) -> [String]? {
        guard raw.hasPrefix("/") else { return nil }
        var segments: [String] = []
        for piece in raw.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = piece.removingPercentEncoding else { return nil }
            if decoded.isEmpty { continue }
            if decoded == "." || decoded == ".." || decoded.contains("/") || decoded.contains("\\")
                || decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                return nil
            }
            segments.append(decoded)
        }
        return segments
    }

    func answer(rawPath: String, ifNoneMatch: String?, head: Bool, inject: String?) -> Answer {
        guard let segments = Self.segments(ofRawPath: rawPath) else {
            return notFound(head: head, inject: inject, status: 400)
        }
        var path = segments.joined(separator: "/")
        switch kind(path) {
        case .folder:
            path += path.isEmpty ? "index.html" : "/index.html"
        case .file:
            break
        case .none:
            return notFound(head: head, inject: inject, status: 404)
        }
        guard kind(path) == .file, let file = read(path) else { return notFound(head: head, inject: inject, status: 404) }
        let tag = "\"\(String(file.identity, radix: 16))\""
        var headers = [("Content-Type", Self.contentType(path)), ("ETag", tag), ("Cache-Control", "no-cache")]
        if ifNoneMatch?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag }) == true {
            return Answer(status: 304, headers: headers, body: Data())
        }
        let body = path.hasSuffix(".html") ? Self.injecting(inject, into: file.bytes) : file.bytes
        headers.append(("Content-Length", String(body.count)))
        return Answer(status: 200, headers: headers, body: head ? Data() : body)
    }

    private func notFound(head: Bool, inject: String?, status: Int) -> Answer {
        let page = read("404.html").map { Self.injecting(inject, into: $0.bytes) } ?? Data("Not found\n".utf8)
        return Answer(status: status, headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", String(page.count)),
                                                ("Cache-Control", "no-cache")],
                      body: head ? Data() : page)
    }

    private enum Kind { case file, folder }

    /// What a site path is, seen without following any link on the way.
    private func kind(_ path: String) -> Kind? {
        var current = site.path
        let pieces = path.split(separator: "/")
        var info = stat()
        guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        for piece in pieces {
            current += "/\(piece)"
            guard lstat(current, &info) == 0 else { return nil }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: continue
            case S_IFREG: if piece == pieces.last { return .file } else { return nil }
            default: return nil
            }
        }
        return .folder
    }

    /// The bytes of a regular file, and an identity that changes when the file does (its
    /// inode, size and modification time: a build replaces a changed page with a new inode).
    private func read(_ path: String) -> (bytes: Data, identity: UInt64)? {
        let descriptor = open("\(site.path)/\(path)", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let bytes = try? handle.readToEnd() ?? Data() else {
            return nil
        }
        var identity = UInt64(truncatingIfNeeded: info.st_ino) &* 0x9E37_79B9_7F4A_7C15
        identity ^= UInt64(truncatingIfNeeded: info.st_size) &* 0xBF58_476D_1CE4_E5B9
        identity ^= UInt64(truncatingIfNeeded: info.st_mtim.tv_sec) &* 0x94D0_49BB_1331_11EB
        identity ^= UInt64(truncatingIfNeeded: info.st_mtim.tv_nsec)
        return (bytes, identity)
    }

    static func injecting(_ script: String?, into page: Data) -> Data {
        guard let script, let end = page.range(of: Data("</body>".utf8), options: .backwards) else { return page }
        var result = page
        result.insert(contentsOf: Data(script.utf8), at: end.lowerBound)
        return result
    }

    static func contentType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json": "application/json; charset=utf-8"
        case "xml": "application/xml; charset=utf-8"
        case "txt", "md": "text/plain; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "woff": "font/woff"
        case "pdf": "application/pdf"
        default: "application/octet-stream"
        }
    }
}
