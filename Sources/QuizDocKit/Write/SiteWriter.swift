import CFileSwap
import Foundation

/// Writes the site as a whole: every file goes into a staging folder next to
/// `docs-out/site/`, which then replaces the old site in one atomic exchange. A build that
/// fails or is killed leaves the previous site intact; its staging folder is removed by the
/// next build.
struct SiteWriter {
    static let folder = "docs-out/site"
    static let stagingPrefix = ".site-staging-"

    let root: URL

    func write(_ files: [OutputFile]) throws {
        let docsOut = root.appendingPathComponent("docs-out")
        let site = root.appendingPathComponent(Self.folder)
        let staging = docsOut.appendingPathComponent("\(Self.stagingPrefix)\(getpid())")
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: docsOut, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: "docs-out", reason: "cannot create the folder")
        }
        removeLeftovers(in: docsOut)
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            var made: Set<String> = []
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                let directory = url.deletingLastPathComponent()
                if made.insert(directory.path).inserted {
                    try manager.createDirectory(at: directory, withIntermediateDirectories: true)
                }
                guard manager.createFile(atPath: url.path, contents: file.contents) else {
                    throw WriteError(path: "\(Self.folder)/\(file.path)", reason: "cannot create the file")
                }
            }
        } catch {
            try? manager.removeItem(at: staging)
            if let error = error as? WriteError { throw error }
            throw WriteError(path: Self.folder, reason: "cannot write the site: \(error.localizedDescription)")
        }
        try swapIn(staging, for: site)
    }

    /// Puts `staging` where `site` is. With an old site, the two are exchanged atomically
    /// and the old one (now at the staging path) removed; without one, a rename.
    private func swapIn(_ staging: URL, for site: URL) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: site.path) {
            if quizdoc_exchange_paths(staging.path, site.path) != 0 {
                // No atomic exchange on this file system: two renames, leaving a window
                // in which a killed build has moved the old site aside (the next build
                // still cleans up).
                let aside = staging.deletingLastPathComponent().appendingPathComponent("\(Self.stagingPrefix)old-\(getpid())")
                guard rename(site.path, aside.path) == 0, rename(staging.path, site.path) == 0 else {
                    try? manager.removeItem(at: staging)
                    throw WriteError(path: Self.folder, reason: String(cString: strerror(errno)))
                }
                try? manager.removeItem(at: aside)
                return
            }
            try? manager.removeItem(at: staging)
        } else if rename(staging.path, site.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(at: staging)
            throw WriteError(path: Self.folder, reason: reason)
        }
    }

    private func removeLeftovers(in docsOut: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: docsOut.path)) ?? []
        for name in names where name.hasPrefix(Self.stagingPrefix) {
            try? FileManager.default.removeItem(at: docsOut.appendingPathComponent(name))
        }
    }
}
