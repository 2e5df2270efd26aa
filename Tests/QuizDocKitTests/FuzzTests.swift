import Foundation
import Testing
@testable import QuizDocKit

/// Throws random and mutated YAML at load → mirror → render and asserts that nothing crashes
/// (a crash ends the test run) and no input takes long. `make test` runs a short, fixed-seed
/// pass; `make fuzz` runs longer (QUIZDOC_FUZZ_SECONDS, QUIZDOC_FUZZ_SEED).
@Suite struct FuzzTests {
    static let tokens: [String] = [
        "&a ", "*a", "!!str ", "!custom ", "? ", "- ", "{", "}", "[", "]", "\"", "'", "\t", "\r\n", "\0", "\u{FEFF}",
        ":", ": ", "#", "---\n", "...\n", "%YAML 1.1\n", "<script>", "</details>", "[x](javascript:alert(1))",
        "|", "|-\n", ">", String(repeating: ">", count: 300), String(repeating: "[", count: 300), String(repeating: "_a", count: 300),
        "![[]()", "99999999999999999999999", "0o17", "12:30", "yes", "~", "null", "\u{301}", "é", "\u{1F600}",
        "\n  ", "\n    - ", "en: ", "es: ", "kind: free", "correct: [1, 2]", "choices: []", "id: q-07-99",
        "|a|b|\n|-|-|\n", "```\n", "<kbd>", "&#106;", "\\", "\\u0000",
        // Inside double-quoted texts: blocks a text could leave open, or merge with the next.
        "\\n\\n```", "\\n\\n~~~~", "\\n\\n1. x", "\\n\\n2) y", "\\n===", "\\n---", "\\n\\n- z", "\\n\\n> q",
        "\\r", "\\e", "\\u202E", "\\u2066", "<sub>", "</sub>", "\\n\\n    code", "\\n\\n|a|\\n|-|",
    ]

    static var seeds: [String] {
        // Double-quoted texts, where escaped line breaks make blocks.
        let quoted = validQuiz().replacingOccurrences(of: "A prompt.", with: "\"A prompt.\"")
            .replacingOccurrences(of: "{en: Because.", with: "{en: \"Because.\"").replacingOccurrences(of: "{en: One", with: "{en: \"One\"")
        var seeds = [validQuiz(), quoted, MirrorTests.fixture.replacingOccurrences(of: "phase: 3", with: "phase: 7")
                        .replacingOccurrences(of: "q-03-", with: "q-07-")]
        if let shipped = try? String(contentsOf: repositoryRoot.appendingPathComponent("data/quizzes/phase-26-quantization.yaml"), encoding: .utf8) {
            seeds.append(shipped.replacingOccurrences(of: "phase: 26", with: "phase: 7").replacingOccurrences(of: "q-26-", with: "q-07-"))
        }
        return seeds
    }

    static func mutate(_ input: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + Int(random.next() % 4)) {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
            switch random.next() % 6 {
            case 0 where !bytes.isEmpty:
                bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 1 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int(random.next() % 40))
                bytes.removeSubrange(position..<end)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int(random.next() % 80))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            case 3:
                bytes = Array(bytes.prefix(position))
            default:
                let token = tokens[Int(random.next() % UInt64(tokens.count))]
                bytes.insert(contentsOf: Array(token.utf8), at: position)
            }
        }
        return bytes
    }

    /// The mirror, rendered whole by cmark-gfm, has the structure of the page: one `h2` and
    /// one `<details>` per question, and exactly the headings, list items, code blocks,
    /// tables and quotes of the page's texts (plus the mirror's own heading and note), so no
    /// text swallowed, continued or turned into a heading what followed it.
    static func structureDifference(_ quiz: Quiz, _ language: Language, _ languages: [Language]) -> String? {
        let mirror = Markdown.renderTrusted(MirrorPage.format(quiz, in: language, languages: languages))
        var formatter = PageFormatter(language: language)
        let page = quiz.questions.map { formatter.question(LocalizedQuestion($0, in: language)) }
            .map { $0.title + $0.body + $0.answer }.joined()
        func count(_ tag: String, in html: String) -> Int { html.components(separatedBy: tag).count - 1 }
        let questions = quiz.questions.count
        let expected: [(String, Int)] = [
            ("<h1", 1), ("<h2", questions), ("<details", questions), ("<blockquote", 1),
            ("<h3", 0), ("<h4", 0), ("<h5", 0), ("<h6", 0), ("<li", 0), ("<pre", 0), ("<table", 0),
        ]
        for (tag, own) in expected {
            let (inMirror, inPage) = (count(tag, in: mirror), count(tag, in: page) + own)
            if inMirror != inPage { return "\(language.code) mirror has \(inMirror) \(tag)>, its page \(inPage)" }
        }
        return nil
    }

    @Test func randomAndMutatedInputNeverCrashesOrHangs() throws {
        let environment = ProcessInfo.processInfo.environment
        let seconds = Double(environment["QUIZDOC_FUZZ_SECONDS"] ?? "") ?? 4
        var random = SplitMix(seed: UInt64(environment["QUIZDOC_FUZZ_SEED"] ?? "") ?? 2026)
        let languages = repositoryLanguages()
        let name = try #require(QuizFileName("phase-07-fuzz.yaml"))
        let seeds = Self.seeds.map { Array($0.utf8) }
        let start = Date()
        var runs = 0, loaded = 0, built = 0, slowest = 0.0
        while Date().timeIntervalSince(start) < seconds {
            let input = random.next() % 10 == 0
                ? (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                : Self.mutate(seeds[Int(random.next() % UInt64(seeds.count))], &random)
            let began = Date()
            var bag = DiagnosticBag()
            if let quiz = QuizLoader.parse(input, name: name, path: "data/quizzes/phase-07-fuzz.yaml", languages: languages, bag: &bag) {
                loaded += 1
                let course = Pipeline.Course(languages: languages, summaries: [Pipeline.summary(of: quiz, fingerprints: quiz.questions.map(\.fingerprint), languages: languages, bag: &bag)],
                                             builder: nil, sink: nil, cache: nil)
                let outputs = Pipeline.outputs(quiz, at: 0, in: course)
                if !bag.hasErrors, !outputs.result.diagnostics.contains(where: { $0.severity == .error }) {
                    built += 1
                    for language in languages {
                        let problem = Self.structureDifference(quiz, language, languages)
                        #expect(problem == nil, "\(problem ?? ""): \(String(decoding: input.prefix(4000), as: UTF8.self))")
                    }
                }
            }
            let elapsed = Date().timeIntervalSince(began)
            slowest = max(slowest, elapsed)
            #expect(elapsed < 5, "an input took \(elapsed) s: \(String(decoding: input.prefix(200), as: UTF8.self))")
            #expect(bag.diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 })
            runs += 1
        }
        print("fuzz: \(runs) inputs (\(loaded) valid quizzes, \(built) built and their mirrors' structure checked) in \(String(format: "%.1f", seconds)) s, slowest \(String(format: "%.3f", slowest)) s")
        #expect(runs > 0)
    }
}
