import Foundation
import Testing
import TokenCodec
@testable import QuizDocKit

/// One test per schema rule: each asserts the exact `file:line:col` and a phrase of the message.
@Suite struct ValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let fileName: String
        let location: String
        let phrase: String
        var testDescription: String { name }

        init(_ name: String, _ yaml: String, file: String = "phase-07-testing.yaml", at location: String, _ phrase: String) {
            self.name = name
            self.yaml = yaml
            self.fileName = file
            self.location = location
            self.phrase = phrase
        }
    }

    static let header = "phase: 7\ntitle: {en: T, es: T}\nquestions:\n"
    static let question = """
      - id: q-07-01
        kind: single
        title: {en: A, es: A}
        prompt: {en: P, es: P}
        choices: [{en: One, es: Uno}, {en: Two, es: Dos}]
        correct: [2]
        answer: {en: X, es: X}

    """

    static let cases: [Case] = [
        Case("phase differs from file name", validQuiz().replacingOccurrences(of: "phase: 7", with: "phase: 8"),
             at: "1:8", "'phase' is 8 but the file name says 07"),
        Case("phase written as words", validQuiz().replacingOccurrences(of: "phase: 7", with: "phase: seven"),
             at: "1:8", "must be a whole number"),
        Case("phase quoted", validQuiz().replacingOccurrences(of: "phase: 7", with: "phase: \"7\""),
             at: "1:8", "without quotes"),
        Case("phase in octal", validQuiz().replacingOccurrences(of: "phase: 7", with: "phase: 0o7"),
             at: "1:8", "whole number like 3; found '0o7'"),
        Case("phase sexagesimal", validQuiz().replacingOccurrences(of: "phase: 7", with: "phase: 0:07"),
             at: "1:8", "found '0:07'"),
        Case("huge phase", validQuiz().replacingOccurrences(of: "phase: 7", with: "phase: 99999999999999999999999"),
             at: "1:8", "between 0 and 99999"),
        Case("missing phase", validQuiz().replacingOccurrences(of: "phase: 7\n", with: ""),
             at: "1:1", "missing the key 'phase'"),
        Case("misspelled top key", validQuiz().replacingOccurrences(of: "questions:", with: "qestions:"),
             at: "3:1", "did you mean 'questions'?"),
        Case("misspelled answer", validQuiz().replacingOccurrences(of: "    answer:", with: "    anwser:"),
             at: "12:5", "unknown key 'anwser' in a question; did you mean 'answer'?"),
        Case("id with wrong phase", validQuiz().replacingOccurrences(of: "q-07-01", with: "q-7-01"),
             at: "4:9", "must look like 'q-07-01'"),
        Case("id with one digit", validQuiz().replacingOccurrences(of: "q-07-01", with: "q-07-1"),
             at: "4:9", "at least two digits"),
        Case("id escaping the folder", validQuiz().replacingOccurrences(of: "q-07-01", with: "../../etc"),
             at: "4:9", "must look like"),
        Case("id keeps the file's zero padding", validQuiz(phase: "0007"), file: "phase-0007-testing.yaml",
             at: "", ""),
        Case("unknown kind", validQuiz().replacingOccurrences(of: "kind: single", with: "kind: singel"),
             at: "5:11", "did you mean 'single'?"),
        Case("single with two correct", validQuiz().replacingOccurrences(of: "correct: [2]", with: "correct: [1, 2]"),
             at: "11:14", "exactly one correct choice"),
        Case("correct points past the choices", validQuiz().replacingOccurrences(of: "correct: [2]", with: "correct: [3]"),
             at: "11:15", "must be between 1 and 2; found 3"),
        Case("correct repeats", validQuiz().replacingOccurrences(of: "kind: single", with: "kind: multiple")
                .replacingOccurrences(of: "correct: [2]", with: "correct: [2, 2]"),
             at: "11:18", "listed twice"),
        Case("correct as a float", validQuiz().replacingOccurrences(of: "correct: [2]", with: "correct: [2.0]"),
             at: "11:15", "found '2.0'"),
        Case("correct zero", validQuiz().replacingOccurrences(of: "correct: [2]", with: "correct: [0]"),
             at: "11:15", "must be between 1 and 2; found 0"),
        Case("correct empty", validQuiz().replacingOccurrences(of: "correct: [2]", with: "correct: []"),
             at: "11:14", "'correct' is empty"),
        Case("choices missing", validQuiz().replacingOccurrences(of: "    choices:\n      - {en: One, es: Uno}\n      - {en: Two, es: Dos}\n", with: ""),
             at: "4:5", "missing the key 'choices'"),
        Case("one choice only", validQuiz().replacingOccurrences(of: "      - {en: Two, es: Dos}\n", with: "")
                .replacingOccurrences(of: "correct: [2]", with: "correct: [1]"),
             at: "9:7", "2 to 26 choices"),
        Case("free question with choices", validQuiz().replacingOccurrences(of: "kind: single", with: "kind: free"),
             at: "9:7", "a free question has no 'choices'"),
        Case("text without English", validQuiz().replacingOccurrences(of: "{en: A prompt., es: Un enunciado.}", with: "{es: Un enunciado.}"),
             at: "7:13", "has no English text"),
        Case("text with unknown language", validQuiz().replacingOccurrences(of: "{en: Because., es: Porque.}", with: "{en: Because., sp: Porque.}"),
             at: "12:28", "unknown key 'sp'"),
        Case("text as a plain string", validQuiz().replacingOccurrences(of: "{en: A title, es: Un título}", with: "A title"),
             at: "6:12", "must be a mapping of translations"),
        Case("boolean-looking text stays text", validQuiz().replacingOccurrences(of: "{en: One, es: Uno}", with: "{en: no, es: on}"),
             at: "", ""),
        Case("empty text", validQuiz().replacingOccurrences(of: "{en: Because., es: Porque.}", with: "{en: '', es: Porque.}"),
             at: "12:18", "is empty"),
        Case("duplicate id in one file", header + question + question,
             at: "11:5", "question id 'q-07-01' is used twice"),
        Case("questions empty", "phase: 7\ntitle: {en: T, es: T}\nquestions: []\n",
             at: "3:12", "at least one question"),
        Case("questions as a map", "phase: 7\ntitle: {en: T, es: T}\nquestions: {a: b}\n",
             at: "3:12", "must be a list"),
        Case("bad file name", validQuiz(), file: "Phase-07-Testing.yaml",
             at: "1:1", "file name must look like"),
        Case(".yml extension", validQuiz(), file: "phase-07-testing.yml",
             at: "1:1", "rename it to phase-07-testing.yaml"),
        Case("duplicate key", validQuiz().replacingOccurrences(of: "    kind: single\n", with: "    kind: single\n    kind: free\n"),
             at: "6:5", "duplicate key 'kind' (first at line 5, column 5)"),
        Case("unsupported schema", "schema: 2\n" + validQuiz(),
             at: "1:9", "schema version 2 is not supported"),
    ]

    @Test(arguments: cases)
    func rule(_ testCase: Case) async throws {
        let found = try await diagnostics(for: testCase.yaml, fileName: testCase.fileName)
        let errors = found.filter { $0.severity == .error }
        if testCase.location.isEmpty {
            #expect(errors.isEmpty, "expected no error, got \(errors)")
            return
        }
        let expected = "data/quizzes/\(testCase.fileName):\(testCase.location): error:"
        #expect(errors.contains { "\($0)".hasPrefix(expected) && $0.message.contains(testCase.phrase) },
                "expected \(expected) …\(testCase.phrase)…, got:\n\(errors.map(\.description).joined(separator: "\n"))")
    }

    @Test func missingTranslationIsAWarningThatStrictTurnsIntoAnError() async throws {
        let yaml = validQuiz().replacingOccurrences(of: "{en: Because., es: Porque.}", with: "{en: Because.}")
        let relaxed = try await diagnostics(for: yaml)
        #expect(relaxed.map(\.description) == [
            "data/quizzes/phase-07-testing.yaml:12:13: warning: the answer has no 'es' translation; the es mirror shows the English text marked as untranslated",
        ])
        let strict = try await diagnostics(for: yaml, strict: true)
        #expect(strict.map(\.severity) == [.error])
    }

    @Test func idsAreUniqueAcrossFiles() async throws {
        let project = try TestProject(files: [
            "data/quizzes/phase-07-a.yaml": validQuiz(),
            "data/quizzes/phase-08-b.yaml": validQuiz(phase: "08"),
        ])
        defer { project.remove() }
        // Phase 8's question keeps phase 7's id: same id in two files.
        try project.write("data/quizzes/phase-08-b.yaml", validQuiz(phase: "08").replacingOccurrences(of: "q-08-01", with: "q-07-01"))
        let errors = await Pipeline.generate(root: project.root).diagnostics.map(\.description)
        #expect(errors.contains { $0.hasPrefix("data/quizzes/phase-08-b.yaml:4:9: error:") && $0.contains("must look like 'q-08-01'") })

        try project.write("data/quizzes/phase-07-b.yaml", validQuiz())
        let clash = await Pipeline.generate(root: project.root).diagnostics.map(\.description)
        #expect(clash.contains("data/quizzes/phase-07-b.yaml:1:1: error: phase 7 already has a quiz file, data/quizzes/phase-07-a.yaml; keep one file per phase"))
        #expect(clash.contains("data/quizzes/phase-07-b.yaml:4:5: error: question id 'q-07-01' is already used at data/quizzes/phase-07-a.yaml:4:5; ids are unique across all quiz files"))
    }

    /// A build that takes a phase over from the last build's manifest checks the ids of the
    /// files it parses against that phase's ids as the manifest holds them (their hashes, and
    /// the ids themselves read back for the message).
    @Test func idsAreUniqueAcrossFilesTheLastBuildMade() async throws {
        let project = try TestProject(files: [
            "data/quizzes/phase-07-a.yaml": validQuiz(),
            "data/quizzes/phase-08-b.yaml": validQuiz(phase: "08"),
        ])
        defer { project.remove() }
        #expect(await Pipeline.build(root: project.root).failed == false)
        // Read from the file, not the manifest this process saved (`Manifest.load`).
        let manifest = project.root.appendingPathComponent(Manifest.path).path
        func forget() throws {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: manifest)
        }
        try forget()
        try project.write("data/quizzes/phase-07-b.yaml", validQuiz())
        let clash = await Pipeline.build(root: project.root).diagnostics.map(\.description)
        #expect(clash.contains("data/quizzes/phase-07-b.yaml:4:5: error: question id 'q-07-01' is already used at data/quizzes/phase-07-a.yaml:4:5; ids are unique across all quiz files"))
        // Once the clash is gone, the phase is taken over again, its ids still readable.
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("data/quizzes/phase-07-b.yaml"))
        #expect(await Pipeline.build(root: project.root).failed == false)
        try forget()
        try project.write("data/quizzes/phase-07-c.yaml", validQuiz())
        let again = await Pipeline.build(root: project.root).diagnostics.map(\.description)
        #expect(again.contains("data/quizzes/phase-07-c.yaml:4:5: error: question id 'q-07-01' is already used at data/quizzes/phase-07-a.yaml:4:5; ids are unique across all quiz files"))
    }

    /// Quizzes the last build checked against each other (none shares a phase or an id with
    /// another) are looked at only where they share one with a quiz read again: the same
    /// findings as a look at every quiz, over many random courses.
    @Test func quizzesCheckedByTheLastBuildAreLookedAtOnlyWhereTheyMeetOthers() {
        var random = SplitMix(seed: 5)
        var findings = 0, checkedQuizzes = 0
        for _ in 0..<40 {
            var checkedPhases: Set<Int> = [], checkedIds: Set<String> = []
            let quizzes = (0..<Int(20 + random.next() % 40)).map { file in
                let path = "data/quizzes/phase-\(file)-x.yaml"
                let phase = Int(random.next() % 70)
                let places = (0..<Int(random.next() % 12)).map { line in
                    QuizLoader.QuestionPlace(id: "q-\(random.next() % 400)", location: SourceLocation(path: path, line: line + 1, column: 5))
                }
                // Checked when it clashes with no quiz checked before it, nor within itself.
                let ids = Set(places.map(\.id))
                let checked = random.next() % 4 != 0 && !checkedPhases.contains(phase) && ids.count == places.count
                    && ids.isDisjoint(with: checkedIds)
                if checked {
                    checkedPhases.insert(phase)
                    checkedIds.formUnion(ids)
                }
                return QuizLoader.Identity(sourcePath: path, phase: phase, ids: QuizLoader.QuestionIds(places), checked: checked)
            }
            let unchecked = quizzes.map { QuizLoader.Identity(sourcePath: $0.sourcePath, phase: $0.phase, ids: $0.ids) }
            var found = DiagnosticBag(), expected = DiagnosticBag()
            QuizLoader.checkAcrossFiles(quizzes, bag: &found)
            QuizLoader.checkAcrossFiles(unchecked, bag: &expected)
            #expect(found.diagnostics == expected.diagnostics)
            findings += expected.diagnostics.count
            checkedQuizzes += quizzes.count { $0.checked }
        }
        #expect(findings > 200 && checkedQuizzes > 200)
    }

    /// Ids across files are looked up in a table of their hashes: the same findings as a
    /// dictionary of every id, over many ids, repeats in one file and across files, with the
    /// ids of every other file as a manifest record holds them (read only when asked).
    @Test func idsAcrossFilesAreFoundAsADictionaryFindsThem() throws {
        var random = SplitMix(seed: 3)
        let quizzes = try (0..<60).map { file in
            let path = "data/quizzes/phase-\(file)-x.yaml"
            let places = (0..<Int(random.next() % 40)).map { line in
                QuizLoader.QuestionPlace(id: "q-\(random.next() % 900)", location: SourceLocation(path: path, line: line + 1, column: 5))
            }
            guard file % 2 == 1 else { return QuizLoader.Identity(sourcePath: path, phase: file % 55, ids: QuizLoader.QuestionIds(places)) }
            var out = TokenWriter()
            QuizLoader.QuestionIds(places).write(to: &out)
            var reader = TokenReader(out.bytes)
            let ids = try QuizLoader.QuestionIds(decoding: &reader, path: path)
            #expect(reader.isAtEnd && Array(ids) == places)
            return QuizLoader.Identity(sourcePath: path, phase: file % 55, ids: ids)
        }
        var bag = DiagnosticBag()
        QuizLoader.checkAcrossFiles(quizzes, bag: &bag)
        var expected = DiagnosticBag()
        var phases: [Int: String] = [:], ids: [String: QuizDocKit.SourceLocation] = [:]
        for quiz in quizzes.sorted(by: { $0.sourcePath < $1.sourcePath }) {
            if let other = phases[quiz.phase] {
                expected.error(.file(quiz.sourcePath), "phase \(quiz.phase) already has a quiz file, \(other); keep one file per phase")
            } else {
                phases[quiz.phase] = quiz.sourcePath
            }
            for question in quiz.ids {
                if let first = ids[question.id] {
                    if first.path != quiz.sourcePath {
                        expected.error(question.location, "question id '\(question.id)' is already used at \(first); ids are unique across all quiz files")
                    }
                } else {
                    ids[question.id] = question.location
                }
            }
        }
        #expect(expected.diagnostics.count > 100)
        #expect(bag.diagnostics == expected.diagnostics)
    }

    @Test func everyErrorOfARunIsReportedSorted() async throws {
        let yaml = validQuiz()
            .replacingOccurrences(of: "kind: single", with: "kind: singel")
            .replacingOccurrences(of: "phase: 7", with: "phase: 9")
            .replacingOccurrences(of: "    answer:", with: "    anwser:")
        let found = try await diagnostics(for: yaml)
        #expect(found.count >= 3)
        #expect(found == found.sorted())
        #expect(found.map { "\($0.location.line):\($0.location.column)" }.prefix(3) == ["1:8", "5:11", "12:5"])
    }
}

/// Quiz file names: `QuizFileName` reads them in one pass over their bytes; the pattern,
/// written as a regular expression, says which it must take.
@Suite struct QuizFileNameTests {
    /// Whether the name is one.
    @discardableResult
    static func expectAgrees(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        let pattern = try! Regex("phase-([0-9]{2,5})-[a-z0-9]+(-[a-z0-9]+)*\\.yaml")
        let parsed = QuizFileName(name)
        guard let match = try? pattern.wholeMatch(in: name) else {
            #expect(parsed == nil, "\(name.debugDescription) is not a quiz file name", sourceLocation: sourceLocation)
            return false
        }
        let digits = match.output[1].substring.map(String.init) ?? ""
        #expect(parsed?.baseName == String(name.dropLast(5)), sourceLocation: sourceLocation)
        #expect(parsed?.phaseDigits == digits, sourceLocation: sourceLocation)
        #expect(parsed?.phase == Int(digits), sourceLocation: sourceLocation)
        return true
    }

    @Test func namesAreReadAsThePatternSays() {
        for name in ["phase-26-quantization.yaml", "phase-01-a.yaml", "phase-00007-x-2-y.yaml", "phase-1-a.yaml",
                     "phase-123456-a.yaml", "phase-26-.yaml", "phase-26--a.yaml", "phase-26-a-.yaml", "phase-26-A.yaml",
                     "phase-26-a.yml", "phase-26-a.yaml.bak", "Phase-26-a.yaml", "phase-26a.yaml", "phase--26-a.yaml",
                     "phase-26-é.yaml", "phase-26-a_b.yaml", ".yaml", "phase-.yaml", "phase-26.yaml", ""] {
            Self.expectAgrees(name)
        }
        var random = SplitMix(seed: 44)
        func pick(_ items: [String], _ count: Int) -> String {
            (0..<count).map { _ in items[Int(random.next() % UInt64(items.count))] }.joined()
        }
        var names = 0
        for _ in 0..<20_000 {
            let digits = pick(["0", "1", "9", "x"], Int(random.next() % 7))
            let slug = pick(["a", "z", "q", "9", "a", "-", "-", "A", "_", "é", "."], 1 + Int(random.next() % 6))
            let name = pick(["phase-", "phase-", "phase-", "phase", "Phase-"], 1) + digits + pick(["-", "-", "-", "", "--"], 1) + slug
                + pick([".yaml", ".yaml", ".yaml", ".yml", "", ".yaml "], 1)
            if Self.expectAgrees(name) { names += 1 }
        }
        #expect(names > 100, "\(names) random quiz file names")
    }
}
