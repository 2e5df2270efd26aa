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
    /// takes over each chunk that comes out unchanged. Returns the checksum of the root and
    /// each term chunk by its site path, for the manifest (`Manifest.searchChunks`).
    static func searchIndex(_ language: Language, results: [PhaseResult], summaries: [SiteBuilder.PhaseSummary],
                            previous: SearchIndex.Previous?, sink: some OutputSink, bag: inout DiagnosticBag) -> [String: UInt64] {
        if let previous, let kept = keptIndex(language, results: results, summaries: summaries, previous: previous, sink: sink, bag: &bag) {
            return kept
        }
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
                checksums[file.path] = (unchanged ? previous?.checksums[file.path] : nil)
                    ?? file.contents.withUnsafeBytes { Checksum.of($0) }
                // A file that comes out as the last build wrote it is taken over, not written.
                if unchanged, sink.reuse(file.path) { continue }
                try sink.site(file)
            }
        } catch {
            bag.error(.file(ProjectLayout.output), "\(error)")
        }
        return checksums
    }

    /// The last build's index taken over file for file, nil when this build's may differ.
    /// It is the same when the phases are the same, in the same order, with as many
    /// questions each, and every phase made again has the postings it had then (an edit that
    /// changes no term: a word's case, punctuation, a mark, a correct choice): then nothing
    /// is merged, and only files found as the last build wrote them are taken over.
    private static func keptIndex(_ language: Language, results: [PhaseResult], summaries: [SiteBuilder.PhaseSummary],
                                  previous: SearchIndex.Previous, sink: some OutputSink, bag: inout DiagnosticBag) -> [String: UInt64]? {
        guard previous.isAsWritten, results.count == previous.phases.count else { return nil }
        var first = 0
        // By index: a loop over the pairs copied each result and summary whole, 1,000 of each.
        for index in results.indices {
            let fresh = results[index].search[language.code]
            guard results[index].reused || (results[index].searchAsBefore && fresh != nil),
                  let old = previous.phases[summaries[index].phase], old.first == first else { return nil }
            if let fresh, fresh.count != old.count { return nil }
            first += old.count
        }
        do {
            for path in previous.files.keys.sorted() where !sink.reuse(path) {
                try sink.site(OutputFile(path: path, contents: previous.files[path]!))
            }
        } catch {
            bag.error(.file(ProjectLayout.output), "\(error)")
        }
        return previous.checksums
    }
}
