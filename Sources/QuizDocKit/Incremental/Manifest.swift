import Foundation

/// What the last successful build made (`docs-out/.quizdoc-manifest.json`, not committed).
/// The next build compares its inputs with it and makes again only the phases whose inputs
/// changed. It holds file times, so it lives outside the site (whose bytes depend on the
/// input alone), and is written after the site is swapped in. A build killed in between
/// leaves the previous manifest, which is only ever too cautious: what it remembers of a
/// phase (input hash, neighbours, mirror stamps) still describes that phase's pages.
struct Manifest: Codable, Sendable {
    static let path = "docs-out/.quizdoc-manifest.json"
    /// Per-phase search entries inside the site, reused by later builds.
    static let folder = ".quizdoc"

    var format = 1
    var global: Fingerprint
    var phases: [Phase]

    struct Phase: Codable, Sendable {
        var file: String
        var stamp: FileStamp
        var hash: Fingerprint
        var summary: SiteBuilder.PhaseSummary
        /// Question ids with their places, for the check that ids are unique across files.
        var ids: [String]
        var idLocations: [SourceLocation]
        /// Warnings the phase had, reported again on every build that reuses it.
        var warnings: [Diagnostic]
        /// The neighbours its pages link to, as they were.
        var previous: SiteBuilder.PhaseSummary?
        var next: SiteBuilder.PhaseSummary?
        /// The phase's committed mirrors, as written.
        var mirrors: [String: FileStamp]
    }

    /// Search fragment of a phase in one language, a file of the site so it can be reused.
    static func searchFragmentPath(_ baseName: String, _ code: String) -> String {
        "\(folder)/search/\(baseName).\(code).json"
    }

    static func load(root: URL) -> Manifest? {
        let url = root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(Manifest.self, from: data)
    }

    func save(root: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let url = root.appendingPathComponent(Self.path)
        let temporary = try AtomicFile.writeTemporary(try encoder.encode(self), for: url)
        guard rename(temporary.path, url.path) == 0 else {
            throw WriteError(path: Self.path, reason: String(cString: strerror(errno)))
        }
    }
}
