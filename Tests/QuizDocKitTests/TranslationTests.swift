import Foundation
import Testing
@testable import QuizDocKit

/// Translation health, as a translator meets it: scenarios run with the built binary in a
/// temporary project.
@Suite struct TranslationTests {
    /// The minimal quiz and a free question.
    static let quiz = validQuiz(extra: """
          - id: q-07-02
            kind: free
            title: {en: Second, es: Segunda}
            prompt: {en: Explain it., es: Explícalo.}
            answer: {en: Like this., es: Así.}

        """)
    static let path = "data/quizzes/phase-07-testing.yaml"

    static func project() throws -> TestProject {
        let project = try TestProject(files: [path: quiz])
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        return project
    }

    static func edit(_ project: TestProject, _ old: String, _ new: String) throws {
        let text = try #require(project.read(path))
        #expect(text.contains(old), "\(old)")
        try project.write(path, text.replacingOccurrences(of: old, with: new))
    }

    @Test func anEnglishChangeMakesItsTranslationOutdatedUntilTheTranslatorActs() throws {
        let project = try Self.project()
        defer { project.remove() }
        let lock = project.read(TranslationLock.path("phase-07-testing"))
        #expect(lock?.contains("\nq-07-01\tprompt\tes\t") == true)

        // The English prompt changes; the Spanish does not.
        try Self.edit(project, "{en: A prompt., es:", "{en: A clearer prompt., es:")
        let check = try runQuizdoc(["check"], in: project.root)
        #expect(check.status == 1, "check fails until build writes the lock and the note")
        #expect(check.stderr.contains("\(Self.path):7:41: warning: the 'es' prompt of q-07-01 may be outdated: its English changed from \"A prompt.\" to \"A clearer prompt.\""),
                "\(check.stderr)")
        let build = try runQuizdoc(["build"], in: project.root)
        #expect(build.status == 0)
        #expect(build.stderr.components(separatedBy: "may be outdated").count == 2, "one outdated warning: \(build.stderr)")
        #expect(project.read("docs-out/quizzes/phase-07-testing.es.md")?.contains("## q-07-01 — Un título\n\n*Traducción posiblemente desactualizada") == true)
        #expect(project.read("docs-out/site/es/quizzes/phase-07-testing.html")?.contains("<p class=\"outdated\">Traducción posiblemente desactualizada") == true)
        #expect(project.read("docs-out/site/es/index.html")?.contains("<span class=\"review\">1 texto por revisar</span>") == true)
        #expect(try runQuizdoc(["check"], in: project.root).status == 0)
        #expect(try runQuizdoc(["build", "--strict"], in: project.root).status == 1)

        // The translator updates the Spanish: current again, the lock follows the English.
        try Self.edit(project, "es: Un enunciado.}", "es: Un enunciado más claro.}")
        let updated = try runQuizdoc(["build"], in: project.root)
        #expect(!updated.stderr.contains("may be outdated"), "\(updated.stderr)")
        #expect(project.read("docs-out/quizzes/phase-07-testing.es.md")?.contains("desactualizada") == false)
        #expect(project.read(TranslationLock.path("phase-07-testing"))?.contains("\tA clearer prompt.\n") == true)
    }

    @Test func acceptMarksATranslationCurrentWithoutEditingIt() throws {
        let project = try Self.project()
        defer { project.remove() }
        try Self.edit(project, "{en: Because., es:", "{en: Because, es:")
        #expect(try runQuizdoc(["build"], in: project.root).stderr.contains("may be outdated"))
        let accept = try runQuizdoc(["i18n", "accept", "q-07-01", "--field", "answer"], in: project.root)
        #expect(accept.status == 0)
        #expect(accept.stdout.contains("1 translation marked current"))
        let rebuilt = try runQuizdoc(["build"], in: project.root)
        #expect(!rebuilt.stderr.contains("may be outdated"), "\(rebuilt.stderr)")
        #expect(project.read("docs-out/quizzes/phase-07-testing.es.md")?.contains("desactualizada") == false)
        #expect(try runQuizdoc(["i18n", "accept", "q-99-01"], in: project.root).status == 1)
    }

    @Test func missingRemovedAndReorderedTexts() throws {
        let project = try Self.project()
        defer { project.remove() }
        // A Spanish text removed: missing, shown in English, and --strict fails.
        try Self.edit(project, "{en: Like this., es: Así.}", "{en: Like this.}")
        let missing = try runQuizdoc(["build"], in: project.root)
        #expect(missing.stderr.contains("has no 'es' translation"))
        #expect(project.read("docs-out/quizzes/phase-07-testing.es.md")?.contains("Like this.") == true)
        #expect(try runQuizdoc(["build", "--strict"], in: project.root).status == 1)
        #expect(project.read(TranslationLock.path("phase-07-testing"))?.contains("q-07-02\tanswer") == false)

        // Questions reordered: nothing is flagged.
        let text = try #require(project.read(Self.path))
        let parts = text.components(separatedBy: "  - id: ")
        try project.write(Self.path, parts[0] + "  - id: " + parts[2] + "  - id: " + parts[1])
        let reordered = try runQuizdoc(["build"], in: project.root)
        #expect(reordered.status == 0)
        #expect(!reordered.stderr.contains("may be outdated"), "\(reordered.stderr)")

        // A question deleted: its lock entries go.
        try project.write(Self.path, parts[0] + "  - id: " + parts[1])
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read(TranslationLock.path("phase-07-testing"))?.contains("q-07-02") == false)
        #expect(project.read(TranslationLock.path("phase-07-testing"))?.contains("q-07-01\tprompt") == true)
    }

    @Test func theReportAddsUp() throws {
        let project = try Self.project()
        defer { project.remove() }
        try Self.edit(project, "{en: A prompt., es:", "{en: Another prompt., es:")
        try Self.edit(project, "{en: Like this., es: Así.}", "{en: Like this.}")
        let result = try runQuizdoc(["i18n", "--format", "json"], in: project.root)
        #expect(result.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let totals = try #require((report["totals"] as? [String: Any])?["es"] as? [String: Int])
        // Phase title, 2 titles, 2 prompts, 2 choices, 2 answers: 9 texts.
        #expect(totals == ["current": 7, "outdated": 1, "missing": 1], "\(totals)")
        let table = try runQuizdoc(["i18n"], in: project.root)
        #expect(table.stdout.contains("phase-07-testing  es          7         1         1"), "\(table.stdout)")
        #expect(table.stdout.contains("77 % current"))
        #expect(try runQuizdoc(["i18n", "--strict"], in: project.root).status == 1)
    }

    /// A build keeps a lock whose every entry still holds as it is (it is not written again),
    /// and writes one a hand edit left out of order back in order, escapes included.
    @Test func aLockIsKeptAsItIsOrWrittenBackInOrder() throws {
        let project = try TestProject(files: [Self.path: Self.quiz.replacingOccurrences(
            of: "{en: Like this., es: Así.}", with: "{en: \"Like\\tthis, a \\\\ and\\n\\nmore.\", es: Así.}")])
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let lockPath = TranslationLock.path("phase-07-testing")
        let lock = try #require(project.read(lockPath))
        #expect(lock.contains("\tLike\\tthis, a \\\\ and\\n\\nmore.\n"), "\(lock)")

        let lockURL = project.root.appendingPathComponent(lockPath)
        let written = try FileManager.default.attributesOfItem(atPath: lockURL.path)[.modificationDate] as? Date
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: lockURL.path)
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("docs-out"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read(lockPath) == lock)
        let kept = try FileManager.default.attributesOfItem(atPath: lockURL.path)[.modificationDate] as? Date
        #expect(kept == Date(timeIntervalSince1970: 1_000_000), "written again (first written \(String(describing: written)))")

        // Lines swapped by hand and a comment added: the same entries, written back in order.
        var lines = lock.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.swapAt(1, 2)
        lines.insert("# a note", at: 3)
        try project.write(lockPath, lines.joined(separator: "\n"))
        let rebuilt = try runQuizdoc(["build"], in: project.root)
        #expect(rebuilt.status == 0)
        #expect(!rebuilt.stderr.contains("may be outdated"), "\(rebuilt.stderr)")
        #expect(project.read(lockPath) == lock)
    }

    /// A text's entry given twice by a hand edit, apart: the file's last one counts; a
    /// question's entries are found wherever they are in the file.
    @Test func aRepeatedLockEntryCountsAsItsLastOne() throws {
        func line(_ question: String, _ field: String, _ english: String) -> String {
            "\(question)\t\(field)\tes\t\(english)\t00000000000000aa\tEnglish\n"
        }
        let lock = TranslationLock.header + line("q-07-01", "title", "0000000000000001") + line("q-07-02", "title", "0000000000000002")
            + line("q-07-01", "prompt", "0000000000000003") + line("q-07-01", "title", "0000000000000004")
        let project = try TestProject(files: [TranslationLock.path("phase-07-testing"): lock])
        defer { project.remove() }
        var bag = DiagnosticBag()
        let read = TranslationLock.read(root: project.root, phase: "phase-07-testing", bag: &bag)
        #expect(bag.diagnostics.isEmpty && read.count == 4 && read.canonical == nil)
        let first = read.entries(of: "q-07-01")
        #expect(read.entry(first, field: "title", language: "es")?.english == 4)
        #expect(read.entry(first, field: "prompt", language: "es")?.english == 3)
        #expect(read.entry(read.entries(of: "q-07-02"), field: "title", language: "es")?.english == 2)
        #expect(read.entry(read.entries(of: "q-07-03"), field: "title", language: "es") == nil)
    }

    /// The lock's English is compared as the file escapes it, before any fingerprint is taken.
    @Test func anEntryKnowsTheEnglishItWasMadeFrom() {
        let texts = ["Plain.", "Two\n\nparagraphs", "a\tb\\c\r\n", "back\\slash n", "", "é — ñ"]
        for text in texts {
            let entry = TranslationLock.Entry(englishText: text, translation: "x")
            #expect(entry.madeFrom(text), "\(text.debugDescription)")
            for other in [text + "x", String(text.dropLast()), "x" + text, text.replacingOccurrences(of: "\n", with: "n")] where other != text {
                #expect(!entry.madeFrom(other), "\(text.debugDescription) against \(other.debugDescription)")
            }
        }
    }

    /// A lock line whose English is today's text, byte for byte, is current: its fingerprint
    /// is not taken again (one edited by hand keeps its word). A translation made then gets
    /// its English's own fingerprint, and a change of the English makes it outdated as before.
    @Test func aLockLineWithTodaysEnglishIsCurrentWhateverItsFingerprint() throws {
        let project = try Self.project()
        defer { project.remove() }
        let path = TranslationLock.path("phase-07-testing")
        let lock = try #require(project.read(path))
        let line = try #require(lock.split(separator: "\n").first { $0.hasPrefix("q-07-01\tprompt\tes\t") })
        var fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        fields[3] = "0123456789abcdef"
        let edited = lock.replacingOccurrences(of: String(line), with: fields.joined(separator: "\t"))
        try project.write(path, edited)
        let build = try runQuizdoc(["build"], in: project.root)
        #expect(build.status == 0)
        #expect(!build.stderr.contains("may be outdated"), "\(build.stderr)")
        #expect(project.read(path) == edited, "kept as it is")
        try Self.edit(project, "es: Un enunciado.}", "es: Un enunciado nuevo.}")
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let fresh = try #require(project.read(path))
        #expect(fresh.contains("q-07-01\tprompt\tes\t\(TranslationLock.fingerprint("A prompt."))\t"), "\(fresh)")
        try Self.edit(project, "{en: A prompt., es:", "{en: A clearer prompt., es:")
        #expect(try runQuizdoc(["build"], in: project.root).stderr.contains("the 'es' prompt of q-07-01 may be outdated"))
    }

    @Test func fingerprintsIgnoreWrappingAndTrailingSpace() {
        let a = TranslationLock.fingerprint("One paragraph\nwrapped here.  \n\nSecond one.")
        #expect(a == TranslationLock.fingerprint("One  paragraph wrapped here.\n\n\nSecond one.\n"))
        #expect(a != TranslationLock.fingerprint("One paragraph wrapped here. Second one."))
        #expect(a != TranslationLock.fingerprint("One paragraph\nwrapped there.\n\nSecond one."))
    }

    /// The fingerprint is FNV-1a over the text as a translator reads it: each paragraph's
    /// words joined by one space, paragraphs (split at lines of white space only) by a blank
    /// line. Held to that definition, written plainly, over random texts.
    @Test func fingerprintsAreThoseOfTheNormalizedText() {
        func reference(_ text: String) -> UInt64 {
            // On the bytes: to Character, "\r\n" is one character, not a line end.
            var paragraphs: [[[UInt8]]] = [], current: [[UInt8]] = []
            for line in Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                let words = line.split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
                if words.isEmpty {
                    if !current.isEmpty { paragraphs.append(current); current = [] }
                } else {
                    current += words.map(Array.init)
                }
            }
            if !current.isEmpty { paragraphs.append(current) }
            let normalized = paragraphs.map { Array($0.joined(separator: [UInt8(ascii: " ")])) }
                .joined(separator: [UInt8(ascii: "\n"), UInt8(ascii: "\n")])
            return normalized.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        }
        let pieces = ["a", "word", "longerwordthaneight", "é", "ñandú", " ", "  ", "\t", "\r", "\n", "\n\n", " \n \n", "\u{1}", "—", "😀", "x.y"]
        var random = SplitMix(seed: 11)
        for length in 0..<300 {
            let text = (0..<(length % 60)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            #expect(TranslationLock.fingerprint(of: text) == reference(text), "\(text.debugDescription)")
        }
    }

    @Test func gitHubActionsGetAnnotationsAndTheWholeListInTheSummary() throws {
        var questions = ""
        for number in 1...60 {
            // Every English-only prompt is a missing translation: 60 warnings.
            questions += """
              - id: q-07-\(String(format: "%02d", number))
                kind: free
                title: {en: Title \(number), es: Título \(number)}
                prompt: {en: "Prompt: \(number), 100%"}
                answer: {en: Because., es: Porque.}

            """
        }
        let project = try TestProject(files: [Self.path: "phase: 7\ntitle: {en: Testing, es: Pruebas}\nquestions:\n" + questions])
        defer { project.remove() }
        let summary = project.root.appendingPathComponent("summary.md")
        try Data().write(to: summary)
        let result = try runQuizdoc(["build"], in: project.root, environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary.path])
        #expect(result.status == 0)
        let annotations = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::warning ") }
        #expect(annotations.count == 60)
        #expect(annotations.first == "::warning file=data/quizzes/phase-07-testing.yaml,line=7,col=13,title=quizdoc::the prompt has no 'es' translation; the es mirror shows the English text marked as untranslated")
        let table = try String(contentsOf: summary, encoding: .utf8)
        #expect(table.hasPrefix("### quizdoc: 0 errors, 60 warnings\n"))
        #expect(table.components(separatedBy: "\n| `data/quizzes/phase-07-testing.yaml:").count == 61)
        // Outside GitHub Actions: no annotation.
        #expect(!(try runQuizdoc(["check"], in: project.root)).stdout.contains("::warning"))
    }

    @Test func newPhaseAndQuestionBuildAsTheyAre() throws {
        let project = try TestProject()
        defer { project.remove() }
        let phase = try runQuizdoc(["new", "phase", "28", "--slug", "attention", "--title", "Attention", "--es", "Atención"], in: project.root)
        #expect(phase.status == 0, "\(phase.stderr)")
        #expect(try runQuizdoc(["new", "question", "28", "--kind", "multiple"], in: project.root).stdout.contains("added q-28-02"))
        #expect(try runQuizdoc(["new", "question", "28", "--kind", "single"], in: project.root).stdout.contains("added q-28-03"))
        let build = try runQuizdoc(["build"], in: project.root)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("empty 'es' translation"))
        #expect(try runQuizdoc(["new", "phase", "28", "--slug", "other", "--title", "Other"], in: project.root).status == 1)
        #expect(project.read("data/quizzes/phase-28-attention.yaml")?.hasPrefix("# yaml-language-server: $schema=../../schema/quiz-v1.schema.json\n") == true)
    }

    @Test func versionAndSchemaCommands() throws {
        let project = try TestProject()
        defer { project.remove() }
        #expect(try runQuizdoc(["--version"], in: project.root).stdout == "\(QuizDocVersion.current)\n")
        #expect(try runQuizdoc(["schema"], in: project.root).status == 0)
        let schema = try #require(project.read(QuizSchema.path))
        #expect(schema.contains("\"$schema\" : \"http://json-schema.org/draft-07/schema#\""))
        // Once there, check keeps it fresh.
        try project.write(QuizSchema.path, schema.replacingOccurrences(of: "\"maxItems\" : 200", with: "\"maxItems\" : 201"))
        #expect(try runQuizdoc(["check"], in: project.root).status == 1)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read(QuizSchema.path) == schema)
    }
}
