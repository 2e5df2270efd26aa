import Foundation
import Testing
import TextDiff

/// The unified diff against GNU `diff -u` and `patch` themselves, on random edits of the
/// repository's real mirrors: `patch` turns the old text into the new one with our diff, the
/// diff changes as few lines as GNU's (both are shortest scripts), and most come out byte
/// for byte the same. Where several shortest scripts exist (a blank line inserted among
/// blank lines), GNU's divide-and-conquer search may pick another one than Myers' forward
/// search; boundary shifting (as GNU does it) makes most such ties come out alike.
@Suite struct UnifiedDiffTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// SplitMix64: the same edits on every machine.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
        }
    }

    static func gnuDiff(_ old: String, _ new: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("textdiff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try old.write(to: folder.appendingPathComponent("a"), atomically: true, encoding: .utf8)
        try new.write(to: folder.appendingPathComponent("b"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-u", "a", "b"]
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// `patch` applied to `old` with `diff`.
    static func patched(_ old: String, with diff: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("textdiff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a")
        try old.write(to: file, atomically: true, encoding: .utf8)
        try diff.write(to: folder.appendingPathComponent("d.patch"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/patch")
        process.arguments = ["--quiet", "--force", "a", "d.patch"]
        process.currentDirectoryURL = folder
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(diff)")
        return try String(contentsOf: file, encoding: .utf8)
    }

    static func changedLines(_ diff: String) -> (deleted: Int, inserted: Int) {
        let lines = diff.split(separator: "\n").dropFirst(2)
        return (lines.filter { $0.hasPrefix("-") }.count, lines.filter { $0.hasPrefix("+") }.count)
    }

    static func body(_ diff: String) -> String {
        diff.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
    }

    @Test func randomEditsOfRealMirrorsMatchGNUDiff() throws {
        let folder = Self.root.appendingPathComponent("docs-out/quizzes")
        let mirrors = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }
        #expect(!mirrors.isEmpty)
        var random = Random(state: 2026)
        var compared = 0, identical = 0
        for round in 0..<150 {
            let old = mirrors[round % mirrors.count]
            var lines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.removeLast() // the final newline
            for _ in 0..<(1 + random.next(6)) {
                let at = random.next(lines.count)
                switch random.next(5) {
                case 0: lines.remove(at: at)
                case 1: lines.insert("inserted line \(random.next(1000))", at: at)
                case 2: lines[at] = lines[at] + " (edited)"
                case 3: lines.insert(lines[random.next(lines.count)], at: at) // a duplicate line
                default: lines.removeSubrange(at..<min(lines.count, at + random.next(8)))
                }
            }
            let new = lines.joined(separator: "\n") + "\n"
            let ours = UnifiedDiff.make(from: old, to: new, oldName: "a", newName: "b")
            let gnu = try Self.gnuDiff(old, new)
            if old == new {
                #expect(ours == "--- a\n+++ b\n")
            } else {
                #expect(try Self.patched(old, with: ours) == new, "round \(round)")
            }
            #expect(Self.changedLines(ours) == Self.changedLines(gnu), "round \(round)")
            if Self.body(ours) == Self.body(gnu) { identical += 1 }
            compared += 1
        }
        print("unified diff: \(identical) of \(compared) random edits byte-identical to GNU diff -u")
        #expect(identical >= compared * 9 / 10)
        #expect(compared == 150)
    }

    @Test func identicalTextsHaveNoHunks() {
        #expect(UnifiedDiff.make(from: "a\nb\n", to: "a\nb\n", oldName: "x", newName: "y") == "--- x\n+++ y\n")
    }

    @Test func fromAndToNothing() throws {
        let text = "one\ntwo\n"
        #expect(Self.body(UnifiedDiff.make(from: "", to: text, oldName: "a", newName: "b")) == Self.body(try Self.gnuDiff("", text)))
        #expect(Self.body(UnifiedDiff.make(from: text, to: "", oldName: "a", newName: "b")) == Self.body(try Self.gnuDiff(text, "")))
    }

    /// Two long texts that differ in one line: Myers keeps a frontier per edit, so this is
    /// instant where the old LCS table needed n·m cells (2.5 billion here).
    @Test func nearIdenticalLongTextsAreCheap() {
        let lines = (0..<50_000).map { "line \($0)" }
        var changed = lines
        changed[25_000] = "changed"
        let diff = UnifiedDiff.make(from: lines.joined(separator: "\n") + "\n", to: changed.joined(separator: "\n") + "\n",
                                    oldName: "a", newName: "b")
        #expect(diff.contains("@@ -24998,7 +24998,7 @@\n line 24997\n line 24998\n line 24999\n-line 25000\n+changed\n"))
    }
}
