/// A unified diff between two texts, line by line, as `diff -u` prints it.
public enum UnifiedDiff {
    public static func make(from old: String, to new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        let edits = script(a, b)
        var out = "--- \(oldName)\n+++ \(newName)\n"
        for hunk in hunks(edits, context: context) {
            out += hunk.render(a: a, b: b)
        }
        return out
    }

    private static func lines(_ text: String) -> [Substring] {
        guard !text.isEmpty else { return [] }
        var result = text.split(separator: "\n", omittingEmptySubsequences: false)
        if text.hasSuffix("\n") { result.removeLast() }
        return result
    }

    enum Edit: Equatable { case keep(Int, Int), delete(Int), insert(Int) }

    /// The shortest edit script (Myers' O((N+M)·D) algorithm) on what remains after the
    /// common prefix and suffix, with the deletions of each change before its insertions, as
    /// `diff -u` prints them. Memory grows with D², not N·M: two near-identical mirrors of
    /// thousands of lines cost a few kilobytes.
    static func script(_ a: [Substring], _ b: [Substring]) -> [Edit] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
              a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let oldMiddle = a[prefix..<(a.count - suffix)], newMiddle = b[prefix..<(b.count - suffix)]
        var deleted = Flags(count: oldMiddle.count), inserted = Flags(count: newMiddle.count)
        for edit in myers(oldMiddle, newMiddle) {
            switch edit {
            case .delete(let i): deleted[i - prefix] = true
            case .insert(let j): inserted[j - prefix] = true
            case .keep: break
            }
        }
        // Among scripts of the same length, the one `diff` prints: changes slid together.
        shiftBoundaries(Array(oldMiddle), &deleted, inserted)
        shiftBoundaries(Array(newMiddle), &inserted, deleted)

        var edits = (0..<prefix).map { Edit.keep($0, $0) }
        var i = 0, j = 0
        while i < oldMiddle.count || j < newMiddle.count {
            if i < oldMiddle.count, deleted[i] {
                edits.append(.delete(prefix + i)); i += 1
            } else if j < newMiddle.count, inserted[j] {
                edits.append(.insert(prefix + j)); j += 1
            } else {
                edits.append(.keep(prefix + i, prefix + j)); i += 1; j += 1
            }
        }
        edits += (0..<suffix).map { Edit.keep(a.count - suffix + $0, b.count - suffix + $0) }
        return edits
    }

    /// Which lines of one text are changed, with an unchanged line before the first and
    /// after the last, so a run's neighbours can be read without bounds checks.
    struct Flags {
        private var bits: [Bool]
        init(count: Int) { bits = [Bool](repeating: false, count: count + 2) }
        subscript(index: Int) -> Bool {
            get { bits[index + 1] }
            set { bits[index + 1] = newValue }
        }
    }

    /// GNU diff's boundary shifting, so that ties between edit scripts of the same length
    /// are broken as `diff -u` breaks them: each run of changed lines slides back while the
    /// line before it equals its last line (merging with earlier runs), then forward while
    /// its first line equals the line after it (merging with later runs), and finally back to
    /// where it lines up with a run of changes in the other text, if it passed one.
    static func shiftBoundaries(_ lines: [Substring], _ changed: inout Flags, _ other: Flags) {
        let end = lines.count
        var i = 0, j = 0
        while true {
            while i < end, !changed[i] {
                while other[j] { j += 1 }
                j += 1
                i += 1
            }
            if i == end { break }
            var start = i
            i += 1
            while changed[i] { i += 1 }
            while other[j] { j += 1 }
            var corresponding = end
            var runLength = 0
            repeat {
                runLength = i - start
                while start > 0, lines[start - 1] == lines[i - 1] {
                    start -= 1; changed[start] = true
                    i -= 1; changed[i] = false
                    while changed[start - 1] { start -= 1 }
                    j -= 1
                    while other[j] { j -= 1 }
                }
                corresponding = other[j - 1] ? i : end
                while i != end, lines[start] == lines[i] {
                    changed[start] = false; start += 1
                    changed[i] = true; i += 1
                    while changed[i] { i += 1 }
                    j += 1
                    while other[j] { corresponding = i; j += 1 }
                }
            } while runLength != i - start
            while corresponding < i {
                start -= 1; changed[start] = true
                i -= 1; changed[i] = false
                j -= 1
                while other[j] { j -= 1 }
            }
        }
    }

    /// Myers' greedy forward search, keeping each round's frontier to walk back the path.
    private static func myers(_ a: ArraySlice<Substring>, _ b: ArraySlice<Substring>) -> [Edit] {
        let n = a.count, m = b.count
        guard n > 0 || m > 0 else { return [] }
        let offset = n + m + 1
        var frontier = [Int](repeating: 0, count: 2 * offset + 1)
        var trace: [[Int]] = []
        search: for d in 0...(n + m) {
            // Only diagonals -d...d matter in round d: keep that window of the frontier.
            trace.append(Array(frontier[(offset - d)...(offset + d)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x = k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1])
                    ? frontier[offset + k + 1]
                    : frontier[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[a.startIndex + x] == b[b.startIndex + y] { x += 1; y += 1 }
                frontier[offset + k] = x
                if x >= n, y >= m { break search }
            }
        }
        // Walk back from (n, m) through the saved frontiers.
        var edits: [Edit] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let saved = trace[d]
            func at(_ k: Int) -> Int { saved[k + d] }
            let k = x - y
            guard d > 0 else {
                while x > 0 { x -= 1; y -= 1; edits.append(.keep(a.startIndex + x, b.startIndex + y)) }
                break
            }
            let down = k == -d || (k != d && at(k - 1) < at(k + 1))
            let previousK = down ? k + 1 : k - 1
            let previousX = at(previousK)
            let previousY = previousX - previousK
            while x > previousX + (down ? 0 : 1), y > previousY + (down ? 1 : 0) {
                x -= 1; y -= 1
                edits.append(.keep(a.startIndex + x, b.startIndex + y))
            }
            if down {
                y -= 1; edits.append(.insert(b.startIndex + y))
            } else {
                x -= 1; edits.append(.delete(a.startIndex + x))
            }
        }
        return edits.reversed()
    }

    struct Hunk {
        var edits: ArraySlice<Edit>

        func render(a: [Substring], b: [Substring]) -> String {
            var oldStart = 0, newStart = 0, oldCount = 0, newCount = 0
            var body = ""
            for (index, edit) in edits.enumerated() {
                switch edit {
                case let .keep(i, j):
                    if index == 0 { oldStart = i; newStart = j }
                    oldCount += 1; newCount += 1; body += " \(a[i])\n"
                case let .delete(i):
                    if index == 0 { oldStart = i; newStart = nextNew(after: index) }
                    oldCount += 1; body += "-\(a[i])\n"
                case let .insert(j):
                    if index == 0 { newStart = j; oldStart = nextOld(after: index) }
                    newCount += 1; body += "+\(b[j])\n"
                }
            }
            func range(_ start: Int, _ count: Int) -> String {
                count == 1 ? "\(start + 1)" : "\(count == 0 ? start : start + 1),\(count)"
            }
            return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n" + body
        }

        private func nextNew(after index: Int) -> Int {
            for edit in edits.dropFirst(index) {
                if case let .keep(_, j) = edit { return j }
                if case let .insert(j) = edit { return j }
            }
            return edits.reduce(0) { if case let .keep(_, j) = $1 { return j + 1 }; return $0 }
        }

        private func nextOld(after index: Int) -> Int {
            for edit in edits.dropFirst(index) {
                if case let .keep(i, _) = edit { return i }
                if case let .delete(i) = edit { return i }
            }
            return edits.reduce(0) { if case let .keep(i, _) = $1 { return i + 1 }; return $0 }
        }
    }

    /// Groups changes separated by at most `2 × context` unchanged lines into one hunk.
    static func hunks(_ edits: [Edit], context: Int) -> [Hunk] {
        let changed = edits.indices.filter { if case .keep = edits[$0] { return false }; return true }
        guard let first = changed.first else { return [] }
        var groups: [(Int, Int)] = [(first, first)]
        for index in changed.dropFirst() {
            if index - groups[groups.count - 1].1 <= 2 * context + 1 { groups[groups.count - 1].1 = index } else { groups.append((index, index)) }
        }
        return groups.map { Hunk(edits: edits[max(0, $0.0 - context)...min(edits.count - 1, $0.1 + context)]) }
    }
}
