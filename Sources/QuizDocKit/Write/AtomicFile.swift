import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Temporary files for atomic replacement: written beside their target, then renamed over
/// it (`rename(2)` is atomic), so a reader, or a build killed halfway, sees the old bytes or
/// the new ones, never a mix. They are not fsync'ed: the guarantee is against interrupted
/// builds, not power loss, like other site generators.
enum AtomicFile {
    /// Temporary files carry this marker so the next build can find and remove leftovers.
    static let temporaryMarker = ".tmp-quizdoc-"

    static func writeTemporary(_ data: Data, for target: URL) throws -> URL {
        let directory = target.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent)\(temporaryMarker)\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw WriteError(path: target.path, reason: "cannot create a file in \(directory.path)")
        }
        return temporary
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
