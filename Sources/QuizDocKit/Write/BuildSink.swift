import CFileSwap
import Foundation

/// `build`'s sink, the write stage. Files land where no reader looks until the whole build
/// has succeeded: a changed mirror as a temporary file beside its target, the site in a
/// staging folder beside `docs-out/site/`. `commit` then renames each mirror into place and
/// swaps the whole site in with one atomic exchange; `abort` removes what was staged. So a
/// build that fails, or is killed, leaves every mirror and the site as they were; the next
/// build removes the leftovers.
final class BuildSink: OutputSink, @unchecked Sendable {
    static let siteFolder = ProjectLayout.site
    static let stagingPrefix = ".site-staging-"

    private let root: URL
    private let mirrors: MirrorFolder
    private let staging: URL
    /// The staging folder and the live site as path prefixes (ending in `/`): thousands of
    /// pages are joined to them, and Foundation's `URL` is slow at that.
    private let stagingFolder: String
    private let liveFolder: String
    private let lock = NSLock()
    private var staged: [(target: URL, temporary: URL)] = []
    private var generated: Set<String> = []
    private(set) var unchanged: [String] = []
    private(set) var written: [String] = []
    private(set) var removed: [String] = []
    private(set) var siteFiles = 0

    /// Folders this build created, removed again by `abort` so a failed build leaves none.
    private let createdRoots: [URL]

    init(root: URL) throws {
        self.root = root
        self.mirrors = MirrorFolder(root: root)
        let docsOut = root.appendingPathComponent(ProjectLayout.output)
        staging = docsOut.appendingPathComponent("\(Self.stagingPrefix)\(getpid())")
        stagingFolder = staging.path + "/"
        liveFolder = root.appendingPathComponent(Self.siteFolder).path + "/"
        let manager = FileManager.default
        createdRoots = [docsOut, mirrors.url].filter { !manager.fileExists(atPath: $0.path) }
        do {
            try manager.createDirectory(at: mirrors.url, withIntermediateDirectories: true)
            Self.removeLeftovers(root: root)
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: ProjectLayout.output, reason: "cannot create \(MirrorFolder.path)/ and a staging folder; is docs-out/ a folder you can write to?")
        }
    }

    func mirror(_ file: OutputFile) throws -> FileStamp? {
        let target = root.appendingPathComponent(file.path)
        if mirrors.current(file.path) == file.contents {
            keepMirror(file.path)
            return FileStamp(path: target.path)
        }
        let temporary = try AtomicFile.writeTemporary(file.contents, for: target)
        lock.withLock {
            generated.insert(file.path)
            staged.append((target, temporary))
            written.append(file.path)
        }
        KillSwitch.reach("staged")
        // rename(2) keeps the stamp the temporary file has now.
        return FileStamp(path: temporary.path)
    }

    /// A mirror the build knows is current without making it again.
    func keepMirror(_ path: String) {
        lock.withLock { generated.insert(path); unchanged.append(path) }
    }

    func site(_ file: OutputFile) throws {
        let path = stagingFolder + file.path
        // A page hard-linked by `reuse` shares its inode with the live site: replace the
        // link, never write through it.
        unlink(path)
        guard Self.createFile(path, file.contents) else {
            throw WriteError(path: "\(Self.siteFolder)/\(file.path)", reason: "cannot create the file")
        }
        lock.withLock { siteFiles += 1 }
        KillSwitch.reach("staged")
    }

    /// Hard-links an unchanged file of the current site into the new one; false when there
    /// is nothing to link (the caller then renders the file).
    func reuse(_ sitePath: String) -> Bool {
        let old = liveFolder + sitePath
        let new = stagingFolder + sitePath
        var linked = link(old, new) == 0
        if !linked, errno == ENOENT {
            Self.createFolder(of: new)
            linked = link(old, new) == 0
        }
        if linked { lock.withLock { siteFiles += 1 } }
        return linked
    }

    /// Creates a file, and its folder when that is missing. Phases write in parallel, so
    /// the folder is made by whichever needs it first (creating an existing one is harmless).
    private static func createFile(_ path: String, _ contents: Data) -> Bool {
        if AtomicFile.write(contents, to: path) { return true }
        createFolder(of: path)
        return AtomicFile.write(contents, to: path)
    }

    private static func createFolder(of path: String) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Reports stray files in the mirror folder (nothing is written then), or puts every
    /// staged file in place: mirrors renamed, orphan mirrors removed, the site swapped in.
    func commit(bag: inout DiagnosticBag) throws {
        let orphans = mirrors.leftovers(besides: generated, bag: &bag)
        guard !bag.hasErrors else { abort(); return }
        KillSwitch.reach("commit")
        try swapInSite()
        KillSwitch.reach("swapped")
        for (target, temporary) in staged.sorted(by: { $0.target.path < $1.target.path }) {
            guard rename(temporary.path, target.path) == 0 else {
                throw WriteError(path: target.path, reason: String(cString: strerror(errno)))
            }
            KillSwitch.reach("renamed")
        }
        for (path, _) in orphans {
            try? FileManager.default.removeItem(at: root.appendingPathComponent(path))
            removed.append(path)
        }
        written.sort()
        unchanged.sort()
    }

    func abort() {
        for (_, temporary) in staged { try? FileManager.default.removeItem(at: temporary) }
        try? FileManager.default.removeItem(at: staging)
        for folder in createdRoots.reversed() {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// With an old site, the two folders are exchanged atomically and the old one (now at
    /// the staging path) removed; without one, a rename. Where the file system has no atomic
    /// exchange, two renames, leaving a moment in which a killed build has moved the old
    /// site aside (the next build still cleans up).
    private func swapInSite() throws {
        let site = root.appendingPathComponent(Self.siteFolder)
        let manager = FileManager.default
        if manager.fileExists(atPath: site.path) {
            if quizdoc_exchange_paths(staging.path, site.path) == 0 {
                try? manager.removeItem(at: staging)
                return
            }
            let aside = staging.deletingLastPathComponent().appendingPathComponent("\(Self.stagingPrefix)old-\(getpid())")
            guard rename(site.path, aside.path) == 0, rename(staging.path, site.path) == 0 else {
                throw WriteError(path: Self.siteFolder, reason: String(cString: strerror(errno)))
            }
            try? manager.removeItem(at: aside)
        } else if rename(staging.path, site.path) != 0 {
            throw WriteError(path: Self.siteFolder, reason: String(cString: strerror(errno)))
        }
    }

    /// Staging folders, temporary mirrors and temporary manifests of builds that were killed.
    static func removeLeftovers(root: URL) {
        let docsOut = root.appendingPathComponent(ProjectLayout.output)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: docsOut.path)) ?? []
        where name.hasPrefix(stagingPrefix) || name.contains(AtomicFile.temporaryMarker) {
            try? FileManager.default.removeItem(at: docsOut.appendingPathComponent(name))
        }
        AtomicFile.removeLeftovers(in: root.appendingPathComponent(MirrorFolder.path))
    }
}
