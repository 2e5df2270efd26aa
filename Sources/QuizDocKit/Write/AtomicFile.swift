import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Atomic file replacement: write a temporary file in the same folder, flush it, then
/// `rename(2)` it over the target, so a reader (or a build killed halfway) sees the old
/// bytes or the new ones, never a mix.
enum AtomicFile {
    /// Temporary files carry this marker so the next build can find and remove leftovers.
    static let temporaryMarker = ".tmp-quizdoc-"

    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent)\(temporaryMarker)\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw WriteError(path: url.path, reason: "cannot create a file in \(directory.path)")
        }
        let descriptor = open(temporary.path, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: url.path, reason: reason)
        }
    }

    /// Removes temporary files left in `directory` by an interrupted build.
    static func removeLeftovers(in directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.contains(temporaryMarker) {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}

/// A write that failed: which file and why.
public struct WriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}
