import Foundation

/// The last step of the site stage, once every phase is done: the search shards of each
/// language.
extension Pipeline {
    /// One language's search shards: each taken over from the current site when the cache
    /// says it would come out the same, assembled otherwise from the fresh fragments of the
    /// phases made in this build and from slices of the old shards for the phases reused.
    /// Records where each phase's entries now lie.
    static func searchIndex(_ language: Language, results: inout [PhaseResult], sink: some OutputSink,
                            cache: BuildCache?, bag: inout DiagnosticBag) {
        let code = language.code
        var oldShards: [String: Data] = [:]
        for shard in 0..<SearchIndex.shardCount(phases: results.count) {
            let members = SearchIndex.members(of: shard, phases: results.count)
            let path = SearchIndex.shardPath(language, shard)
            if let cache, cache.reusesShard(shard, members: members, code: code, results: results), sink.reuse(path) {
                continue // its phases keep their places
            }
            var fragments: [Data] = []
            for index in members {
                if let fresh = results[index].searchFragments[code] {
                    fragments.append(fresh)
                    continue
                }
                guard let site = cache?.site, let place = results[index].record?.search[code] else {
                    fragments.append(Data())
                    continue
                }
                let oldPath = SearchIndex.shardPath(language, place.shard)
                if oldShards[oldPath] == nil { oldShards[oldPath] = site.shard(oldPath) }
                guard let old = oldShards[oldPath], place.range.upperBound <= old.count else {
                    bag.error(.file("\(ProjectLayout.site)/\(oldPath)"), "the site changed while quizdoc was building; build again")
                    return
                }
                fragments.append(old[place.range])
            }
            let script = SearchIndex.shard(shard, fragments)
            do {
                try sink.site(OutputFile(path: path, contents: script.contents))
            } catch {
                bag.error(.file(ProjectLayout.output), "\(error)")
                return
            }
            for (offset, index) in members.enumerated() {
                results[index].record?.search[code] = SearchIndex.Place(shard: shard, range: script.ranges[offset])
            }
        }
    }
}
