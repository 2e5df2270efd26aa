import CFileSwap
import Foundation
import Synchronization

/// `build`'s sink, the write stage. Files land where no reader looks until the whole build
/// has succeeded: a changed mirror as a temporary file beside its target, the site in a
/// staging folder beside `docs-out/site/`. `commit` then renames each mirror into place and
/// swaps the whole site in with one atomic exchange; `abort` removes what was staged. So a
/// build that fails, or is killed, leaves every mirror and the site as they were; the next
/// build removes the leftovers. A build that finds no mirror folder (a course's first
/// build, or one after `rm -rf docs-out`) stages the mirrors in a folder of their own,
/// renamed into place whole after the site's swap: one rename instead of 2,000.
///
/// The site a commit replaces is kept as `docs-out/.site-spare`, and the next build stages
/// in it: most of its files are hard links to the live site's (the same inode), so they
/// stand as they are, and only the others are made again, linked afresh or removed. A build
/// that changes one phase then touches a few files instead of linking 4,000 into an empty
/// folder and deleting the 4,000 it replaced. A file of the spare counts as taken over only
/// when it is the live file itself: the manifest of the build that kept it says which are
/// not (`Manifest.Spare`), and while no folder of the spare changed since, the others are
/// taken at its word; otherwise each is looked at.
final class BuildSink: OutputSink, @unchecked Sendable {
    static let siteFolder = ProjectLayout.site
    static let stagingPrefix = ".site-staging-"
    /// The site the last commit replaced, staged in by the next build (`docs-out/.site-spare`).
    static let spare = "\(ProjectLayout.output)/.site-spare"

    private let root: URL
    private let mirrors: MirrorFolder
    private let staging: URL
    /// The staging folder is the spare: its files may be links to the live site's, never
    /// written through.
    private let fromSpare: Bool
    private let sparePath: String
    /// The staging folder and the live site as path prefixes (ending in `/`): thousands of
    /// pages are joined to them, and Foundation's `URL` is slow at that.
    private let stagingFolder: String
    private let liveFolder: String
    private let lock = NSLock()
    /// The folder the mirrors are staged in when `docs-out/quizzes/` did not exist, renamed
    /// to it by the commit; nil when each mirror is staged beside its target.
    private let mirrorStaging: String?
    /// Mirrors written beside their targets: the path below the root, and the target's and
    /// the temporary file's full paths (strings: `URL.path` makes a new one on every call,
    /// and the commit goes over 2,000 mirrors several times).
    private var staged: [(path: String, target: String, temporary: String)] = []
    private let rootPath: String
    /// The mirrors this build made or found current (`mirror`), and, unless the commit counts
    /// them (`keptCommitted`), those of the phases it took over (`keepMirror`).
    private var generated: Set<String> = []
    /// How many mirrors the phases taken over kept, when `generated` does not hold them.
    private var keptByPhasesTakenOver = 0
    /// Committed files found as this build would write them, in no order.
    private(set) var unchanged: [String] = []
    private(set) var written: [String] = []
    private(set) var removed: [String] = []
    private(set) var siteFiles = 0
    /// The site files made anew, and those taken over from the current site, by site path.
    private(set) var siteWritten: [String] = []
    private(set) var siteReused: [String] = []
    /// The folders of the site this build made (by path under it, "" for the site itself):
    /// those holding its files, and theirs. No other is left once it is committed (those the
    /// spare had and the build did not use go with their files), so the manifest stamps these
    /// without listing the site's 4,000 names to find its eight folders.
    var siteFolders: [String] {
        var folders: Set<String> = [""]
        // The folders met so far, looked through before the set: a site has a handful, and a
        // phase's four files are in four of them (a string made and hashed for each of 4,000
        // files was 2 % of an edit).
        var met: [[UInt8]] = []
        for paths in [siteWritten, siteReused] {
            for var path in paths {
                let new = path.withUTF8 { bytes -> Substring? in
                    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return nil }
                    let folder = UnsafeBufferPointer(rebasing: bytes[..<slash])
                    // Compared at once (`elementsEqual` went a byte at a time: 1.4 M
                    // instructions an edit).
                    guard !met.contains(where: { known in known.withUnsafeBufferPointer { sameBytes($0, folder) } }) else { return nil }
                    if met.count < 64 { met.append(Array(folder)) }
                    return Substring(decoding: folder, as: UTF8.self)
                }
                guard var folder = new else { continue }
                while folders.insert(String(folder)).inserted, let up = folder.utf8.lastIndex(of: UInt8(ascii: "/")) {
                    folder = folder[..<up]
                }
            }
        }
        return folders.sorted()
    }
    /// `siteReused` as a set, for `site`, which must not write through a link it made (kept
    /// only when not staging in the spare: `site` then replaces every file anyway).
    private var reusedPaths: Set<String> = []
    /// The spare's files that are not the live ones, when the spare is as the last build
    /// left it (`adopt`): every other file of it that a build takes over is already there.
    private var staleInSpare: FewPaths?
    /// The files this build made anew, when it kept the site it replaced as the spare: what
    /// the manifest says of it (`Manifest.Spare`).
    private(set) var keptSpare: Manifest.Spare?
    /// How many files the trusted spare has, how many of them this build met (each of its
    /// files it took over or replaced), and how many the live site has (the next spare's).
    private var spareFiles: Int?
    private var spareFilesMet = 0
    private var liveFiles: Int?
    /// The committed files the mirrors' and locks' folders hold, when trusted (`adoptCommitted`).
    private var keptCommitted: [String]?
    /// Folders of mirrors known to exist, so that each is looked for once.
    private var mirrorFolders: Set<String> = []

    /// Folders this build created, removed again by `abort` so a failed build leaves none.
    private let createdRoots: [URL]
    private var createdFolders: [URL] = []

    init(root: URL) throws {
        self.root = root
        rootPath = root.path
        self.mirrors = MirrorFolder(root: root)
        let docsOut = root.appendingPathComponent(ProjectLayout.output)
        staging = docsOut.appendingPathComponent("\(Self.stagingPrefix)\(getpid())")
        stagingFolder = staging.path + "/"
        liveFolder = root.appendingPathComponent(Self.siteFolder).path + "/"
        let manager = FileManager.default
        // Never write or clean through a link: docs-out/ and its folders must be real folders.
        for folder in [ProjectLayout.output, ProjectLayout.mirrors, ProjectLayout.site] {
            switch InputFile.kind(folder, root: root) {
            case .missing, .folder: continue
            case .link: throw WriteError(path: folder, reason: "it is a symbolic link; quizdoc writes only into a real folder, so replace the link with a folder")
            default: throw WriteError(path: folder, reason: "it is not a folder; move it away")
            }
        }
        createdRoots = [docsOut, mirrors.url].filter { !manager.fileExists(atPath: $0.path) }
        sparePath = "\(rootPath)/\(Self.spare)"
        let stagesMirrors = createdRoots.contains(mirrors.url)
        mirrorStaging = stagesMirrors ? docsOut.appendingPathComponent("\(Self.stagingPrefix)mirrors-\(getpid())").path : nil
        do {
            try manager.createDirectory(at: docsOut, withIntermediateDirectories: true)
            if !stagesMirrors { try manager.createDirectory(at: mirrors.url, withIntermediateDirectories: true) }
            Self.removeLeftovers(root: root)
            if let mirrorStaging { try manager.createDirectory(atPath: mirrorStaging, withIntermediateDirectories: false) }
            fromSpare = InputFile.kind(Self.spare, rootPath: rootPath) == .folder && rename(sparePath, staging.path) == 0
            if !fromSpare { try manager.createDirectory(at: staging, withIntermediateDirectories: true) }
        } catch {
            throw WriteError(path: ProjectLayout.output, reason: "cannot create \(MirrorFolder.path)/ and a staging folder; is docs-out/ a folder you can write to?")
        }
    }

    func mirror(_ file: OutputFile) throws -> FileStamp? {
        if let mirrorStaging, let name = MirrorFolder.name(of: file.path) {
            // A new mirror folder: the mirror goes straight into the folder staged for it.
            let staged = "\(mirrorStaging)/\(name)"
            guard AtomicFile.write(file.contents, to: staged) else {
                throw WriteError(path: file.path, reason: "cannot create the file")
            }
            lock.withLock {
                generated.insert(file.path)
                written.append(file.path)
            }
            TestHook.reach("staged")
            return FileStamp(path: staged)
        }
        // Paths as strings: a `URL`'s `path` costs some 20,000 instructions, and a mirror
        // took nine of them.
        let target = "\(rootPath)/\(file.path)"
        if mirrors.isAsRead(file) {
            found(file.path)
            return file.stampAsRead
        }
        if file.isContents(of: mirrors.current(file.path)) {
            found(file.path)
            return FileStamp(path: target)
        }
        let folderPath = String(target[..<(target.lastIndex(of: "/") ?? target.endIndex)])
        if !lock.withLock({ mirrorFolders.contains(folderPath) }) {
            if !FileManager.default.fileExists(atPath: folderPath) {
                // data/translations/ on a course's first translated build; removed again by abort.
                let folder = URL(fileURLWithPath: folderPath, isDirectory: true)
                try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                lock.withLock { createdFolders.append(folder) }
            }
            lock.withLock { _ = mirrorFolders.insert(folderPath) }
        }
        let temporary = try AtomicFile.writeTemporary(file.contents, forPath: target)
        lock.withLock {
            generated.insert(file.path)
            staged.append((file.path, target, temporary))
            written.append(file.path)
        }
        TestHook.reach("staged")
        // rename(2) keeps the stamp the temporary file has now.
        return FileStamp(path: temporary)
    }

    /// A mirror made again and found as it is.
    private func found(_ path: String) {
        lock.withLock { generated.insert(path); unchanged.append(path) }
    }

    /// A mirror of a phase taken over, which the build knows is current without making it.
    func keepMirror(_ path: String) {
        lock.withLock {
            unchanged.append(path)
            if keptCommitted == nil { generated.insert(path) } else { keptByPhasesTakenOver += 1 }
        }
    }

    func site(_ file: OutputFile) throws {
        let path = stagingFolder + file.path
        // A page hard-linked by `reuse` (or any file of the spare) may share its inode with
        // the live site: replace the link, never write through it. A file of the spare with no
        // other name (one the live site replaced) is written over in place.
        var written = false
        if fromSpare {
            written = AtomicFile.writeOver(file.contents, at: path)
            if written || Self.remove(path) { lock.withLock { spareFilesMet += 1 } }
        } else if lock.withLock({ reusedPaths.contains(file.path) }) {
            Self.remove(path)
        }
        guard written || Self.createFile(path, file.contents) else {
            throw WriteError(path: "\(Self.siteFolder)/\(file.path)", reason: "cannot create the file")
        }
        lock.withLock { siteFiles += 1; siteWritten.append(file.path) }
        TestHook.reach("staged")
    }

    /// Trusts the spare as the last build described it when none of its folders changed
    /// since (a file added, removed or replaced changes its folder's time).
    func adopt(_ spare: Manifest.Spare?, liveFiles: Int) {
        self.liveFiles = liveFiles
        // Room for the 4,000 paths an edit takes over, made once rather than by doubling (as
        // many as the manifest counts, bounded: a damaged one may count anything).
        let room = min(liveFiles, 1 << 17)
        lock.withLock {
            siteReused.reserveCapacity(room)
            if !fromSpare { reusedPaths.reserveCapacity(room) }
        }
        guard fromSpare, let spare, !spare.folders.isEmpty else { return }
        for (folder, stamp) in spare.folders where FileStamp(path: folder.isEmpty ? staging.path : stagingFolder + folder) != stamp {
            return
        }
        staleInSpare = FewPaths(spare.stale)
        spareFiles = spare.files
    }

    /// Trusts the folders of the mirrors and translation locks to hold `committed`, the files
    /// the last build left there, and nothing else (`BuildCache.committedFoldersKept`): the
    /// commit then finds the orphans among them without listing the folders.
    func adoptCommitted(_ committed: [String]) {
        lock.withLock {
            keptCommitted = committed
            // Room for them all: an edit keeps nearly every one.
            unchanged.reserveCapacity(committed.count)
        }
    }

    /// Hard-links an unchanged file of the current site into the new one; false when there
    /// is nothing to link (the caller then renders the file).
    func reuse(_ sitePath: String) -> Bool {
        if let stale = staleInSpare, !stale.contains(sitePath) {
            // The spare's file is the live one, as the last build left it.
            taken(sitePath, metInSpare: true)
            return true
        }
        let old = liveFolder + sitePath
        let new = stagingFolder + sitePath
        if fromSpare {
            // Already there when the spare's file is the live one; anything else goes.
            var spare = stat(), live = stat()
            if lstat(new, &spare) == 0 {
                let isFile = spare.st_mode & S_IFMT == S_IFREG
                if isFile, lstat(old, &live) == 0, spare.st_ino == live.st_ino, spare.st_dev == live.st_dev {
                    taken(sitePath, metInSpare: true)
                    return true
                }
                if isFile { lock.withLock { spareFilesMet += 1 } }
                Self.remove(new)
            }
        }
        var linked = link(old, new) == 0
        if !linked, errno == ENOENT {
            Self.createFolder(of: new)
            linked = link(old, new) == 0
        }
        if linked { taken(sitePath) }
        return linked
    }

    func siteStamp(_ sitePath: String) -> FileStamp? {
        FileStamp(path: stagingFolder + sitePath)
    }

    private func taken(_ sitePath: String, metInSpare: Bool = false) {
        lock.withLock {
            if metInSpare { spareFilesMet += 1 }
            siteFiles += 1
            siteReused.append(sitePath)
            if !fromSpare { reusedPaths.insert(sitePath) }
        }
    }

    /// Creates a file, and its folder when that is missing. Phases write in parallel, so
    /// the folder is made by whichever needs it first (creating an existing one is harmless).
    private static func createFile(_ path: String, _ contents: [UInt8]) -> Bool {
        if AtomicFile.write(contents, to: path) { return true }
        createFolder(of: path)
        return AtomicFile.write(contents, to: path)
    }

    /// Removes a file of the spare that is not to stay, or a folder where a file goes; true
    /// when it was a file.
    @discardableResult
    private static func remove(_ path: String) -> Bool {
        if unlink(path) == 0 { return true }
        if errno == EISDIR { removeTree(path) }
        return false
    }

    /// Every file of the spare that this build neither made nor took over, and the folders
    /// left empty: the staged site is then exactly this build's.
    private func removeExtras() {
        let kept = Set(siteWritten).union(siteReused)
        var folders: [String] = [""]
        var index = 0
        while index < folders.count {
            let folder = folders[index]
            for (name, isFolder) in FolderEntries.list(stagingFolder + folder) ?? [] {
                let path = folder.isEmpty ? name : "\(folder)/\(name)"
                if isFolder {
                    folders.append(path)
                } else if !kept.contains(path) {
                    unlink(stagingFolder + path)
                }
            }
            index += 1
        }
        for folder in folders.dropFirst().reversed() { rmdir(stagingFolder + folder) }
    }

    private static func createFolder(of path: String) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Reports stray files in the mirror folder (nothing is written then), or puts every
    /// staged file in place: the site swapped in, mirrors renamed, orphan mirrors removed.
    ///
    /// Every destination is checked before the first change. Each old mirror is kept aside
    /// (a hard link) and each orphan moved aside rather than deleted, so that if any step
    /// fails, everything done so far is undone in reverse and the disk is as it was; only
    /// after the last step are the kept copies and the old site removed.
    func commit(bag: inout DiagnosticBag) throws {
        let orphans = orphans(bag: &bag)
        guard !bag.hasErrors else { abort(); return }
        // Staged in the spare: what this build neither made nor took over goes, unless the
        // spare is trusted and this build met every one of its files.
        if fromSpare, spareFiles == nil || spareFiles != spareFilesMet { removeExtras() }
        let targets = staged.sorted { $0.target < $1.target }
        try checkDestinations(targets.map(\.path))
        TestHook.reach("commit")
        var undo = Undo()
        do {
            for (path, target, _) in targets where InputFile.kind(path, rootPath: rootPath) != .missing {
                let kept = keptPath(target)
                guard !TestHook.fails("backup"), link(target, kept) == 0 else {
                    throw WriteError(path: path, reason: "cannot keep the old mirror aside: \(Self.reason())")
                }
                undo.kept[target] = kept
            }
            try swapInSite(&undo)
            TestHook.reach("swapped")
            if let mirrorStaging {
                guard !TestHook.fails("rename"), rename(mirrorStaging, mirrors.url.path) == 0 else {
                    throw WriteError(path: MirrorFolder.path, reason: Self.reason())
                }
                undo.mirrorsMovedIn = (mirrorStaging, mirrors.url.path)
                TestHook.reach("renamed")
            }
            for (path, target, temporary) in targets {
                guard !TestHook.fails("rename"), rename(temporary, target) == 0 else {
                    throw WriteError(path: path, reason: Self.reason())
                }
                undo.renamed.append(target)
                TestHook.reach("renamed")
            }
            for (path, _) in orphans {
                let orphan = "\(rootPath)/\(path)"
                let aside = keptPath(orphan)
                guard !TestHook.fails("remove"), rename(orphan, aside) == 0 else {
                    throw WriteError(path: path, reason: "cannot remove the orphan mirror: \(Self.reason())")
                }
                undo.movedAside.append((orphan, aside))
            }
        } catch {
            undo.run(site: root.appendingPathComponent(Self.siteFolder).path, staging: staging.path)
            throw error
        }
        // Done: drop the kept copies and the old site.
        for kept in undo.kept.values { unlink(kept) }
        for (_, aside) in undo.movedAside { unlink(aside) }
        // The replaced site is the next build's spare when this build took most of its files
        // over (its links are then the new site's files). After a build that made most files
        // anew (a template changed), or a swap that was not one exchange, it is removed: a
        // spare whose files are not the live ones would cost the next build more than an
        // empty folder.
        if let old = undo.oldSite {
            if case .exchanged? = undo.site, siteReused.count > siteWritten.count, rename(old, sparePath) == 0 {
                keptSpare = Manifest.Spare(stale: siteWritten.sorted(), files: liveFiles)
            } else {
                Self.discard(old, inBackground: discardInBackground)
            }
        }
        removed = orphans.map(\.path)
        written.sort()
    }

    /// The committed files this build did not make, with their bytes, sorted; strays are
    /// reported in `bag`. When the folders hold what the last build left (`keptCommitted`),
    /// every mirror of a phase taken over is one of those files (the last build's files, each
    /// of one phase: `Manifest.files(of:)`), so they are counted (`keepMirror`): if they and
    /// the committed files among the rest of `generated` add up to all, none is an orphan, and
    /// no set of the 3,000 paths is made (hashing them and looking each committed file up in
    /// it was 3 % of an edit's work).
    private func orphans(bag: inout DiagnosticBag) -> [(path: String, old: [UInt8])] {
        guard let committed = keptCommitted else {
            return mirrors.leftovers(besides: generated, removingTemporaries: true, bag: &bag)
        }
        let madeAgain = generated.count { path in
            let index = committed.lowerBound(of: path) { $0 }
            return index < committed.count && committed[index] == path
        }
        if keptByPhasesTakenOver + madeAgain == committed.count { return [] }
        return mirrors.orphans(among: committed, besides: generated.union(unchanged))
    }

    /// What the commit changed so far, to put back in reverse order if a step fails.
    private struct Undo {
        /// Old mirrors kept aside (hard links), by target path.
        var kept: [String: String] = [:]
        var site: SiteChange?
        /// Where the previous site now is, to remove once all succeeded.
        var oldSite: String?
        var renamed: [String] = []
        /// The staged mirror folder, moved to the mirror folder's place.
        var mirrorsMovedIn: (staging: String, live: String)?
        var movedAside: [(path: String, aside: String)] = []

        enum SiteChange { case exchanged, movedIn, movedAside(String) }

        func run(site sitePath: String, staging: String) {
            for (path, aside) in movedAside.reversed() { rename(aside, path) }
            for target in renamed.reversed() {
                if let old = kept[target] { rename(old, target) } else { unlink(target) }
            }
            for (target, old) in kept where !renamed.contains(target) { unlink(old) }
            if let (staging, live) = mirrorsMovedIn { rename(live, staging) }
            switch site {
            case .exchanged?: quizdoc_exchange_paths(staging, sitePath)
            case .movedIn?: rename(sitePath, staging)
            case .movedAside(let aside)?:
                rename(sitePath, staging)
                rename(aside, sitePath)
            case nil: break
            }
        }
    }

    /// Every place the commit will write (paths below the root): a mirror's target must be
    /// absent or a regular file, and its folder and the site's writable, before anything changes.
    private func checkDestinations(_ targets: [String]) throws {
        for target in targets {
            switch InputFile.kind(target, rootPath: rootPath) {
            case .missing, .file: continue
            default: throw WriteError(path: target, reason: "it is not a regular file, so the mirror cannot replace it; move it away")
            }
        }
        let folders = mirrorStaging == nil ? [ProjectLayout.mirrors, ProjectLayout.output] : [ProjectLayout.output]
        for folder in folders where access("\(rootPath)/\(folder)", W_OK) != 0 {
            throw WriteError(path: folder, reason: "the folder is not writable")
        }
    }

    /// A hidden name beside `path` for its old bytes, removed with the leftovers if a build dies.
    private func keptPath(_ path: String) -> String {
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) ?? path.utf8.startIndex
        let folder = String(Substring(path.utf8[..<slash])), name = String(Substring(path.utf8[path.utf8.index(after: slash)...]))
        return "\(folder)/.\(name)\(AtomicFile.temporaryMarker)old-\(AtomicFile.processID)"
    }

    private static func reason() -> String { String(cString: strerror(errno)) }

    /// Whether the previous site is deleted on a thread of its own once the commit is done
    /// (`quizdoc serve`, which goes on running): a build of 1,000 phases then returns 20 ms
    /// sooner. The folder is renamed first, so a killed process leaves it for the next
    /// build's cleanup and no later build's staging folder can collide with it.
    var discardInBackground = false

    private static let discarded = Mutex(0)

    private static func discard(_ folder: String, inBackground: Bool) {
        guard inBackground else {
            removeTree(folder)
            return
        }
        let number = discarded.withLock { count -> Int in
            count += 1
            return count
        }
        let parent = (folder as NSString).deletingLastPathComponent
        let aside = "\(parent)/\(stagingPrefix)discarded-\(getpid())-\(number)"
        guard rename(folder, aside) == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            return
        }
        Thread.detachNewThread { removeTree(aside) }
    }

    /// Removes a folder and everything in it, the files of its folders emptied one folder per
    /// core at a time: the replaced site's 4,000 files are removed on every build, and the
    /// file system lets two folders lose files at once.
    static func removeTree(_ root: String) {
        var folders: [(path: String, files: [String])] = [(root, [])]
        var index = 0
        while index < folders.count {
            for (name, isFolder) in FolderEntries.list(folders[index].path) ?? [] {
                let path = "\(folders[index].path)/\(name)"
                if isFolder { folders.append((path, [])) } else { folders[index].files.append(path) }
            }
            index += 1
        }
        let files = folders.map(\.files)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            for file in files[index] { unlink(file) }
        }
        // What is left: the folders, deepest first (and anything unlink could not remove).
        for (folder, _) in folders.reversed() where rmdir(folder) != 0 {
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    func abort() {
        for (_, _, temporary) in staged { unlink(temporary) }
        if let mirrorStaging { Self.removeTree(mirrorStaging) }
        // The spare goes back as it is now: only its files that are the live ones' count.
        if !fromSpare || rename(staging.path, sparePath) != 0 { Self.removeTree(staging.path) }
        for folder in (createdRoots + createdFolders).reversed() {
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// With an old site, the two folders are exchanged atomically (the old one then sits at
    /// the staging path until the commit ends); without one, a rename. Where the file system
    /// has no atomic exchange, two renames, leaving a moment in which a killed build has
    /// moved the old site aside (the next build still cleans up).
    private func swapInSite(_ undo: inout Undo) throws {
        let site = root.appendingPathComponent(Self.siteFolder)
        guard !TestHook.fails("swap") else { throw WriteError(path: Self.siteFolder, reason: "cannot swap the new site in") }
        if FileManager.default.fileExists(atPath: site.path) {
            if quizdoc_exchange_paths(staging.path, site.path) == 0 {
                undo.site = .exchanged
                undo.oldSite = staging.path
                return
            }
            let aside = staging.deletingLastPathComponent().appendingPathComponent("\(Self.stagingPrefix)old-\(getpid())")
            guard rename(site.path, aside.path) == 0 else {
                throw WriteError(path: Self.siteFolder, reason: Self.reason())
            }
            guard rename(staging.path, site.path) == 0 else {
                let reason = Self.reason()
                rename(aside.path, site.path)
                throw WriteError(path: Self.siteFolder, reason: reason)
            }
            undo.site = .movedAside(aside.path)
            undo.oldSite = aside.path
        } else {
            guard rename(staging.path, site.path) == 0 else { throw WriteError(path: Self.siteFolder, reason: Self.reason()) }
            undo.site = .movedIn
        }
    }

    /// Staging folders and temporary manifests of builds that were killed.
    static func removeLeftovers(root: URL) {
        let docsOut = root.appendingPathComponent(ProjectLayout.output)
        for name in FolderEntries.names(docsOut.path) where name.hasPrefix(stagingPrefix) || AtomicFile.isTemporary(name) {
            removeTree(docsOut.appendingPathComponent(name).path)
        }
        // A spare that is not a folder is not one.
        switch InputFile.kind(spare, root: root) {
        case .missing, .folder: break
        default: unlink(root.appendingPathComponent(spare).path)
        }
        // Their temporary mirrors and locks go when those folders are listed for strays (at
        // the commit, or by the plan of a build with nothing to make): 3,000 names listed
        // once, not twice.
    }
}

/// Paths an edit looks each of its 4,000 taken-over files up in, most often a handful (the
/// files the last build made): a few are compared one by one, their lengths first (most
/// differ there), rather than each looked-up path hashed (2.8 M of an edit's 146 M
/// instructions). A site's paths are spelled by quizdoc from ASCII file names and language
/// codes, so a path of another length is another path (in general, two spellings of one
/// character can differ in length).
struct FewPaths: Sendable {
    private let few: [(count: Int, path: String)]?
    private let many: Set<String>

    init(_ paths: [String]) {
        (few, many) = paths.count <= 16 ? (paths.map { ($0.utf8.count, $0) }, []) : (nil, Set(paths))
    }

    func contains(_ path: String) -> Bool {
        guard let few else { return many.contains(path) }
        let count = path.utf8.count
        for entry in few where entry.count == count && entry.path == path { return true }
        return false
    }
}
