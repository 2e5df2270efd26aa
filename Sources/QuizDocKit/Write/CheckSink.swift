import Foundation
import TextDiff

/// `check`'s sink: compares each mirror with the committed file and keeps a unified diff of
/// every one that differs. Writes nothing; site files are not made at all.
final class CheckSink: OutputSink, @unchecked Sendable {
    private let folder: MirrorFolder
    private let lock = NSLock()
    private var generated: Set<String> = []
    private(set) var stale: [(path: String, diff: String)] = []

    init(root: URL) {
        folder = MirrorFolder(root: root)
    }

    func mirror(_ file: OutputFile) -> FileStamp? {
        var diff: String?
        // A file kept as the build read it, unchanged since, holds what the build would write.
        if !folder.isAsRead(file) {
            let old = folder.current(file.path)
            if !file.isContents(of: old) {
                diff = UnifiedDiff.make(from: old.map { String(decoding: $0, as: UTF8.self) } ?? "",
                                        to: String(decoding: file.contents, as: UTF8.self),
                                        oldName: old == nil ? "/dev/null" : file.path, newName: file.path)
            }
        }
        lock.withLock {
            generated.insert(file.path)
            if let diff { stale.append((file.path, diff)) }
        }
        return nil
    }

    func site(_ file: OutputFile) {}

    /// Adds orphan mirrors (as diffs to /dev/null) and stray files (as errors); sorts.
    func finish(bag: inout DiagnosticBag) {
        for (path, old) in folder.leftovers(besides: generated, bag: &bag) {
            stale.append((path, UnifiedDiff.make(from: String(decoding: old, as: UTF8.self), to: "", oldName: path, newName: "/dev/null")))
        }
        stale.sort { $0.path < $1.path }
    }
}
