import Foundation
import TokenCodec

/// The last step of the site stage, once every phase is done: the search index of each
/// language (`SearchIndex`).
extension Pipeline {
    /// One language's index: its root and term chunks, made from the postings of every
    /// phase, in course order. A phase made in this build brings its own (and has written
    /// its results file); a reused phase's postings are taken from the last build's index
    /// (`previous`), renumbered to the phase's place now, and its results file was taken
    /// over with its pages. So an incremental build writes the same bytes as a full one, and
    /// takes over each chunk that comes out unchanged. Returns the checksum of each term
    /// chunk by its site path, for the manifest (`Manifest.searchChunks`).
    static func searchIndex(_ language: Language, results: [PhaseResult], summaries: [SiteBuilder.PhaseSummary],
                            previous: SearchIndex.Previous?, sink: some OutputSink, bag: inout DiagnosticBag) -> [String: UInt64] {
        var postings = SearchIndex.Postings()
        var phases: [(number: Int, count: Int)] = []
        // Old document number → new one, for the reused phases (−1: not kept).
        var renumbered: [Int32] = []
        // Where the documents of the phases made anew start and end.
        var freshDocuments: Range<Int>?
        var first = 0
        for (result, summary) in zip(results, summaries) {
            if let fresh = result.search[language.code] {
                SearchIndex.add(fresh, first: first, to: &postings)
                freshDocuments = (freshDocuments?.lowerBound ?? first)..<(first + fresh.count)
                phases.append((fresh.number, fresh.count))
                first += fresh.count
                continue
            }
            guard result.reused, let previous, let old = previous.phases[summary.phase] else {
                phases.append((summary.phase, 0)) // a phase that failed: the build reports it
                continue
            }
            if renumbered.isEmpty {
                renumbered = Array(repeating: -1, count: previous.phases.values.map { $0.first + $0.count }.max() ?? 0)
            }
            for offset in 0..<old.count { renumbered[old.first + offset] = Int32(first + offset) }
            phases.append((summary.phase, old.count))
            first += old.count
        }
        let files = if let previous, !renumbered.isEmpty {
            SearchIndex.merging(previous, SearchIndex.Renumbering(renumbered, fresh: freshDocuments, total: first),
                                fresh: postings, phases: phases, language: language)
        } else {
            SearchIndex.files(postings, phases: phases, language: language)
        }
        var checksums: [String: UInt64] = [:]
        do {
            for file in files {
                let unchanged = file.isContents(of: previous?.files[file.path])
                if file.path != SearchIndex.rootPath(language) {
                    checksums[file.path] = (unchanged ? previous?.checksums[file.path] : nil)
                        ?? file.contents.withUnsafeBytes { Checksum.of($0) }
                }
                // A file that comes out as the last build wrote it is taken over, not written.
                if unchanged, sink.reuse(file.path) { continue }
                try sink.site(file)
            }
        } catch {
            bag.error(.file(ProjectLayout.output), "\(error)")
        }
        return checksums
    }
}
