@testable import QuizDocKit
import Testing

/// `sortedAsBytes` orders as `sorted()` does: by numbers made of the first sixteen bytes of
/// ASCII strings, by all their bytes past those, and as strings otherwise.
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
}
