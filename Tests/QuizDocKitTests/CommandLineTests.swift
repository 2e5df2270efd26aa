import ArgumentParser
import Foundation
import QuizDocCommandLine
import Testing

/// What the programs print besides diagnostics.
@Suite struct CommandLineTests {
    /// The seconds a build reports: two decimals, the nearest hundredth (a tie either way).
    @Test func secondsAreWrittenToTheNearestHundredth() {
        var generator = SystemRandomNumberGenerator()
        let chosen: [Double] = [0, 0.004, 0.005, 0.0051, 0.015, 0.125, 0.375, 0.995, 0.999, 1, 1.005, 2.675, 9.995, 59.999, 123.456]
        let random = (0..<20_000).map { _ in Double.random(in: 0..<100, using: &generator) }
        #expect(secondsText(0) == "0.00")
        #expect(secondsText(0.04) == "0.04")
        #expect(secondsText(1.2) == "1.20")
        #expect(secondsText(59.999) == "60.00")
        #expect(secondsText(123.456) == "123.46")
        for seconds in chosen + random {
            let text = secondsText(seconds)
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 2 && parts[1].count == 2 && parts.allSatisfy { $0.allSatisfy(\.isNumber) }, "\(text)")
            #expect(abs(Double(text)! - seconds) <= 0.005 + 1e-9, "\(seconds) → \(text)")
            // Off printf's only at a tie, by one hundredth.
            #expect(abs(Double(text)! - Double(String(format: "%.2f", seconds))!) < 0.0101, "\(seconds) → \(text)")
        }
    }

    /// `quizdoc build` and `check` read their usual flags without ArgumentParser: whenever
    /// they read any, the values ArgumentParser reads; nil (ArgumentParser then parses and
    /// reports) for anything else.
    @Test func flagsReadWithoutArgumentParserAreTheOnesItReads() {
        let usual: [[String]] = [
            [], ["--strict"], ["--root", "course"], ["--root=course"], ["--root", "my course", "--strict"],
            ["--base-url", "https://example.org/course/", "--edit-url=https://example.org/edit/", "--root", "a=b"],
        ]
        for arguments in usual {
            #expect(CommonSettings(quickParsing: arguments) != nil, "\(arguments)")
        }
        #expect(CommonSettings(quickParsing: ["--root=a=b", "--strict"]) == CommonSettings(root: "a=b", strict: true))
        // Help, repeats, unknown flags, a value that looks like a flag, bad values, `--`.
        let others: [[String]] = [
            ["--help"], ["-h"], ["--version"], ["--strict", "--strict"], ["--root", "a", "--root", "b"], ["--rooty", "a"],
            ["--root", "-a"], ["--root"], ["--root="], ["--strict=yes"], ["--base-url", "ftp://example.org/"], ["--", "a"], ["a"],
        ]
        for arguments in others {
            #expect(CommonSettings(quickParsing: arguments) == nil, "\(arguments)")
        }
        // Random arguments from the words above: each one read quickly is read the same by
        // ArgumentParser (which accepts it).
        let words = ["--root", "--root=x", "x", "--strict", "--strict=1", "--base-url", "https://example.org/c/",
                     "--base-url=https://example.org/", "--edit-url", "ftp://example.org/", "", "-x", "--", "--help",
                     "--version", "--root=", "a=b", "--rooty", "\u{1}", "build"]
        var generator = SystemRandomNumberGenerator()
        var quick = 0
        for _ in 0..<2_000 {
            let arguments = (0..<Int.random(in: 0...5, using: &generator)).map { _ in words.randomElement(using: &generator)! }
            guard let settings = CommonSettings(quickParsing: arguments) else { continue }
            quick += 1
            #expect((try? CommonOptions.parse(arguments).settings) == settings, "\(arguments)")
        }
        #expect(quick > 80)
    }
}
