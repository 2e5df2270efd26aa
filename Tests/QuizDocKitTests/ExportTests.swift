import Foundation
import Testing
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import QuizDocKit

/// `quizdoc export`: golden files of every format for the fixture, the rules of each format
/// as we read them (GIFT's escapes, Moodle's grade table), determinism and atomicity. The
/// formats' own clients (Anki's library, the QTI XSDs, a GIFT parser, pdftotext) are in
/// `Tests/export/check_export.py`.
@Suite struct ExportTests {
    static let files = ["data/quizzes/phase-03-fixtures.yaml": MirrorTests.fixture, "data/quizzes/phase-07-testing.yaml": validQuiz()]

    /// Exports into `out` of a fresh project; the files by path, and the report.
    static func export(_ options: ExportOptions, files: [String: String] = files) async throws -> (ExportReport, [String: Data]) {
        let project = try TestProject(files: files)
        defer { project.remove() }
        let report = await Pipeline.export(root: project.root, options: options)
        let written = project.snapshot(options.out).filter { !$0.key.hasSuffix("/") }
        return (report, written)
    }

    static func entries(_ zip: Data) throws -> [String: String] {
        let archive = try Archive(data: zip, accessMode: .read)
        var entries: [String: String] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            entries[entry.path] = String(decoding: data, as: UTF8.self)
        }
        return entries
    }

    @Test func everyFormatMatchesItsGoldenFiles() async throws {
        let all = ExportOptions(formats: ExportFormat.allCases, out: "out", sourceDateEpoch: 1_700_000_000)
        let (report, files) = try await Self.export(all)
        #expect(!report.failed, "\(report.diagnostics)")
        #expect(report.files == files.keys.sorted())
        for path in ["moodle/phase-03-fixtures.xml", "gift/phase-03-fixtures.txt", "print/phase-03-fixtures.en.html",
                     "print/phase-03-fixtures-key.en.html", "print/phase-03-fixtures-key.es.html"] {
            assertGolden(String(decoding: try #require(files[path]), as: UTF8.self), named: "export/\(path)")
        }
        let qti = try Self.entries(try #require(files["qti/phase-03-fixtures.es.zip"]))
        #expect(qti.keys.sorted() == ["imsmanifest.xml", "items/q-03-01.xml", "items/q-03-02.xml", "items/q-03-03.xml"])
        for (path, text) in qti { assertGolden(text, named: "export/qti/phase-03-fixtures.es/\(path)") }
        #expect(files.keys.contains("anki/quizzes.en.apkg") && files.keys.contains("anki/quizzes.es.apkg"))

        // One language, and filter_multilang2's block syntax.
        let (_, english) = try await Self.export(ExportOptions(formats: [.moodle, .gift], language: "en", out: "out"))
        assertGolden(String(decoding: try #require(english["gift/phase-03-fixtures.en.txt"]), as: UTF8.self),
                     named: "export/gift/phase-03-fixtures.en.txt")
        #expect(english["moodle/phase-03-fixtures.xml"] == nil)
        let (_, spanish) = try await Self.export(ExportOptions(formats: [.moodle, .print], language: "es", out: "out"))
        assertGolden(String(decoding: try #require(spanish["moodle/phase-03-fixtures.es.xml"]), as: UTF8.self),
                     named: "export/moodle/phase-03-fixtures.es.xml")
        assertGolden(String(decoding: try #require(spanish["print/phase-03-fixtures.es.html"]), as: UTF8.self),
                     named: "export/print/phase-03-fixtures.es.html")
        #expect(spanish["print/phase-03-fixtures.en.html"] == nil)
        let (_, mlang) = try await Self.export(ExportOptions(formats: [.moodle], phases: [3], out: "out", multilang: .mlang))
        assertGolden(String(decoding: try #require(mlang["moodle/phase-03-fixtures.xml"]), as: UTF8.self),
                     named: "export/moodle/phase-03-fixtures.mlang.xml")
        #expect(mlang.keys.sorted() == ["moodle/phase-03-fixtures.xml"], "--phase 3 exports phase 3 only")
    }

    @Test func sameInputSameBytesEvenZipsAndDecks() async throws {
        let options = ExportOptions(formats: [.qti, .anki, .moodle], out: "out", sourceDateEpoch: 1_234_567_890)
        let (_, first) = try await Self.export(options)
        let (_, second) = try await Self.export(options)
        #expect(first == second)
        #expect(first.count == 8)
    }

    @Test func anErrorWritesNothingAndTheLastExportStays() async throws {
        let project = try TestProject(files: Self.files)
        defer { project.remove() }
        let options = ExportOptions(formats: [.gift], out: "docs-out/export")
        #expect(!(await Pipeline.export(root: project.root, options: options)).failed)
        let before = project.snapshot("docs-out/export")
        try project.write("data/quizzes/phase-07-testing.yaml", validQuiz().replacingOccurrences(of: "correct: [2]", with: "correct: [5]"))
        let report = await Pipeline.export(root: project.root, options: options)
        #expect(report.failed && report.diagnostics.contains { $0.location.path == "data/quizzes/phase-07-testing.yaml" })
        #expect(project.snapshot("docs-out/export") == before)
        // An unknown phase or language is an error too.
        try project.write("data/quizzes/phase-07-testing.yaml", validQuiz())
        #expect((await Pipeline.export(root: project.root, options: ExportOptions(formats: [.gift], phases: [9], out: "x"))).failed)
        #expect((await Pipeline.export(root: project.root, options: ExportOptions(formats: [.gift], language: "fr", out: "x"))).failed)
        #expect(project.snapshot("x").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.root.appendingPathComponent("docs-out").path) == ["export"],
                "no staging folder is left behind")
    }

    @Test func aShuffledHandoutAndItsKeyAgree() async throws {
        var seen: Set<String> = []
        for seed in UInt64(1)...8 {
            let (report, files) = try await Self.export(ExportOptions(formats: [.print], language: "en", phases: [7], out: "out", shuffleSeed: seed),
                                                        files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
            #expect(!report.failed)
            let handout = String(decoding: try #require(files["print/phase-07-testing.en.html"]), as: UTF8.self)
            let key = String(decoding: try #require(files["print/phase-07-testing-key.en.html"]), as: UTF8.self)
            // "Two" is the key; its place in the handout is the number the key gives.
            let twoFirst = try #require(handout.range(of: "</span> Two</li>")).lowerBound < (try #require(handout.range(of: "</span> One</li>"))).lowerBound
            seen.insert(twoFirst ? "Two first" : "One first")
            #expect(key.contains("<strong>Choice \(twoFirst ? 1 : 2).</strong>"), "seed \(seed)")
            #expect(key.contains("<li class=\"correct\"><span class=\"mark\">✓ correct</span> Two</li>"))
            #expect(!handout.contains("Because."), "no answer on the handout")
        }
        #expect(seen.count == 2, "the seeds shuffle both ways")
    }

    // MARK: - GIFT

    /// Moodle's GIFT importer, as far as texts go: a question's answers split at unescaped
    /// `~` and `=`, its feedback at `####`, and `\` escapes undone (`\n` a line break).
    static func moodleUnescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                out.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    @Test func giftEscapesEverythingMoodleUnescapes() {
        var random = SplitMix(seed: 42)
        let alphabet = Array("ab =~#{}:\\\n/<>\"'é")
        for _ in 0..<2_000 {
            let text = String((0..<Int(random.next() % 40)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            let escaped = GIFT.escape(text)
            #expect(Self.moodleUnescape(escaped) == text, "\(text.debugDescription)")
            #expect(!escaped.contains("\n"), "one line, so no line of it starts with //")
            // No special character is left unescaped.
            var previous: Character = " "
            var run = 0
            for character in escaped {
                if "~=#{}:".contains(character) { #expect(previous == "\\" && run % 2 == 1, "\(escaped)") }
                run = character == "\\" ? run + 1 : 0
                previous = character
            }
        }
        #expect(GIFT.escape("<span lang=\"es\">a: b</span>") == "<span lang\\=\"es\">a\\: b</span>")
    }

    @Test func noGiftLineStartsAComment() async throws {
        let yaml = validQuiz().replacingOccurrences(of: "{en: A prompt., es: Un enunciado.}", with: "{en: \"// not a comment\\n\\n// nor this\", es: x}")
        let (report, files) = try await Self.export(ExportOptions(formats: [.gift], out: "out"), files: ["data/quizzes/phase-07-testing.yaml": yaml])
        #expect(!report.failed, "\(report.diagnostics)")
        let text = String(decoding: try #require(files["gift/phase-07-testing.txt"]), as: UTF8.self)
        #expect(!text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("//") })
    }

    // MARK: - Moodle XML

    @Test func moodleFractionsComeFromTheGradeTableAndCancelOut() async throws {
        var yaml = validQuiz()
        for (number, choices, correct) in [(2, 5, "[1, 3, 4]"), (3, 3, "[1, 2, 3]"), (4, 7, "[2]")] {
            yaml += "\n  - id: q-07-0\(number)\n    kind: \(correct == "[2]" ? "single" : "multiple")\n    title: {en: T, es: T}\n"
                + "    prompt: {en: P., es: P.}\n    choices:\n"
                + (1...choices).map { "      - {en: C\($0), es: C\($0)}\n" }.joined()
                + "    correct: \(correct)\n    answer: {en: A., es: A.}\n"
        }
        let (report, files) = try await Self.export(ExportOptions(formats: [.moodle], out: "out"), files: ["data/quizzes/phase-07-testing.yaml": yaml])
        #expect(!report.failed, "\(report.diagnostics)")
        let data = try #require(files["moodle/phase-07-testing.xml"])
        let document = try XMLDocument(data: data)
        let accepted = Set(MoodleGrades.shares.values).union(MoodleGrades.shares.values.map { "-" + $0 }).union(["0"])
        let questions = try document.nodes(forXPath: "/quiz/question[@type='multichoice']")
        #expect(questions.count == 4)
        for question in questions {
            let fractions = try question.nodes(forXPath: "answer/@fraction").compactMap(\.stringValue)
            #expect(fractions.allSatisfy(accepted.contains), "\(fractions)")
            let single = try question.nodes(forXPath: "single").first?.stringValue == "true"
            let values = fractions.compactMap(Double.init)
            #expect(abs(values.filter { $0 > 0 }.reduce(0, +) - 100) < 0.001, "the correct choices make 100: \(fractions)")
            if !single {
                let wrong = values.filter { $0 < 0 }
                #expect(wrong.isEmpty || abs(wrong.reduce(0, +) + 100) < 0.001, "ticking everything scores 0: \(fractions)")
            }
        }
        // Bilingual texts are adjacent spans, one per language.
        let name = try #require(try document.nodes(forXPath: "/quiz/question[@type='multichoice']/name/text").first?.stringValue)
        #expect(name.hasPrefix("<span lang=\"en\" class=\"multilang\">q-07-01 A title</span><span lang=\"es\" class=\"multilang\">"))
    }
}
