import Foundation
import Testing
import Yams
import YAMLReader

/// The one-pass reader against Yams's composer (`Yams.compose`, libyaml's own tree) over
/// the shipped quiz files and thousands of mutations of them: where both accept, the same
/// tree (keys and their order, scalar texts, plain or quoted, line and column); where only
/// the reader refuses, the reason is one of the features it refuses on purpose.
@Suite struct DifferentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let tokens = [
        "&a ", "*a", "!!str ", "!custom ", "? ", "- ", "{", "}", "[", "]", "\"", "'", "\t", "\n", ":", ": ", "#",
        "---\n", "...\n", "%YAML 1.1\n", "|", "|-\n", ">", "~", "null", "yes", "0o17", "12:30", "é", "\n  ", "\n    - ",
        "en: ", "es: ", "- {en: a, es: b}\n", "<<: ", "\\", "\"\\u00e9\"",
    ]

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

    /// The same tree, or the first difference.
    static func difference(_ ours: YAMLReader.YAMLNode, _ theirs: Yams.Node) -> String? {
        let mark = theirs.mark.map { ($0.line, $0.column) }
        if let mark, mark != (ours.line, ours.column) {
            return "position \(ours.line):\(ours.column) against \(mark.0):\(mark.1)"
        }
        switch (ours.content, theirs) {
        case let (.scalar(text, plain), .scalar(scalar)):
            if text != scalar.string { return "scalar '\(text)' against '\(scalar.string)'" }
            if plain != (scalar.style == .plain) { return "scalar '\(text)' plain: \(plain)" }
            return nil
        case let (.sequence(items), .sequence(sequence)):
            guard items.count == sequence.count else { return "sequence of \(items.count) against \(sequence.count)" }
            return zip(items, sequence).lazy.compactMap { difference($0, $1) }.first
        case let (.mapping(pairs), .mapping(mapping)):
            let theirPairs = Array(mapping)
            guard pairs.count == theirPairs.count else { return "mapping of \(pairs.count) against \(theirPairs.count)" }
            for (pair, their) in zip(pairs, theirPairs) {
                if let found = difference(pair.key, their.key) ?? difference(pair.value, their.value) { return found }
            }
            return nil
        default:
            return "\(ours.content) against \(theirs)"
        }
    }

    /// What the reader refuses on purpose, though YAML allows it.
    static func isDeliberate(_ kind: YAMLProblem.Kind) -> Bool {
        switch kind {
        case .anchor, .alias, .tag, .complexKey, .duplicateKey, .tooDeep, .secondDocument, .empty: true
        case .unclosedQuote, .syntax: false
        }
    }

    @Test func sameTreesAsYamsOverMutatedQuizzes() throws {
        let folder = Self.root.appendingPathComponent("data/quizzes")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            Array(try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8).utf8)
        }
        #expect(!seeds.isEmpty)
        var random = Random(state: 53)
        var bothAccepted = 0, onlyReaderRefused = 0, bothRefused = 0
        for round in 0..<3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(round == 0 ? 0 : 1 + random.next(3)) {
                let at = random.next(bytes.count)
                switch random.next(4) {
                case 0: bytes.removeSubrange(at..<min(bytes.count, at + random.next(30)))
                case 1: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + random.next(60))], at: at)
                default: bytes.insert(contentsOf: Array(Self.tokens[random.next(Self.tokens.count)].utf8), at: at)
                }
            }
            guard let text = String(validating: bytes, as: UTF8.self), !text.contains("\r") else { continue }
            let theirs = try? Yams.compose(yaml: text)
            switch YAMLComposer.compose(text, maxDepth: 16) {
            case .success(let ours):
                let tree = try #require(theirs, "round \(round): the reader accepted what Yams refuses")
                #expect(Self.difference(ours, tree) == nil, "round \(round)")
                bothAccepted += 1
            case .failure(let refusal):
                if theirs != nil {
                    #expect(refusal.problems.allSatisfy { Self.isDeliberate($0.kind) },
                            "round \(round): refused for \(refusal.problems) where Yams accepts")
                    onlyReaderRefused += 1
                } else {
                    bothRefused += 1
                }
            }
        }
        print("YAML differential: \(bothAccepted) same trees, \(onlyReaderRefused) refused on purpose, \(bothRefused) refused by both")
        #expect(bothAccepted > 500 && onlyReaderRefused > 0)
    }

    @Test(arguments: [
        ("a: &x 1\nb: *x\n", "anchor"), ("a: !!str 1\n", "tag"), ("? [a]\n: 1\n", "complex"),
        ("a: 1\nb: 2\na: 3\n", "duplicate"), ("a: 1\n---\nb: 2\n", "second"),
        (String(repeating: "- ", count: 20) + "x\n", "deep"), ("# only a comment\n", "empty"),
    ])
    func refusedOnPurposeAtTheirPlace(_ text: String, _ what: String) {
        guard case .failure(let refusal) = YAMLComposer.compose(text, maxDepth: 16) else {
            Issue.record("\(what) was accepted")
            return
        }
        #expect(refusal.problems.allSatisfy { Self.isDeliberate($0.kind) && $0.line >= 1 && $0.column >= 1 }, "\(refusal)")
    }
}
