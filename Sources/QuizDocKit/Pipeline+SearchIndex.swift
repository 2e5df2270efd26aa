import Foundation
import TokenCodec

/// The last step of the site stage, once every phase is done: the search index of each
/// language (`SearchIndex`).
extension Pipeline {
    /// The last build's index, whose postings this build's reused phases took over, cannot
    /// be read after all: a chunk whose stamp held and whose bytes did not, or that cannot
    /// be read (`SearchIndex.Previous.readChunks`). The build runs again, reading every chunk
    /// before it takes a phase over (`build`).
    struct LastIndexLost: Error {}

    /// One language's index: its root and term chunks, made from the postings of every
    /// phase, in course order. A phase made in this build brings its own (and has written
    /// its results file); a reused phase's postings are taken from the last build's index
    /// (`previous`), renumbered to the phase's place now, and its results file was taken
    /// over with its pages. So an incremental build writes the same bytes as a full one, and
    /// takes over each chunk that comes out unchanged. Returns the checksum and stamp of the
    /// root and each term chunk by its site path, for the manifest (`Manifest.searchChunks`).
    /// `assembled`: the postings of a build that made every phase, gathered as they were
    /// made (`streamPhases`), which `results` no longer hold; there is no last index then.
    static func searchIndex(_ language: Language, results: [PhaseResult], summaries: [SiteBuilder.PhaseSummary],
                            previous: SearchIndex.Previous?, assembled: SearchIndex.Assembly? = nil, sink: some OutputSink,
                            bag: inout DiagnosticBag) throws(LastIndexLost) -> [String: Manifest.SearchFile] {
        if let assembled {
            return write(assembled.files(language), previous: nil, sink: sink, bag: &bag)
        }
        var previous = previous
        if var index = previous, let kept = try keptIndex(language, results: results, summaries: summaries, previous: &index, sink: sink, bag: &bag) {
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
        let files: [OutputFile]
        if var index = previous, !renumbered.isEmpty {
            // Its chunks, when the stamps let them be left unread until now.
            guard index.readChunks() else { throw LastIndexLost() }
            files = SearchIndex.merging(index, SearchIndex.Renumbering(renumbered, fresh: freshDocuments, total: first),
                                        fresh: postings, phases: phases, language: language)
            previous = index
        } else {
            files = SearchIndex.files(postings, phases: phases, language: language)
        }
        return write(files, previous: previous, sink: sink, bag: &bag)
    }

    /// Sends the index's files to the sink but those found as the last build wrote them,
    /// which are taken over; their checksums and stamps by site path.
    private static func write(_ files: [OutputFile], previous: SearchIndex.Previous?, sink: some OutputSink,
                              bag: inout DiagnosticBag) -> [String: Manifest.SearchFile] {
        var recorded: [String: Manifest.SearchFile] = [:]
        do {
            for file in files {
                let old = previous?.written[file.path]
                let unchanged = file.isContents(of: previous?.files[file.path])
                let checksum = (unchanged ? old?.checksum : nil) ?? file.contents.withUnsafeBytes { Checksum.of($0) }
                // A file that comes out as the last build wrote it is taken over, not written:
                // the same file, with the stamp it had.
                if unchanged, sink.reuse(file.path) {
                    recorded[file.path] = Manifest.SearchFile(checksum: checksum, stamp: knownStamp(old) ?? siteStamp(file.path, sink))
                    continue
                }
                try sink.site(file)
                recorded[file.path] = Manifest.SearchFile(checksum: checksum, stamp: siteStamp(file.path, sink))
            }
        } catch {
            bag.error(.file(ProjectLayout.output), "\(error)")
        }
        return recorded
    }

    /// The last build's index taken over file for file, nil when this build's may differ.
    /// It is the same when the phases are the same, in the same order, with as many
    /// questions each, and every phase made again has the postings it had then (an edit that
    /// changes no term: a word's case, punctuation, a mark, a correct choice): then nothing
    /// is merged, and only files found as the last build wrote them are taken over (by their
    /// stamps, unread, or by their checksums).
    private static func keptIndex(_ language: Language, results: [PhaseResult], summaries: [SiteBuilder.PhaseSummary],
                                  previous: inout SearchIndex.Previous, sink: some OutputSink,
                                  bag: inout DiagnosticBag) throws(LastIndexLost) -> [String: Manifest.SearchFile]? {
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
        var recorded = previous.written
        for path in previous.paths {
            if sink.reuse(path) {
                if knownStamp(recorded[path]) == nil { recorded[path]?.stamp = siteStamp(path, sink) }
                continue
            }
            // Not there to take over: written from its bytes, read now if they were not.
            guard previous.files[path] != nil || previous.readChunks(), let bytes = previous.files[path] else { throw LastIndexLost() }
            do {
                try sink.site(OutputFile(path: path, contents: bytes))
            } catch {
                bag.error(.file(ProjectLayout.output), "\(error)")
                break
            }
            recorded[path]?.stamp = siteStamp(path, sink)
        }
        return recorded
    }

    private static func knownStamp(_ file: Manifest.SearchFile?) -> FileStamp? {
        file.flatMap { $0.stamp == Manifest.SearchFile.unknown ? nil : $0.stamp }
    }

    private static func siteStamp(_ path: String, _ sink: some OutputSink) -> FileStamp {
        sink.siteStamp(path) ?? Manifest.SearchFile.unknown
    }
}
