import Foundation

/// Where the pipeline puts each file as soon as it is made, so a large course never has to be
/// held in memory whole. Phases are rendered in parallel: a sink must be safe to call from
/// several tasks at once.
protocol OutputSink: Sendable {
    /// A mirror, with its path relative to the project root. Returns the stamp the file will
    /// have once in place, when the sink writes to disk.
    @discardableResult
    func mirror(_ file: OutputFile) throws -> FileStamp?
    /// A site file, with its path relative to `docs-out/site/`.
    func site(_ file: OutputFile) throws
    /// Takes an unchanged file of the current site over into the new one, instead of making
    /// it; false when the sink cannot (the caller then makes the file).
    func reuse(_ sitePath: String) -> Bool
    /// The stamp a site file made or taken over (`site`, `reuse`) has, when the sink writes
    /// to disk: the stamp it keeps once the site is in place.
    func siteStamp(_ sitePath: String) -> FileStamp?
    /// A mirror the build knows is current without making it again.
    func keepMirror(_ path: String)
    /// What the last build said of the spare site it kept (`Manifest.Spare`), to be trusted
    /// if it still holds, and how many files the live site has (its manifest's count, the
    /// live site being as that build left it), which this build's spare will have.
    func adopt(_ spare: Manifest.Spare?, liveFiles: Int)
    /// The committed files the folders of the mirrors and locks hold, and nothing else, as
    /// the last build left them (`BuildCache.committedFoldersKept`).
    func adoptCommitted(_ committed: [String])
}

extension OutputSink {
    /// Sinks that do not write a site (check, memory) have nothing to take over.
    func reuse(_ sitePath: String) -> Bool { false }
    func siteStamp(_ sitePath: String) -> FileStamp? { nil }
    func keepMirror(_ path: String) {}
    func adopt(_ spare: Manifest.Spare?, liveFiles: Int) {}
    func adoptCommitted(_ committed: [String]) {}
}

/// Keeps every file in memory, for `Pipeline.generate` (tests, tools).
final class MemorySink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var mirrors: [OutputFile] = []
    private var siteFiles: [OutputFile] = []

    func mirror(_ file: OutputFile) -> FileStamp? {
        lock.withLock { mirrors.append(file) }
        return nil
    }

    func site(_ file: OutputFile) {
        lock.withLock { siteFiles.append(file) }
    }

    /// Sorted by path, whatever order the parallel stages finished in.
    var files: (mirrors: [OutputFile], site: [OutputFile]) {
        lock.withLock { (mirrors.sorted { $0.path < $1.path }, siteFiles.sorted { $0.path < $1.path }) }
    }
}
