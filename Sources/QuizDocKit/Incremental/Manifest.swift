import Foundation

/// What the last successful build made (`docs-out/.quizdoc-manifest`, not committed; its
/// format is in `ManifestCoding.swift`).
/// The next build compares its inputs with it and makes again only the phases whose inputs
/// changed. It holds file times, so it lives outside the site (whose bytes depend on the
/// input alone), and is written after the site is swapped in. A build killed in between
/// leaves the previous manifest, which is only ever too cautious: what it remembers of a
/// phase (input hash, neighbours, mirror stamps) still describes that phase's pages.
struct Manifest: Sendable {
    static let path = "docs-out/.quizdoc-manifest"
    static let currentFormat = 2

    var format = currentFormat
    var global: Fingerprint
    var phases: [Phase]

    struct Phase: Sendable {
        var file: String
        var stamp: FileStamp
        var hash: Fingerprint
        var summary: SiteBuilder.PhaseSummary
        /// Question ids with their places, for the check that ids are unique across files.
        var ids: [QuizLoader.QuestionPlace]
        /// Warnings the phase had, reported again on every build that reuses it.
        var warnings: [Diagnostic]
        /// The neighbours its pages link to, as they were.
        var previous: SiteBuilder.PhaseSummary?
        var next: SiteBuilder.PhaseSummary?
        /// The phase's committed mirrors, as written.
        var mirrors: [String: FileStamp]
        /// Where its search entries lie in the site's `assets/search-<code>.js`, per code.
        var search: [String: Range<Int>] = [:]
    }

    static func load(root: URL) -> Manifest? {
        let url = root.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? Manifest(decoding: Array(data))
    }

    func save(root: URL) throws {
        let url = root.appendingPathComponent(Self.path)
        let temporary = try AtomicFile.writeTemporary(Data(encoded()), for: url)
        guard rename(temporary.path, url.path) == 0 else {
            throw WriteError(path: Self.path, reason: String(cString: strerror(errno)))
        }
    }
}
