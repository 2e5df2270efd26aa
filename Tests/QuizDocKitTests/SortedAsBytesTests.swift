@testable import QuizDocKit
import Testing

/// Orders made over bytes agree with the standard library's: `sortedAsBytes` orders as
/// `sorted()` does (by numbers made of the first sixteen bytes of ASCII strings, by all their
/// bytes past those, and as strings otherwise), a translation lock's keys as their names do.
struct SortedAsBytesTests {
    @Test func asciiStringsInTheStandardOrder() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab-/.09yz~ ".utf8)
        for round in 0..<300 {
            // Prefixes shared past the sixteen bytes compared as numbers, and none; strings
            // shorter and longer than those bytes, empty ones, repeated ones.
            let prefix = String(repeating: "docs-out/quizzes/", count: round % 3)
            var strings = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                prefix + String(decoding: (0..<Int.random(in: 0...24, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator)!
                }, as: UTF8.self)
            }
            strings += strings.prefix(3)
            let sorted = strings.sorted()
            #expect(strings.sortedAsBytes() == sorted, "\(strings)")
        }
    }

    @Test func otherStringsInTheStandardOrder() {
        // A precomposed and a decomposed "é", which the standard order holds equal.
        let strings = ["z", "e\u{301}z", "éa", "ea", "E", "phase-10.yaml", "phase-1é.yaml"]
        #expect(strings.sortedAsBytes() == strings.sorted())
    }

    /// A translation lock's keys sort as their names' tuples do, compared as strings: names
    /// that share prefixes, differ only in length, or are empty.
    @Test func lockKeysInTheStandardOrder() {
        var generator = SystemRandomNumberGenerator()
        let names = ["", "-", "q", "q-1", "q-10", "q-1-2", "choice-1", "choice-10", "choice-2", "en", "es", "e", "phase-07-a", "phase-07"]
        for _ in 0..<200 {
            let keys = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
                TranslationLock.Key(phase: names.randomElement(using: &generator)!, question: names.randomElement(using: &generator)!,
                                    field: names.randomElement(using: &generator)!, language: names.randomElement(using: &generator)!)
            }
            let expected = keys.sorted { ($0.phase, $0.question, $0.field, $0.language) < ($1.phase, $1.question, $1.field, $1.language) }
            #expect(keys.sorted() == expected)
        }
    }
}

/// A permutation applied in place, by moving the elements, puts every element where the
/// same permutation applied by copying into a new array would.
struct PermuteTests {
    @Test func swapsPutEveryElementWhereACopyWould() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 3, 7, 64, 1000] {
            let original = (0..<count).map { "element \($0)" }
            for _ in 0..<20 {
                let sources = Array(original.indices).shuffled(using: &generator)
                var permuted = original
                permuted.permute(to: sources)
                #expect(permuted == sources.map { original[$0] }, "\(sources)")
            }
        }
    }
}

/// An array's or a slice's `joined` (QuizDocKit's, which stands in for the standard library's generic one)
/// makes what the standard library's makes, whatever the strings and the separator.
struct JoinedTests {
    private func standardJoined(_ strings: some BidirectionalCollection<String>, _ separator: String) -> String {
        strings.joined(separator: separator)
    }

    @Test func joinsAsTheStandardLibrary() {
        let pieces = ["", "a", "phase-01", "é", "e\u{301}", "日本語", "🙂 two", String(repeating: "long text ", count: 8)]
        var generator = SystemRandomNumberGenerator()
        for separator in ["", " ", ", ", "\n\n", "·"] {
            for count in 0..<6 {
                for _ in 0..<20 {
                    let strings = (0..<count).map { _ in pieces.randomElement(using: &generator)! }
                    let joined = strings.joined(separator: separator)
                    #expect(joined == standardJoined(strings, separator), "\(strings)")
                    #expect(Array(joined.utf8) == Array(standardJoined(strings, separator).utf8))
                }
            }
        }
        #expect(["a", "b"].joined() == "ab")
        #expect(["x", "a", "é", "b"].dropFirst().joined(separator: ", ") == "a, é, b")
        #expect(["", ""].joined() == "" && ["", "", ""].joined(separator: "") == "" && ["", ""].joined(separator: ",") == ",")
    }
}
