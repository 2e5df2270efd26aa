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

    /// The shortest edit script, by LCS on what remains after the common prefix and suffix
    /// (which is all of it only when two mirrors differ everywhere).
    static func script(_ a: [Substring], _ b: [Substring]) -> [Edit] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
              a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let n = a.count - prefix - suffix, m = b.count - prefix - suffix
        // lcs[i][j]: length of the LCS of a[prefix+i...] and b[prefix+j...], row-major.
        var lcs = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        if n > 0, m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i * (m + 1) + j] = a[prefix + i] == b[prefix + j]
                        ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                        : max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1])
                }
            }
        }
        var edits = (0..<prefix).map { Edit.keep($0, $0) }
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[prefix + i] == b[prefix + j] {
                edits.append(.keep(prefix + i, prefix + j)); i += 1; j += 1
            } else if i < n, j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1] {
                edits.append(.delete(prefix + i)); i += 1
            } else {
                edits.append(.insert(prefix + j)); j += 1
            }
        }
        edits += (0..<suffix).map { Edit.keep(a.count - suffix + $0, b.count - suffix + $0) }
        return edits
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

    /// Groups changes that lie within `2 × context` lines of each other into one hunk.
    static func hunks(_ edits: [Edit], context: Int) -> [Hunk] {
        let changed = edits.indices.filter { if case .keep = edits[$0] { return false }; return true }
        guard let first = changed.first else { return [] }
        var groups: [(Int, Int)] = [(first, first)]
        for index in changed.dropFirst() {
            if index - groups[groups.count - 1].1 <= 2 * context { groups[groups.count - 1].1 = index } else { groups.append((index, index)) }
        }
        return groups.map { Hunk(edits: edits[max(0, $0.0 - context)...min(edits.count - 1, $0.1 + context)]) }
    }
}
