import Foundation
import Testing
@testable import QuizDocKit

/// `quizdoc lint`: one fixture per rule that triggers it at an exact place, one that almost
/// does and must not, suppression, and the course-wide chi-square.
@Suite struct LintTests {
    /// A quiz of one question; `question` is its YAML, indented under `questions:`.
    static func quiz(_ question: String) -> String {
        "phase: 7\ntitle: {en: Testing, es: Pruebas}\nquestions:\n" + question
    }

    static func single(prompt: String = "A prompt?", esPrompt: String = "¿Un enunciado?", choices: [(String, String)],
                       correct: Int, extra: String = "") -> String {
        var yaml = """
          - id: q-07-01
            kind: single
            title: {en: A title, es: Un título}
            prompt: {en: "\(prompt)", es: "\(esPrompt)"}
            choices:

        """
        for (en, es) in choices { yaml += "      - {en: \"\(en)\", es: \"\(es)\"}\n" }
        yaml += "    correct: [\(correct)]\n    answer: {en: Because., es: Porque.}\n" + extra
        return quiz(yaml)
    }

    static func lint(_ yaml: String) async throws -> [Diagnostic] {
        try await diagnostics(for: yaml)
    }

    static func findings(_ diagnostics: [Diagnostic], _ rule: LintRule) -> [String] {
        diagnostics.filter { $0.rule == rule.rawValue }.map { "\($0.location.line):\($0.location.column) \($0.severity.rawValue)" }
    }

    static let plain = [("Alpha", "Alfa"), ("Beta", "Beta"), ("Gamma", "Gama"), ("Delta", "Delta")]

    /// The byte-loop folding agrees with Foundation's on English and Spanish text.
    @Test(arguments: ["  Délta ", "¿Cuál es?", "ÑANDÚ y pingüino", "Per-tensor (one scalar)", "Ægir × ÷ ß ø", "x\ty\nz", "«cita»", "¡Hola! ¿Qué tal?", "a ¿b? c", "漢字 text", "x · y", "§ 5",
                      "\u{20}!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\r\n", "...", "¿?"])
    func foldingMatchesFoundation(_ text: String) {
        let reference = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ").trimmingCharacters(in: .punctuationCharacters)
        #expect(Linter.fold(text) == reference)
    }

    /// The stem-echo lookups of a choice's words in the folded prompt (its word table, and
    /// the search for a word with no word bytes on either side) find exactly the words the
    /// prompt's own word list has, over every text of a generated course of each style.
    @Test func foldedWordSearchAgreesWithTheWordList() {
        for style in CorpusGenerator.Style.allCases {
            let texts = CorpusGenerator(phases: 1, style: style).files().flatMap { file in
                file.yaml.split(separator: "\n").map { String($0.drop { $0 == " " || $0 == "-" }) }
            } + ["Ñandú, pingüino; ¿cuál?", "x · yyyyy", "«cita larga»", "漢字 texto largo", "tensor-tensor", "tensors tensor", "tensorial xtensor", "tensorés tensor", "ñtensor tensor"]
            var compared = 0
            for (offset, prompt) in texts.enumerated() {
                let words = Set(Linter.words(prompt)), folded = Linter.FoldedWords(Linter.fold(prompt))
                var foldedPrompt = Linter.fold(prompt)
                for other in texts[offset...].prefix(12) {
                    for word in Linter.words(other) {
                        #expect(folded.contains(word) == words.contains(word), "'\(word)' in '\(prompt)'")
                        var bytes = word
                        let occurs = bytes.withUTF8 { word in foldedPrompt.withUTF8 { Linter.occursAsWord(word, in: $0) } }
                        #expect(occurs == words.contains(word), "'\(word)' in '\(prompt)'")
                        compared += 1
                    }
                }
            }
            #expect(compared > 1000)
        }
    }

    @Test func plainLengthCountsScalarsButEmphasisAndCodeMarks() {
        let pieces = ["a", "*", "_", "`", "é", "ñ", "—", "漢", "😀", " ", "**bold**", "`code`", "\u{7F}", "\u{80}"]
        var random = SplitMix(seed: 3)
        for length in 0..<80 {
            let text = (0..<length).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            let expected = text.unicodeScalars.filter { !"*_`".unicodeScalars.contains($0) }.count
            #expect(Linter.plainLength(text) == expected, "\(text)")
        }
    }

    @Test func aCleanQuestionHasNoFindings() async throws {
        let found = try await Self.lint(Self.single(choices: Self.plain, correct: 3))
        #expect(found.isEmpty, "\(found)")
    }

    @Test func longestChoice() async throws {
        var choices = Self.plain
        choices[1] = ("Beta, which is by far the most detailed and careful of them", "Beta")
        let found = try await Self.lint(Self.single(choices: choices, correct: 2))
        #expect(Self.findings(found, .longestChoice) == ["10:14 warning"], "\(found)")
        #expect(found.filter { $0.rule == LintRule.longestChoice.rawValue }.map(\.message) == [
            "the correct choice of q-07-01 is the longest (59 characters; the others average 5), the classic cue; shorten it or lengthen the others"])
        // The others' mean rounded as printf's %.0f rounds it: 6.5 to the even 6.
        let tie = [("Alphas", "Alfas"), ("The longest choice of the three", "La más larga de las tres"), ("Gammas!", "Gamas!")]
        let tied = try await Self.lint(Self.single(choices: tie, correct: 2)).filter { $0.rule == LintRule.longestChoice.rawValue }
        #expect(tied.map(\.message) == [
            "the correct choice of q-07-01 is the longest (31 characters; the others average 6), the classic cue; shorten it or lengthen the others",
            "the correct choice of q-07-01 is the longest (24 characters; the others average 6), the classic cue; shorten it or lengthen the others"])
        // Near miss: long, but not 1.5 times the mean of the others.
        let near = [("Alpha is one option here", "Alfa"), ("Beta is a longer option here", "Beta"),
                    ("Gamma is another option", "Gama"), ("Delta is the last option", "Delta")]
        #expect(Self.findings(try await Self.lint(Self.single(choices: near, correct: 2)), .longestChoice).isEmpty)
    }

    @Test func duplicateChoiceIsAnError() async throws {
        var choices = Self.plain
        choices[3] = ("  ALPHA ", "Délta")
        choices[2] = ("Gamma", "delta")
        let found = try await Self.lint(Self.single(choices: choices, correct: 2))
        #expect(Self.findings(found, .duplicateChoice) == ["12:14 error", "12:30 error"], "\(found)")
        // Near miss: "Alpha" and "Alphas" differ.
        choices = Self.plain
        choices[3] = ("Alphas", "Deltas")
        #expect(Self.findings(try await Self.lint(Self.single(choices: choices, correct: 2)), .duplicateChoice).isEmpty)
    }

    @Test func allOrNoneOfTheAbove() async throws {
        var choices = Self.plain
        choices[3] = ("None of the above.", "Ninguna de las anteriores")
        let found = try await Self.lint(Self.single(choices: choices, correct: 2))
        #expect(Self.findings(found, .allNoneOfTheAbove) == ["12:14 warning", "12:40 warning"], "\(found)")
        choices[3] = ("None of the above layers are memory-bound", "Ninguna de esas capas")
        #expect(Self.findings(try await Self.lint(Self.single(choices: choices, correct: 2)), .allNoneOfTheAbove).isEmpty)
    }

    @Test func negativeStem() async throws {
        let found = try await Self.lint(Self.single(prompt: "Which of these is not a quantization format?",
                                                    esPrompt: "¿Cuál de estos no es un formato?", choices: Self.plain, correct: 2))
        #expect(Self.findings(found, .negativeStem) == ["7:18 warning", "7:70 warning"], "\(found)")
        // Emphasised, in bold or capitals: fine.
        let emphasised = try await Self.lint(Self.single(prompt: "Which of these is **not** a format?",
                                                         esPrompt: "¿Cuál de estos NO es un formato?", choices: Self.plain, correct: 2))
        #expect(Self.findings(emphasised, .negativeStem).isEmpty, "\(emphasised)")
        // Near miss: "not" outside a which-question.
        let near = try await Self.lint(Self.single(prompt: "Rounding is not free. Pick the cheapest format.",
                                                   esPrompt: "Redondear no es gratis. Elige el formato más barato.", choices: Self.plain, correct: 2))
        #expect(Self.findings(near, .negativeStem).isEmpty, "\(near)")
    }

    @Test func allCorrectAndOneCorrect() async throws {
        let multiple = { (correct: String) in Self.quiz("""
          - id: q-07-01
            kind: multiple
            title: {en: A title, es: Un título}
            prompt: {en: Pick., es: Elige.}
            choices: [{en: A, es: A}, {en: B, es: B}, {en: C, es: C}]
            correct: \(correct)
            answer: {en: Because., es: Porque.}

        """) }
        #expect(Self.findings(try await Self.lint(multiple("[1, 2, 3]")), .allCorrect) == ["9:14 warning"])
        #expect(Self.findings(try await Self.lint(multiple("[2]")), .oneCorrect) == ["9:14 warning"])
        let near = try await Self.lint(multiple("[1, 3]"))
        #expect(Self.findings(near, .allCorrect).isEmpty && Self.findings(near, .oneCorrect).isEmpty)
    }

    @Test func translationLength() async throws {
        let found = try await Self.lint(Self.single(prompt: "Why does the decode step read every weight once per token?",
                                                    esPrompt: "¿Por qué?", choices: Self.plain, correct: 2))
        #expect(Self.findings(found, .translationLength) == ["7:84 warning"], "\(found)")
        #expect(found.filter { $0.rule == LintRule.translationLength.rawValue }.map(\.message) == [
            "the 'es' text is 9 characters where the English is 58; check that it translates all of it, and only it"])
        // Short texts ("Yes" / "Sí") never count; a ratio under 3 is fine.
        let near = try await Self.lint(Self.single(prompt: "Why does the decode step read every weight?",
                                                   esPrompt: "¿Por qué lee cada peso?", choices: Self.plain, correct: 2))
        #expect(Self.findings(near, .translationLength).isEmpty, "\(near)")
    }

    @Test func stemEcho() async throws {
        var choices = Self.plain
        choices[1] = ("Outliers dominate", "Beta")
        let found = try await Self.lint(Self.single(prompt: "Why do outliers hurt per-tensor scales?", choices: choices, correct: 2))
        #expect(Self.findings(found, .stemEcho) == ["10:14 warning"], "\(found)")
        choices[2] = ("Outliers vanish", "Gama")
        #expect(Self.findings(try await Self.lint(Self.single(prompt: "Why do outliers hurt per-tensor scales?", choices: choices, correct: 2)), .stemEcho).isEmpty)
    }

    @Test func phaseKeyPositions() async throws {
        func phase(_ keys: [Int]) -> String {
            Self.quiz(keys.enumerated().map { index, key in """
              - id: q-07-0\(index + 1)
                kind: single
                title: {en: Title \(index), es: Título \(index)}
                prompt: {en: Prompt \(index)?, es: ¿Enunciado \(index)?}
                choices: [{en: Alpha, es: Alfa}, {en: Beta, es: Beta}, {en: Gamma, es: Gama}, {en: Delta, es: Delta}]
                correct: [\(key)]
                answer: {en: Because., es: Porque.}

            """ }.joined())
        }
        let skewed = try await Self.lint(phase([2, 2, 3, 2]))
        #expect(Self.findings(skewed, .keyPosition) == ["9:14 warning"], "\(skewed)")
        #expect(skewed.first { $0.rule == "key-position" }?.message.contains("position 2 holds 3 of the 4 keys") == true)
        // Near miss: 2 of 4 at one position is half, not more than half.
        #expect(Self.findings(try await Self.lint(phase([2, 2, 3, 1])), .keyPosition).isEmpty)
        // Three questions are too few to judge.
        #expect(Self.findings(try await Self.lint(phase([2, 2, 2])), .keyPosition).isEmpty)
    }

    /// A key's positions as bits: the positions of the key in ascending order, each once,
    /// whatever order 'correct' lists them in; none outside 1–31.
    @Test func keyPositionsAreTheKeysPositions() {
        let positions = KeyPositions([4, 1, 26, 3])
        #expect(Array(positions) == [1, 3, 4, 26])
        #expect(positions.count == 4)
        #expect(positions.contains(26) && !positions.contains(2) && !positions.contains(0) && !positions.contains(40))
        #expect(Array(KeyPositions([0, 32, -1, 2])) == [2])
        #expect(KeyPositions(bits: positions.bits) == positions)
        #expect(Array(KeyPositions([])).isEmpty)
    }

    @Test func courseWideChiSquare() {
        let place = SourceLocation(path: "x.yaml", line: 1, column: 1)
        let balanced = (0..<40).map { KeyPlacement(choiceCount: 4, positions: [$0 % 4 + 1], location: place, allowsKeyPosition: false) }
        #expect(Linter.course(balanced).isEmpty)
        // 20 of 40 keys at position 2 (10 expected): chi-square 13.3 with 3 degrees of freedom.
        let skewed = (0..<40).map { KeyPlacement(choiceCount: 4, positions: [$0 < 20 ? 2 : [1, 3, 4][$0 % 3]], location: place, allowsKeyPosition: false) }
        let found = Linter.course(skewed)
        #expect(found.count == 1 && found[0].rule == "key-position", "\(found)")
        #expect(found.first?.message.contains("p = 0.00") == true, "\(found)")
        // The statistic itself against known values: P(χ²₃ ≥ 7.815) = 0.05, P(χ²₁ ≥ 3.841) = 0.05.
        #expect(abs(Linter.chiSquareUpperTail(7.815, degrees: 3) - 0.05) < 0.001)
        #expect(abs(Linter.chiSquareUpperTail(3.841, degrees: 1) - 0.05) < 0.001)
        #expect(abs(Linter.chiSquareUpperTail(40, degrees: 10) - 1.7e-5) < 1e-5)
    }

    /// The warning's decimals are those `%.Nf` writes: the double's exact value rounded half
    /// to even (0.125 is a tie, 0.0125 is above one), tiny, negative and random values.
    @Test func decimalsAsPrintfWritesThem() {
        var values: [Double] = [0, -0, 0.125, 0.375, 2.5, 3.5, 0.0125, 0.05, 0.95, 0.9995, 13.333333, 1e-300,
                                .leastNonzeroMagnitude, -0.01, -2.5, 9.95, 99.95, 1e15 + 0.5, .nan, .infinity, -.infinity]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            values.append(Double.random(in: 0..<1, using: &random))
            values.append(Double(Int.random(in: 0..<100_000, using: &random)) / 8) // ties by the thousand
            values.append(Double(bitPattern: UInt64.random(in: 0..<0x4330_0000_0000_0000, using: &random))) // below 2^52
        }
        for value in values {
            for digits in 0...4 {
                let expected = String(format: "%.\(digits)f", value)
                #expect(Linter.fixed(value, digits: digits) == expected, "\(value) with \(digits) decimals")
            }
        }
    }

    @Test func aCourseOfFilesIsTestedAcrossPhases() throws {
        let project = try TestProject()
        defer { project.remove() }
        for phase in 1...12 {
            let digits = String(format: "%02d", phase)
            // Every key at position 1: no phase has 4 choice questions, the course has 12.
            try project.write("data/quizzes/phase-\(digits)-skew.yaml", validQuiz(phase: digits)
                .replacingOccurrences(of: "correct: [2]", with: "correct: [1]"))
        }
        let result = try runQuizdoc(["lint"], in: project.root)
        #expect(result.status == 0)
        #expect(result.stdout.contains("data/quizzes/phase-01-skew.yaml:11:14: warning: across the course the keys are not spread evenly"), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("[key-position]\nquizdoc: 0 errors, 1 warning\n"), "\(result.stdout)")
        // build reports it too, and --strict makes it an error.
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(try runQuizdoc(["build", "--strict"], in: project.root).status == 1)
    }

    @Test func suppressionIsExplicitAndChecked() async throws {
        var choices = Self.plain
        choices[1] = ("Beta, which is by far the most detailed and careful of them", "Beta")
        let allowed = try await Self.lint(Self.single(choices: choices, correct: 2, extra: "    lint: {allow: [longest-choice]}\n"))
        #expect(Self.findings(allowed, .longestChoice).isEmpty, "\(allowed)")
        let phaseWide = try await Self.lint(Self.single(choices: choices, correct: 2) + "lint: {allow: [longest-choice]}\n")
        #expect(Self.findings(phaseWide, .longestChoice).isEmpty, "\(phaseWide)")
        let unknown = try await Self.lint(Self.single(choices: Self.plain, correct: 2, extra: "    lint: {allow: [longest-choise]}\n"))
        #expect(unknown.map(\.description).contains {
            $0.hasPrefix("data/quizzes/phase-07-testing.yaml:15:20: error: 'longest-choise' is not a lint rule; did you mean 'longest-choice'?")
        }, "\(unknown)")
    }

    @Test func theShippedCourseIsClean() throws {
        let result = try runQuizdoc(["lint", "--strict"], in: repositoryRoot)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "quizdoc: 0 errors, 0 warnings\n")
    }

    @Test func jsonReport() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": Self.single(
            prompt: "Which of these is not a format?", choices: Self.plain, correct: 2)])
        defer { project.remove() }
        let result = try runQuizdoc(["lint", "--format", "json"], in: project.root)
        #expect(result.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try #require(report["diagnostics"] as? [[String: Any]])
        #expect(report["warnings"] as? Int == 1 && report["errors"] as? Int == 0 && report["version"] as? Int == 1)
        #expect(items.first?["rule"] as? String == "negative-stem")
        #expect(items.first?["line"] as? Int == 7 && items.first?["column"] as? Int == 18)
    }
}
