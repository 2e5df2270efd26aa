import Foundation
import Testing
@testable import QuizDocKit

/// Untrusted input, one small fixture per case. Each runs the built binary on a project that
/// already has a good build, adds the bad file, and asserts: exit code 1 (never a crash),
/// the exact `path:line:col`, a phrase a contributor can act on, and `docs-out/` unchanged.
@Suite struct HostileInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: Data
        let file: String
        let location: String
        let phrase: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, file: String = "phase-08-hostile.yaml", at location: String, _ phrase: String) {
            self.init(name, Data(text.utf8), file: file, at: location, phrase)
        }

        init(_ name: String, _ bytes: Data, file: String = "phase-08-hostile.yaml", at location: String, _ phrase: String) {
            self.name = name
            self.bytes = bytes
            self.file = file
            self.location = location
            self.phrase = phrase
        }
    }

    static let quiz = validQuiz(phase: "08")
    static func edit(_ old: String, _ new: String) -> String {
        precondition(quiz.contains(old), old)
        return quiz.replacingOccurrences(of: old, with: new)
    }

    static let cases: [Case] = [
        // YAML syntax
        Case("unclosed quote", edit("{en: Testing", "{en: \"Testing"), at: "2:13", "never closed; add the closing quote"),
        Case("bad indentation", edit("    kind: single", "   kind: single"), at: "5:4", "YAML syntax error"),
        Case("tab indentation", edit("    kind: single", "\tkind: single"), at: "5:1", "indent with spaces, not tabs"),
        Case("second document", quiz + "\n---\nphase: 9\n", at: "14:1", "holds one YAML document"),
        Case("empty file", "", at: "1:1", "the file has no content"),
        Case("only a comment", "# nothing yet\n", at: "1:1", "the file has no content"),
        // Encoding
        Case("invalid UTF-8", Data(edit("A prompt.", "A pr\u{1}mpt.").utf8.map { $0 == 1 ? 0xC3 : $0 }), at: "7:22", "not valid UTF-8"),
        Case("NUL byte", edit("Because.", "Because\0."), at: "12:25", "NUL byte"),
        Case("UTF-16 with BOM", Data([0xFF, 0xFE]) + quiz.data(using: .utf16LittleEndian)!, at: "1:1", "the file is UTF-16"),
        Case("UTF-16 without BOM", quiz.data(using: .utf16LittleEndian)!, at: "1:2", "NUL byte"),
        // YAML features we refuse
        Case("anchor", edit("title: {en: A title", "title: &t {en: A title"), at: "6:12", "anchors (&t) are not supported"),
        Case("alias bomb", """
            a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
            e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
            g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
            i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """, at: "1:4", "anchors (&a) are not supported"),
        Case("custom tag", edit("kind: single", "kind: !!python/object single"), at: "5:11", "YAML tags"),
        Case("complex key", edit("title: {en: Testing", "? [a, b]\n: x\ntitle: {en: Testing"), at: "2:3", "complex mapping keys"),
        Case("duplicate key", edit("    answer:", "    prompt: {en: Again}\n    answer:"), at: "12:5", "duplicate key 'prompt' (first at line 7, column 5)"),
        Case("duplicate key in a long mapping", edit("title: {en: Testing, es: Pruebas}",
                                                     "title: {" + (1...20).map { "k\($0): x, " }.joined() + "k7: y, en: Testing}"),
             at: "2:160", "duplicate key 'k7' (first at line 2, column 51)"),
        // Types
        Case("yes as a kind", edit("kind: single", "kind: yes"), at: "5:11", "found 'yes'"),
        Case("sexagesimal choice", edit("correct: [2]", "correct: [12:30]"), at: "11:15", "found '12:30'"),
        Case("number where text is expected", edit("title: {en: Testing, es: Pruebas}", "title: 42"), at: "2:8", "must be a mapping of translations"),
        Case("text where a number is expected", edit("phase: 8", "phase: eight"), at: "1:8", "must be a whole number"),
        Case("huge integer", edit("correct: [2]", "correct: [99999999999999999999999999]"), at: "11:15", "between 1 and 2"),
        Case("float choice", edit("correct: [2]", "correct: [1.5]"), at: "11:15", "found '1.5'"),
        Case("list where a map is expected", edit("  - id: q-08-01", "  - [q-08-01]\n  - id: q-08-02"), at: "4:5", "a question must be a mapping"),
        Case("thousands of levels", edit("title: {en: Testing, es: Pruebas}", "title: " + String(repeating: "[", count: 5000)), at: "2:9", "nested more than 16 levels"),
        Case("seventeen levels", edit("title: {en: Testing, es: Pruebas}", "title: " + String(repeating: "[", count: 17) + String(repeating: "]", count: 17)), at: "2:23", "nested more than 16 levels"),
        // Schema and names
        Case("id escaping the folder", edit("id: q-08-01", "id: ../../etc/passwd"), at: "4:9", "must look like 'q-08-01'"),
        Case("id with a slash", edit("id: q-08-01", "id: q-08/01"), at: "4:9", "must look like"),
        Case("id with a backslash", edit("id: q-08-01", "id: 'q-08-\\01'"), at: "4:9", "must look like"),
        Case("empty id", edit("id: q-08-01", "id: ''"), at: "4:9", "must look like"),
        Case("id differing by case", edit("id: q-08-01", "id: Q-08-01"), at: "4:9", "must look like"),
        Case("id in full-width digits", edit("id: q-08-01", "id: q-08-０１"), at: "4:9", "must look like"),
        Case("id colliding with phase 7", edit("id: q-08-01", "id: q-07-01"), at: "4:9", "must look like 'q-08-01'"),
        Case("file name escaping", quiz, file: "phase-08-..yaml", at: "1:1", "file name must look like"),
        Case("dot file name", quiz, file: "phase-08-.yaml", at: "1:1", "file name must look like"),
        Case("reserved device name", quiz, file: "CON.yaml", at: "1:1", "file name must look like"),
        Case("phase differs from file name", quiz, file: "phase-09-hostile.yaml", at: "1:8", "'phase' is 8 but the file name says 09"),
        Case("stray non-YAML file", "hello", file: "notes.txt", at: "1:1", "this is not a quiz file"),
        // Size
        Case("file over 1 MiB", quiz + "# " + String(repeating: "x", count: 1 << 20) + "\n", at: "1:1", "the limit is 1048576 bytes"),
        Case("text over the limit", edit("Because.", String(repeating: "a", count: 10_001)), at: "12:18", "the limit is 10000"),
        Case("too many choices", edit("      - {en: Two, es: Dos}\n", String(repeating: "      - {en: Two, es: Dos}\n", count: 26)), at: "9:7", "2 to 26 choices"),
        Case("too many questions", "phase: 8\ntitle: {en: T, es: T}\nquestions:\n" + (1...201).map { "  - {id: q-08-\(String(format: "%03d", $0)), kind: free, title: {en: T, es: T}, prompt: {en: P, es: P}, answer: {en: A, es: A}}\n" }.joined(),
             at: "4:3", "at most 200 questions"),
        // Markdown that stresses cmark-gfm, refused by a limit
        Case("very wide table", edit("Because.", "|" + String(repeating: "a|", count: 120) + "\\n|" + String(repeating: "-|", count: 120)).replacingOccurrences(of: "{en: |", with: "{en: \"|").replacingOccurrences(of: "-|, es: Porque.}", with: "-|\", es: Porque.}"),
             at: "12:18", "tables are limited to 100 columns"),
        Case("autolinker stress", edit("Because.", String(repeating: "a@", count: 201)), at: "12:18", "more than 200 '@' characters"),
        // HTML injection in every kind of text
        Case("script in a choice", edit("{en: One", "{en: \"<script>alert(1)</script>\""), at: "9:14", "raw HTML <script>"),
        Case("iframe in a prompt", edit("{en: A prompt.", "{en: \"<iframe src=x></iframe>\""), at: "7:18", "raw HTML <iframe src=x>"),
        Case("onerror in the quiz title", edit("{en: Testing", "{en: \"<img src=x onerror=alert(1)>\""), at: "2:13", "raw HTML <img"),
        Case("javascript link in Spanish", edit("es: Porque.", "es: \"[x](jAvAsCrIpT:alert(1))\""), at: "12:32", "scheme 'javascript:'"),
        Case("entity-encoded javascript", edit("es: Porque.", "es: \"[x](&#x6A;avascript&#58;alert(1))\""), at: "12:32", "scheme 'javascript:'"),
        Case("spaces before the scheme", edit("es: Porque.", "es: \"[x](  javascript:alert(1))\""), at: "12:32", "scheme 'javascript:'"),
        Case("details breakout", edit("{en: Because.", "{en: \"x\\n\\n</details>\\n\\n# Fake\""), at: "12:18", "raw HTML </details>"),
        Case("attribute breakout in a title", edit("{en: A title", "{en: '\"><svg onload=alert(1)>'"), at: "6:17", "raw HTML <svg onload=alert(1)>"),
        // Texts that would change how the mirror reads the texts after them
        Case("unclosed backtick fence in a prompt", edit("{en: A prompt.", "{en: \"A prompt.\\n\\n```\\ncode\""), at: "7:18", "leaves a block open"),
        Case("unclosed tilde fence in an answer", edit("{en: Because.", "{en: \"~~~\\nx\""), at: "12:18", "leaves a block open"),
        Case("a choice that reads as a list", edit("{en: One", "{en: \"- One\""), at: "9:14", "reads as a list"),
        // Invisible characters that change what a reader sees
        Case("bare carriage return in a title", edit("{en: A title", "{en: \"A title\\r===\""), at: "6:17", "U+000D"),
        Case("escape sequence in a choice", edit("{en: One", "{en: \"One\\e[2J\""), at: "9:14", "U+001B"),
        Case("C1 control in a prompt", edit("{en: A prompt.", "{en: \"A\\x85prompt\""), at: "7:18", "U+0085"),
        Case("line separator in an answer", edit("{en: Because.", "{en: \"Be\\u2028cause\""), at: "12:18", "U+2028"),
        Case("byte order mark starting an answer", edit("{en: Because.", "{en: \"\\uFEFF - x\\n- y\""), at: "12:18", "U+FEFF"),
        Case("noncharacter in an answer", edit("{en: Because.", "{en: \"Be\\uFFFEcause\""), at: "12:18", "U+FFFE"),
        Case("unclosed right-to-left override", edit("{en: A title", "{en: \"A \\u202Etitle\""), at: "6:17", "U+202E is never closed"),
        Case("unclosed isolate", edit("es: Porque.", "es: \"\\u2067Porque\""), at: "12:32", "U+2067 is never closed"),
        Case("stray pop directional formatting", edit("es: Porque.", "es: \"Porque\\u202C\""), at: "12:32", "U+202C closes nothing"),
        Case("unbalanced sub in the phase title", edit("{en: Testing", "{en: \"x<sub>y\""), at: "2:13", "<sub> is never closed"),
        Case("sub closed in another paragraph", edit("{en: Because.", "{en: \"x<sub>y\\n\\nz</sub>\""), at: "12:18", "never closed in its paragraph"),
    ]

    @Test(arguments: cases)
    func refused(_ testCase: Case) throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let before = project.snapshot("docs-out")
        try project.write("data/quizzes/\(testCase.file)", testCase.bytes)

        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1, "\(result.stderr)")
        let expected = "data/quizzes/\(testCase.file):\(testCase.location): error: "
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(expected) && $0.contains(testCase.phrase) },
                "expected \(expected)…\(testCase.phrase)…, got:\n\(result.stderr)")
        #expect(project.snapshot("docs-out") == before)
        // check agrees, and writes nothing either.
        #expect(try runQuizdoc(["check"], in: project.root).status == 1)
        #expect(project.snapshot("docs-out") == before)
    }

    @Test func bomAndCRLFGiveTheSameOutputAsPlainLF() throws {
        let plain = try TestProject(files: ["data/quizzes/phase-08-x.yaml": Self.quiz])
        let windows = try TestProject(files: [:])
        defer { plain.remove(); windows.remove() }
        try windows.write("data/quizzes/phase-08-x.yaml", Data([0xEF, 0xBB, 0xBF]) + Data(Self.quiz.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        #expect(try runQuizdoc(["build"], in: plain.root).status == 0)
        #expect(try runQuizdoc(["build"], in: windows.root).status == 0)
        #expect(IncrementalBuildTests.outputs(plain) == IncrementalBuildTests.outputs(windows))
    }

    @Test func aSymlinkIsNotFollowed() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        try FileManager.default.createSymbolicLink(atPath: project.root.appendingPathComponent("data/quizzes/phase-08-link.yaml").path,
                                                   withDestinationPath: "/etc/passwd")
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("data/quizzes/phase-08-link.yaml:1:1: error: is a symbolic link, which quizdoc does not follow"))
        #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("docs-out").path))
    }

    @Test func aFileThatCannotBeReadIsAnError() throws {
        // Root reads any file whatever its mode, so unreadability is made with a FIFO and a folder.
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        #expect(mkfifo(project.root.appendingPathComponent("data/quizzes/phase-08-fifo.yaml").path, 0o644) == 0)
        try FileManager.default.createDirectory(at: project.root.appendingPathComponent("data/quizzes/phase-09-dir.yaml"), withIntermediateDirectories: true)
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("data/quizzes/phase-08-fifo.yaml:1:1: error: is not a regular file"))
        #expect(result.stderr.contains("data/quizzes/phase-09-dir.yaml:1:1: error: is not a regular file"))
    }

    @Test func anUnwritableOutputFolderIsAClearErrorWithNoPartialTree() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        // A file where the output folder should be: even root cannot write into it.
        try project.write("docs-out", "not a folder")
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("docs-out:1:1: error: cannot write docs-out"))
        #expect(project.read("docs-out") == "not a folder")
    }

    @Test func allProblemsOfARunAreReportedTogetherAndSorted() throws {
        let project = try TestProject(files: [
            "data/quizzes/phase-07-testing.yaml": validQuiz().replacingOccurrences(of: "kind: single", with: "kind: yes"),
            "data/quizzes/phase-08-hostile.yaml": Self.edit("{en: One", "{en: \"<script>x</script>\""),
            "data/quizzes/phase-09-x.yml": "x",
        ])
        defer { project.remove() }
        let result = try runQuizdoc(["build"], in: project.root)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.map(String.init)
        #expect(errors.count == 3, "\(result.stderr)")
        #expect(errors.map { $0.prefix { $0 != ":" } } == ["data/quizzes/phase-07-testing.yaml", "data/quizzes/phase-08-hostile.yaml", "data/quizzes/phase-09-x.yml"])
        #expect(errors.first?.hasPrefix("data/quizzes/phase-07-testing.yaml:5:11") == true)
        #expect(errors.last?.hasPrefix("data/quizzes/phase-09-x.yml:1:1") == true)
    }
}
