import Foundation

/// Stage 4 for the search index, once every phase is done: the shards of each language.
extension Pipeline {
    /// One language's search shards: each hard-linked from the current site when it would
    /// come out the same, assembled otherwise from the fresh fragments of the phases made in
    /// this build and from slices of the old shards for the phases reused. Records where each
    /// phase's entries now lie.
    static func searchIndex(_ language: Language, results: inout [PhaseResult], sink: some OutputSink,
                            reusable: ReusableSite?, bag: inout DiagnosticBag) {
        let code = language.code
        var oldShards: [String: Data] = [:]
        for shard in 0..<SearchIndex.shardCount(phases: results.count) {
            let members = SearchIndex.members(of: shard, phases: results.count)
            let path = SearchIndex.shardPath(language, shard)
            if let reusable, let buildSink = sink as? BuildSink,
               isUnchanged(shard, members: members, code: code, results: results, previousPhases: reusable.phaseCount),
               buildSink.reuse(path) {
                continue // its phases keep their places
            }
            var fragments: [Data] = []
            for index in members {
                if let fresh = results[index].searchFragments[code] {
                    fragments.append(fresh)
                    continue
                }
                guard let reusable, let place = results[index].record?.search[code] else {
                    fragments.append(Data())
                    continue
                }
                let oldPath = SearchIndex.shardPath(language, place.shard)
                if oldShards[oldPath] == nil { oldShards[oldPath] = reusable.shard(oldPath) }
                guard let old = oldShards[oldPath], place.range.upperBound <= old.count else {
                    bag.error(.file("\(BuildSink.siteFolder)/\(oldPath)"), "the site changed while quizdoc was building; build again")
                    return
                }
                fragments.append(old[place.range])
            }
            let script = SearchIndex.shard(shard, fragments)
            do {
                try sink.site(OutputFile(path: path, contents: script.contents))
            } catch {
                bag.error(.file("docs-out"), "\(error)")
                return
            }
            for (offset, index) in members.enumerated() {
                results[index].record?.search[code] = SearchIndex.Place(shard: shard, range: script.ranges[offset])
            }
        }
    }

    /// Whether a shard would come out exactly as the current site's: it holds as many phases
    /// as it did then, every one of them reused and then in this shard, in the same order.
    /// (Reused phases are unchanged, and distinct; so they are the phases it held.)
    private static func isUnchanged(_ shard: Int, members: Range<Int>, code: String, results: [PhaseResult],
                                    previousPhases: Int) -> Bool {
        guard members.count == SearchIndex.members(of: shard, phases: previousPhases).count else { return false }
        var lastStart = -1
        for index in members {
            guard results[index].reused, let place = results[index].record?.search[code],
                  place.shard == shard, place.range.lowerBound > lastStart else { return false }
            lastStart = place.range.lowerBound
        }
        return true
    }
}
