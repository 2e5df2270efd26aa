import CFileSwap
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
    /// This process's id, asked for once.
    static let processID = getpid()

    /// Whether a file name has the marker: a byte search over the name's contiguous UTF-8
    /// (Foundation's `contains` on a `String` cost more than the rest of listing a folder of
    /// 2,000 mirrors, and a walk of `String.UTF8View` indexes half of it).
    static func isTemporary(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            markerBytes.withUnsafeBufferPointer { marker in
                guard bytes.count >= marker.count else { return false }
                for start in 0...(bytes.count - marker.count) where bytes[start] == UInt8(ascii: ".")
                    && memcmp(bytes.baseAddress! + start, marker.baseAddress!, marker.count) == 0 {
                    return true
                }
                return false
            }
        }
    }

    /// Whether a temporary file's name (`isTemporary`) is one this process made.
    static func isOwn(_ name: String) -> Bool {
        name.hasSuffix(ownSuffix)
    }

    private static let ownSuffix = "-\(processID)"

    private static let markerBytes = Array(temporaryMarker.utf8)

    static func writeTemporary(_ data: Data, for target: URL) throws -> URL {
        try writeTemporary(for: target) { write(data, to: $0) }
    }

    /// A temporary file beside `target` holding `parts` one after the other.
    static func writeTemporary(_ parts: [ArraySlice<UInt8>], for target: URL) throws -> URL {
        try writeTemporary(for: target) { path in
            create(path) { descriptor in parts.allSatisfy { part in part.withUnsafeBytes { writeAll(descriptor, $0) } } }
        }
    }

    /// The same for a target given by its path, and the temporary file's path.
    static func writeTemporary(_ data: [UInt8], forPath target: String) throws -> String {
        try writeTemporary(forPath: target) { write(data, to: $0) }
    }

    private static func writeTemporary(for target: URL, _ write: (String) -> Bool) throws -> URL {
        URL(fileURLWithPath: try writeTemporary(forPath: target.path, write))
    }

    /// The temporary file's name: the target's, hidden, with this process's marker. Paths as
    /// strings (a `URL`'s `path` costs some 20,000 instructions; a build stages thousands).
    private static func writeTemporary(forPath target: String, _ write: (String) -> Bool) throws -> String {
        let slash = target.lastIndex(of: "/") ?? target.startIndex
        let (folder, name) = (target[..<slash], target[slash...].dropFirst())
        let temporary = "\(folder)/.\(name)\(temporaryMarker)\(processID)"
        guard write(temporary) else {
            throw WriteError(path: target, reason: "cannot create a file in \(folder)")
        }
        return temporary
    }

    /// Replaces the file at `target` with `data` in one step: a temporary file beside it,
    /// renamed over it. `path` names the file in the error.
    static func replace(_ target: URL, with data: Data, path: String) throws {
        try put(writeTemporary(data, for: target), over: target, path: path)
    }

    /// Renames a temporary file over its target; removes it when that fails.
    private static func put(_ temporary: URL, over target: URL, path: String) throws {
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw WriteError(path: path, reason: reason)
        }
    }

    /// Replaces the file at `target` with `parts`, one after the other, through `spare`, a
    /// file kept beside it: written over in place, then exchanged with the target in one
    /// step, so that the target's old bytes become the next spare. A 3 MB manifest made anew
    /// and renamed over the old one cost 2 ms (new blocks taken, the old ones freed); written
    /// over its spare, 0.2 ms. A spare that is not a plain file of its own (a link, a folder,
    /// a file with another name too) is never written through: it is replaced, or the
    /// target replaced as `replace(_:with:path:)` does. `hook` runs once the spare is written.
    static func replace(_ target: URL, with parts: [ArraySlice<UInt8>], spare: URL, path: String, hook: () -> Void = {}) throws {
        var descriptor = openOwnFile(spare.path)
        if descriptor < 0 {
            // Missing, or not a plain file of its own: made anew, once what is there is gone.
            unlink(spare.path)
            descriptor = open(spare.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        }
        guard descriptor >= 0 else {
            let temporary = try writeTemporary(parts, for: target)
            hook()
            return try put(temporary, over: target, path: path)
        }
        let written = parts.allSatisfy { part in part.withUnsafeBytes { writeAll(descriptor, $0) } }
            && ftruncate(descriptor, off_t(parts.reduce(0) { $0 + $1.count })) == 0
        let reason = String(cString: strerror(errno))
        close(descriptor)
        guard written else { throw WriteError(path: path, reason: reason) }
        hook()
        // No target yet (a first build): the spare becomes it.
        guard quizdoc_exchange_paths(spare.path, target.path) == 0 || errno == ENOENT && rename(spare.path, target.path) == 0 else {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Writes `bytes` over the file at `path` in place, when it is a plain file of its own (a
    /// link, a folder or a file with another name too is never written through): its blocks
    /// are reused, where a file removed and made anew frees them and takes new ones (on a file
    /// system mounted with `discard`, as the bench machine's is, each removal of a file
    /// written back waits 0.15–0.25 ms for the device). False, with the file as it was or cut
    /// short, when it is not one or the write fails: the caller then replaces it.
    static func writeOver(_ bytes: [UInt8], at path: String) -> Bool {
        let descriptor = openOwnFile(path)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return bytes.withUnsafeBytes { writeAll(descriptor, $0) } && ftruncate(descriptor, off_t(bytes.count)) == 0
    }

    /// The file at `path` opened to write, when it is a plain file with no other name; -1
    /// otherwise. O_NONBLOCK: a pipe planted there fails to open rather than waits for a reader.
    private static func openOwnFile(_ path: String) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return -1 }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else {
            close(descriptor)
            return -1
        }
        return descriptor
    }

    /// Creates (or truncates) a file and writes `data` into it with plain POSIX calls: one
    /// new inode, where `FileManager.createFile` writes a temporary file and renames it.
    static func write(_ data: Data, to path: String) -> Bool {
        create(path) { descriptor in data.withUnsafeBytes { writeAll(descriptor, $0) } }
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        create(path) { descriptor in bytes.withUnsafeBytes { writeAll(descriptor, $0) } }
    }

    private static func create(_ path: String, _ body: (Int32) -> Bool) -> Bool {
        // O_NOFOLLOW: a link planted under a temporary file's name is refused, not written through.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return body(descriptor)
    }

    private static func writeAll(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

/// A write that failed: which file and why.
public struct WriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}
