import Foundation
import Testing
import Yams
@testable import YAMLReader

/// The fast reader against libyaml: over generated documents of the subset (block scalars
/// of every chomping, folding and indentation, quoted and flow scalars, comments, blank
/// lines, compact and indentless sequences) and thousands of mutations of them and of the
/// shipped files, it either declines or reads exactly libyaml's tree. It must not decline
/// the shipped files.
@Suite struct SimpleYAMLTests {
    typealias Random = DifferentialTests.Random

    static let shipped: [(name: String, text: String)] = {
        let root = DifferentialTests.root
        return ["data/quizzes", "templates/strings"].flatMap { folder in
            let url = root.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            return names.filter { $0.hasSuffix(".yaml") }.sorted().map {
                ("\(folder)/\($0)", (try? String(contentsOf: url.appendingPathComponent($0), encoding: .utf8)) ?? "")
            }
        }
    }()

    /// Nil when the fast reader declines or agrees with libyaml; otherwise what differs.
    static func disagreement(_ text: String) -> String? {
        guard let fast = SimpleYAML.compose(text, maxDepth: 16) else { return nil }
        guard case .success(let slow) = YAMLComposer.composeWithLibyaml(text, maxDepth: 16) else {
            return "accepted what libyaml refuses"
        }
        if fast.isSameTree(as: slow) { return nil }
        guard let yams = try? Yams.compose(yaml: text) else { return "different tree (Yams refuses)" }
        return DifferentialTests.difference(fast, yams) ?? "different tree"
    }

    @Test func readsTheShippedFilesItself() throws {
        #expect(Self.shipped.count >= 4)
        for (name, text) in Self.shipped {
            #expect(!text.isEmpty, "\(name)")
            #expect(SimpleYAML.compose(text, maxDepth: 16) != nil, "\(name) fell back to libyaml")
            #expect(Self.disagreement(text) == nil, "\(name)")
        }
    }

    @Test func sameTreesAsLibyamlOnGeneratedDocuments() {
        var random = Random(state: 7)
        var valid = 0, read = 0
        for round in 0..<3000 {
            let text = Self.document(&random)
            if let problem = Self.disagreement(text) {
                Issue.record("round \(round): \(problem)\n\(text)")
                return
            }
            guard case .success = YAMLComposer.composeWithLibyaml(text, maxDepth: 16) else { continue }
            valid += 1
            if SimpleYAML.compose(text, maxDepth: 16) != nil { read += 1 }
        }
        print("SimpleYAML: read \(read) of the \(valid) valid generated documents itself")
        #expect(valid > 1000 && read == valid)
    }

    static let tokens = [
        "|", "|-\n", "|+\n", ">", ">-\n", ">+\n", "|2\n", "\n\n", "\n", "  ", " ", "- ", "-", "'", "''", "\"", "\\n", "\\\"",
        "\\u00e9", "{a: b}", "[a, b]", "[", "]", "{", "}", ",", " #c", "#", ":", ": ", "é", "😀", "\u{85}", "\u{2028}", "\u{FEFF}",
        "\n  x", "\n      more", "\n- ", "\n  - ", "key: ", "\n---\n", "...", "&a ", "*a", "!t ", "?", "\t", "\r",
    ]

    @Test func declinesOrAgreesOnMutations() {
        var seeds = Self.shipped.map { Array($0.text.utf8) }
        var generator = Random(state: 11)
        for _ in 0..<40 { seeds.append(Array(Self.document(&generator).utf8)) }
        var random = Random(state: 29)
        var read = 0, declined = 0
        for round in 0..<4000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + random.next(3)) {
                let at = random.next(bytes.count)
                switch random.next(4) {
                case 0: bytes.removeSubrange(at..<min(bytes.count, at + random.next(30)))
                case 1: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + random.next(60))], at: at)
                default: bytes.insert(contentsOf: Array(Self.tokens[random.next(Self.tokens.count)].utf8), at: at)
                }
            }
            guard let text = String(validating: bytes, as: UTF8.self) else { continue }
            if let problem = Self.disagreement(text) {
                Issue.record("round \(round): \(problem)\n\(text)")
                return
            }
            if SimpleYAML.compose(text, maxDepth: 16) != nil { read += 1 } else { declined += 1 }
        }
        print("SimpleYAML mutations: read \(read), declined \(declined)")
        #expect(read > 500 && declined > 500)
    }

    @Test(arguments: [
        "a: 1\nb: 2\na: 3\n", "a: &x 1\n", "a: *x\n", "a: !t 1\n", "a:\nb: 1\n", "a: b\n  c\n", "a: 'b\n  c'\n",
        "a: [b,\n  c]\n", "---\na: 1\n", "a: 1\n...\n", "a:\tb\n", "a: 1\r\n", "a: |2\n   b\n", "\u{FEFF}a: 1\n",
        String(repeating: "- ", count: 17) + "x\n", "a: \"\\x41\"\n", "a: b: c\n", "? a\n: b\n", "",
    ])
    func declinesWhatIsOutsideTheSubset(_ text: String) {
        #expect(SimpleYAML.compose(text, maxDepth: 16) == nil)
    }

    /// From bytes, the reader is also the UTF-8 check: it reads a value of any well-formed
    /// sequence, and declines every ill-formed one (overlong forms, surrogates, past
    /// U+10FFFF, cut short, a stray continuation byte), as `String(validating:)` judges them.
    @Test func readsBytesOnlyWhenTheyAreUTF8() {
        func read(_ value: [UInt8]) -> YAMLNode? {
            YAMLComposer.composePlain(Array("a: x".utf8) + value + Array("y\nb: 1\n".utf8), maxDepth: 16)
        }
        for valid in ["é", "ñ", "€", "✓", "😀", "\u{10FFFF}", "\u{FFFD}", "\u{E000}", "\u{D7FF}"] {
            #expect(read(Array(valid.utf8)) != nil, "\(valid.unicodeScalars.map { $0.value })")
        }
        let invalid: [[UInt8]] = [[0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xC3], [0xE0, 0x80, 0xAF], [0xE0, 0x9F, 0xBF],
                                  [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE2, 0x82], [0xF0, 0x8F, 0xBF, 0xBF],
                                  [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xF0, 0x9F, 0x98], [0xC3, 0xC3, 0xA9]]
        for bytes in invalid { #expect(read(bytes) == nil, "\(bytes)") }
        // Every pair and triple of bytes from a set around the boundaries: read exactly when valid.
        let edges: [UInt8] = [0x41, 0x7E, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5]
        for a in edges { for b in edges { for c in edges {
            let value = [a, b, c]
            // Refused characters (C1 controls, separators, non-characters) decline though valid.
            let text = String(validating: value, as: UTF8.self)
            let refused: Set<UInt32> = [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF]
            let plain = text.map { $0.unicodeScalars.allSatisfy { ($0.value >= 0xA0 && !refused.contains($0.value)) || ($0.value >= 0x20 && $0.value < 0x7F) } } ?? false
            if text == nil { #expect(read(value) == nil, "\(value)") }
            if plain { #expect(read(value) != nil, "\(value)") }
        } } }
    }

    // MARK: A generator of documents in the subset

    static func document(_ random: inout Random) -> String {
        var lines: [String] = []
        if random.next(3) == 0 { lines.append("# a comment") }
        block(&lines, indent: 0, depth: 1, &random)
        if random.next(3) == 0 { lines.append(random.next(2) == 0 ? "" : "  # trailing") }
        return lines.joined(separator: "\n") + (random.next(5) == 0 ? "" : "\n")
    }

    static let inlineValues = [
        "plain words", "std::vector<int>", "a#b", "a, b and [c]", "ends with spaces   ", "Ünïcode ✓ — ñ", "😀 emoji 🇪🇸",
        "\"double \\\" \\\\ \\n \\t quoted\"", "\"\"", "'it''s single'", "''", "[a, 'b c', \"d\", [e, f]]", "{en: a, es: [b, c]}",
        "[]", "{ }", "[ x ,y ]", "12:30", "no", "0o17", "x # comment", "\"q\" # comment", "{k: {k2: v}}", "~", "null",
    ]

    static func block(_ lines: inout [String], indent: Int, depth: Int, _ random: inout Random) {
        let pad = String(repeating: " ", count: indent)
        if random.next(3) == 0 {
            for item in 0..<(1 + random.next(3)) {
                value(&lines, prefix: pad + "-", indent: indent, depth: depth, indentless: false, &random, compactKey: "k\(item)")
            }
        } else {
            for key in 0..<(1 + random.next(4)) {
                value(&lines, prefix: pad + ["en", "es", "id", "a-b", "x_1", "k.2"][key % 6] + "\(key):", indent: indent,
                      depth: depth, indentless: true, &random, compactKey: nil)
            }
        }
        if random.next(6) == 0 { lines.append(random.next(2) == 0 ? "" : pad + "# between") }
    }

    static func value(_ lines: inout [String], prefix: String, indent: Int, depth: Int, indentless: Bool,
                      _ random: inout Random, compactKey: String?) {
        switch random.next(depth > 4 ? 2 : 5) {
        case 0:
            lines.append(prefix + " " + inlineValues[random.next(inlineValues.count)])
        case 1:
            blockScalar(&lines, header: prefix + " " + ["|", ">"][random.next(2)] + ["", "-", "+"][random.next(3)]
                            + (random.next(5) == 0 ? " # header" : ""), indent: indent, &random)
        case 2 where compactKey != nil:
            lines.append(prefix + " \(compactKey!): " + inlineValues[random.next(inlineValues.count)])
            let inner = indent + 2
            if random.next(2) == 0 {
                value(&lines, prefix: String(repeating: " ", count: inner) + "more:", indent: inner, depth: depth + 1,
                      indentless: true, &random, compactKey: nil)
            }
        default:
            lines.append(prefix + (random.next(4) == 0 ? " # then" : ""))
            let deeper = indentless && random.next(3) == 0 ? indent : indent + [2, 4, 1][random.next(3)]
            if deeper == indent {
                let pad = String(repeating: " ", count: indent)
                for item in 0..<(1 + random.next(3)) {
                    value(&lines, prefix: pad + "-", indent: indent, depth: depth + 1, indentless: false, &random, compactKey: "i\(item)")
                }
            } else {
                block(&lines, indent: deeper, depth: depth + 1, &random)
            }
        }
    }

    static func blockScalar(_ lines: inout [String], header: String, indent: Int, _ random: inout Random) {
        lines.append(header)
        let content = indent + [1, 2, 4][random.next(3)]
        let pad = String(repeating: " ", count: content)
        let words = ["first", "second line", "**bold** text", "# not a comment", "key: not a key", "- not an entry", "é ✓", "x  "]
        for _ in 0..<(random.next(6)) {
            switch random.next(6) {
            case 0: lines.append("")
            case 1: lines.append(pad + "  " + words[random.next(words.count)])
            case 2: lines.append(String(repeating: " ", count: random.next(content + 3)))
            default: lines.append(pad + words[random.next(words.count)])
            }
        }
    }
}
