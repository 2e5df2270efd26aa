import Foundation
import Testing
@testable import QuizDocKit

/// Everything the build reads is untrusted, the mirror is as safe as the page, and a failed
/// build changes nothing: one test or more per class of attack.
@Suite struct HardeningTests {
    static func project(phases: Int = 1) throws -> TestProject {
        var files: [String: String] = [:]
        for phase in 0..<phases {
            let digits = String(format: "%02d", 7 + phase)
            files["data/quizzes/phase-\(digits)-testing.yaml"] = validQuiz(phase: digits)
        }
        return try TestProject(files: files)
    }

    // MARK: 1. Every input folder goes through the same file gate

    @Test(arguments: [
        ("templates/assets/env.txt", "/proc/self/environ"),
        ("templates/site/footer.mustache", "/etc/passwd"),
        ("templates/strings/fr.yaml", "/etc/hostname"),
    ])
    func aSymlinkUnderTemplatesIsRefusedAtItsPlace(_ path: String, _ destination: String) throws {
        let project = try Self.project()
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let before = project.snapshot("docs-out")
        try FileManager.default.createSymbolicLink(atPath: project.root.appendingPathComponent(path).path, withDestinationPath: destination)
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(path):1:1: error: is a symbolic link, which quizdoc does not follow"), "\(result.stderr)")
        #expect(project.snapshot("docs-out") == before)
    }

    /// A file is read whole whatever size was seen before it was opened (it may have grown
    /// or shrunk since), and never past the limit.
    @Test(arguments: [0, 1, 4_999, 5_000, 5_001, 70_000, 200_000])
    func aFileIsReadWholeWhateverSizeWasExpected(expected: Int) throws {
        let bytes = (0..<140_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for (size, limit) in [(0, 1_000), (5_000, 200_000), (140_000, 200_000), (140_000, 139_999)] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("quizdoc-read-\(UUID()).bin").path
            defer { unlink(path) }
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(size))))
            let descriptor = open(path, O_RDONLY)
            defer { close(descriptor) }
            switch InputFile.readAll(descriptor, limit: limit, expected: expected) {
            case .bytes(let read): #expect(size <= limit && read == Array(bytes.prefix(size)), "\(size) of \(limit)")
            case .tooLarge: #expect(size > limit, "\(size) of \(limit)")
            case .failed(let reason): Issue.record("\(reason)")
            }
        }
    }

    @Test func temporaryFilesAreKnownByTheirMarker() {
        for name in [".phase-01-a.md.tmp-quizdoc-42", "x.tmp-quizdoc-", ".tmp-quizdoc-", "a.b.tmp-quizdoc-old-7", "é.tmp-quizdoc-1"] {
            #expect(AtomicFile.isTemporary(name), "\(name)")
        }
        for name in ["phase-01-a.md", ".tmp-quizdoc", "tmp-quizdoc-1", "", ".", "a.tmp-quizdo", ".TMP-QUIZDOC-1"] {
            #expect(!AtomicFile.isTemporary(name), "\(name)")
        }
    }

    /// The manifest is written over the one before it (`Manifest.sparePath`); whatever is
    /// planted under that name (a link out, a second name of another file, a folder, a pipe)
    /// is never written through, and the build still saves a manifest the next one uses.
    @Test func theManifestsSpareIsNeverWrittenThrough() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 2, questionsPerPhase: 2)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let outside = project.root.appendingPathComponent("outside.txt")
        let spare = project.root.appendingPathComponent(Manifest.sparePath)
        let plants: [(String, () throws -> Void)] = [
            ("a link", { try FileManager.default.createSymbolicLink(at: spare, withDestinationURL: outside) }),
            ("a hard link", { try FileManager.default.linkItem(at: outside, to: spare) }),
            ("a folder", { try FileManager.default.createDirectory(at: spare, withIntermediateDirectories: false) }),
            ("a pipe", { #expect(mkfifo(spare.path, 0o644) == 0) }),
        ]
        let phase1 = "data/quizzes/phase-01-topic-1.yaml"
        for (what, plant) in plants {
            try Data("keep me\n".utf8).write(to: outside)
            try? FileManager.default.removeItem(at: spare)
            try plant()
            try project.toggle(phase1, "kernel", "KERNEL")
            #expect(try runQuizdoc(["build"], in: project.root).status == 0, "\(what)")
            #expect(try String(contentsOf: outside, encoding: .utf8) == "keep me\n", "\(what): written through")
            #expect(try runQuizdoc(["build"], in: project.root).stdout.hasPrefix("quizdoc: up to date"), "\(what): the manifest was not saved")
        }
    }

    /// A killed build's temporary mirrors and locks are removed by the next build, whether it
    /// has nothing to make, makes one phase or everything; `check` writes nothing.
    @Test func aKilledBuildsTemporaryFilesAreRemovedByTheNextBuild() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 3, questionsPerPhase: 2)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let leftovers = ["docs-out/quizzes/.phase-02-topic-2.md\(AtomicFile.temporaryMarker)999999",
                         "docs-out/quizzes/.phase-01-topic-1.es.md\(AtomicFile.temporaryMarker)old-999999",
                         "data/translations/.phase-03-topic-3.lock\(AtomicFile.temporaryMarker)999999"]
        let phase2 = "data/quizzes/phase-02-topic-2.yaml"
        let edits: [(String, (String) -> String)] = [
            ("nothing to make", { $0 }),
            ("one phase", { $0.replacingOccurrences(of: "kernel", with: "KERNEL") }),
        ]
        for (what, edit) in edits {
            for path in leftovers { try project.write(path, "half written") }
            #expect(try runQuizdoc(["check"], in: project.root).status == 0)
            #expect(leftovers.allSatisfy { project.read($0) != nil }, "check removed a file")
            try project.write(phase2, edit(try #require(project.read(phase2))))
            #expect(try runQuizdoc(["build"], in: project.root).status == 0)
            for path in leftovers { #expect(project.read(path) == nil, "\(what): \(path) is left") }
        }
        for path in leftovers { try project.write(path, "half written") }
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("docs-out/.quizdoc-manifest"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        for path in leftovers { #expect(project.read(path) == nil, "a full build: \(path) is left") }
    }

    @Test func aSymlinkedTemplateFolderIsRefused() throws {
        let project = try Self.project()
        defer { project.remove() }
        let assets = project.root.appendingPathComponent("templates/assets")
        try FileManager.default.moveItem(at: assets, to: project.root.appendingPathComponent("elsewhere"))
        try FileManager.default.createSymbolicLink(atPath: assets.path, withDestinationPath: "../elsewhere")
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("templates/assets:1:1: error: templates/assets/ is a symbolic link"), "\(result.stderr)")
    }

    @Test func assetSubfoldersAreCopiedAndOddOnesReported() throws {
        let project = try Self.project()
        defer { project.remove() }
        try project.write("templates/assets/fonts/body.woff2", "font bytes")
        try project.write("templates/assets/fonts/.DS_Store", "junk")
        #expect(mkfifo(project.root.appendingPathComponent("templates/assets/pipe.css").path, 0o644) == 0)
        var result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("templates/assets/pipe.css:1:1: error: is not a regular file"), "\(result.stderr)")
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("templates/assets/pipe.css"))
        result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("templates/assets/fonts/.DS_Store:1:1: warning: hidden file left out"))
        #expect(project.read("docs-out/site/assets/fonts/body.woff2") == "font bytes")
        #expect(project.read("docs-out/site/assets/fonts/.DS_Store") == nil)
    }

    // MARK: 2. The mirror is as safe as the page

    @Test func aSetextUnderlineNeverTurnsTheLeadInIntoAHeading() async throws {
        let yaml = validQuiz().replacingOccurrences(of: "{en: Because., es: Porque.}", with: "{en: \"Because\\n===\", es: \"Porque\\n---\"}")
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": yaml])
        defer { project.remove() }
        let generation = await Pipeline.generate(root: project.root)
        #expect(!generation.failed, "\(generation.diagnostics)")
        let mirror = try #require(generation.mirrors.first { $0.path.hasSuffix("phase-07-testing.md") })
        #expect(String(decoding: mirror.contents, as: UTF8.self).contains("**Choice 2.**\n\nBecause\n==="))
        let page = try #require(generation.site.first { $0.path == "quizzes/phase-07-testing.html" })
        #expect(String(decoding: page.contents, as: UTF8.self).contains("<p><strong>Choice 2.</strong></p>\n<h1>Because</h1>"))
    }

    @Test func aPromptEndingInANumberedListKeepsItsOwnItems() async throws {
        let yaml = validQuiz().replacingOccurrences(of: "{en: A prompt.", with: "{en: \"Steps:\\n\\n1. one\\n2. two\"")
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": yaml])
        defer { project.remove() }
        let generation = await Pipeline.generate(root: project.root)
        #expect(!generation.failed, "\(generation.diagnostics)")
        // The how-to-answer line stands between the prompt's list and the choices.
        let mirror = String(decoding: try #require(generation.mirrors.first { $0.path.hasSuffix("testing.md") }).contents, as: UTF8.self)
        let html = Markdown.renderTrusted(mirror)
        #expect(html.contains("<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n<p><em>Choose one.</em></p>\n<ol>\n<li>One</li>"), "\(html)")
    }

    // MARK: 3. No control character reaches a terminal

    @Test func diagnosticsShowControlAndBidiCharactersEscaped() throws {
        let project = try Self.project()
        defer { project.remove() }
        try project.write("data/quizzes/evil\u{1B}[2K\u{202E}.txt", "x")
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("data/quizzes/evil\\u{1B}[2K\\u{202E}.txt:1:1: error:"), "\(result.stderr)")
        #expect(!result.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }

    /// `DiagnosticBag.sorted` sorts by numbers and compares messages only on ties: the same
    /// as a stable sort by `Diagnostic.<` with repeats dropped, over diagnostics drawn from
    /// small pools so that places, messages and whole diagnostics repeat (a path among them
    /// twice, composed and decomposed: one path to `String`).
    @Test func sortedDiagnosticsAreAStableSortWithoutRepeats() {
        var random = SplitMix(seed: 7)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        for _ in 0..<200 {
            var bag = DiagnosticBag()
            for _ in 0..<Int(random.next() % 60) {
                let location = SourceLocation(path: pick(["b.yaml", "a.yaml", "a.yaml.x", "é.yaml", "e\u{301}.yaml"]), line: pick([1, 2, 10]), column: pick([1, 3]))
                bag.append(contentsOf: [Diagnostic(pick([.error, .warning]), at: location, pick(["m", "n", "Z", "m "]), rule: pick([nil, "r", "s"]))])
            }
            var expected: [Diagnostic] = []
            for diagnostic in bag.diagnostics.enumerated().sorted(by: { $0.element < $1.element || !($1.element < $0.element) && $0.offset < $1.offset }).map(\.element)
            where !expected.contains(diagnostic) {
                expected.append(diagnostic)
            }
            #expect(bag.sorted == expected)
        }
    }

    /// `build` prints its diagnostics through `lines` (`appendLine`), which skips making a string when
    /// the parts hold nothing to escape: always the same line as `description`.
    @Test func aDiagnosticsLineIsItsDescription() {
        let locations = [SourceLocation(path: "data/quizzes/phase-01-a.yaml", line: 12, column: 7), .file("quizdoc.yaml"),
                         SourceLocation(path: "data/quizzes/évil\u{1B}[2K\u{202E}.yaml", line: 10_000, column: 0),
                         SourceLocation(path: "x y", line: -1, column: 123_456)]
        // Each escaped scalar at the ends of its range, and visible ones beside them.
        let messages = ["a plain message", "'año' \u{2028} hidden", "tab\there", "", "positions 1–4: 10, 3", "🙂 ñ ß",
                        "c1 \u{80}", "c1 \u{9F}", "\u{A0} nbsp", "\u{61C}", "\u{61B}\u{61D}", "\u{200D}\u{2010}", "a\u{200E}",
                        "\u{200F}", "\u{2027}\u{202F}", "\u{202E}", "\u{2065}\u{206A}", "\u{2066}", "\u{2069}", "\u{FEFE}\u{FF00}",
                        "end \u{FEFF}", "\u{FFF8}\u{FFFC}", "\u{FFF9}", "\u{FFFB}", "del \u{7F}", "\u{7E}\u{20}"]
        for location in locations {
            for message in messages {
                for rule in [nil, "key-position", "ru\u{7}le"] {
                    for severity in [Diagnostic.Severity.error, .warning] {
                        let diagnostic = Diagnostic(severity, at: location, message, rule: rule)
                        var bytes = ByteBuffer()
                        bytes.append(UInt8(ascii: ">"))
                        diagnostic.appendLine(to: &bytes)
                        #expect(String(decoding: bytes.take(), as: UTF8.self) == ">" + diagnostic.description + "\n")
                        #expect(Diagnostic.lines([diagnostic, diagnostic]) == Array((diagnostic.description + "\n").utf8) + Array((diagnostic.description + "\n").utf8))
                    }
                }
            }
        }
    }

    @Test func pairedBidiAndBalancedTagsAreFine() async throws {
        let yaml = validQuiz()
            .replacingOccurrences(of: "{en: A title", with: "{en: \"A \\u202Bشكرا\\u202C and \\u2067x\\u2069\"")
            .replacingOccurrences(of: "{en: Testing", with: "{en: \"H<sub>2</sub>O and <kbd>Ctrl</kbd>\"")
        #expect(try await diagnostics(for: yaml).filter { $0.severity == .error }.isEmpty)
    }

    // MARK: 4. UI strings obey the content policy

    @Test(arguments: [
        ("answer: Answer", "answer: \"Answer</summary></details>\"", "raw HTML"),
        ("free_mark: free", "free_mark: \"<img src=x onerror=alert(1)>\"", "raw HTML <img"),
        ("home: Home", "home: \"[home](javascript:alert(1))\"", "scheme 'javascript:'"),
        ("answer: Answer", "answer: \"Answer -->\"", "'-->'"),
        ("answer: Answer", "answer: \"# Answer\"", "reads as a heading"),
        ("answer: Answer", "answer: \"Ans\\e[31mwer\"", "U+001B"),
    ])
    func uiStringsAreCheckedLikeQuizTexts(_ original: String, _ replacement: String, _ phrase: String) throws {
        let project = try Self.project()
        defer { project.remove() }
        let strings = try #require(project.read("templates/strings/en.yaml"))
        #expect(strings.contains(original))
        try project.write("templates/strings/en.yaml", strings.replacingOccurrences(of: original, with: replacement))
        let line = strings.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(original) }! + 1
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").contains { $0.hasPrefix("templates/strings/en.yaml:\(line):") && $0.contains(phrase) },
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("docs-out/site").path))
    }

    // MARK: 5. A failed build changes nothing

    /// A project with a good build, then an edit of every phase and one phase removed, so a
    /// commit has mirrors to replace, a site to swap and an orphan to remove.
    static func changedProject() throws -> (TestProject, before: [String: Data]) {
        let project = try Self.project(phases: 3)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let before = project.snapshot("docs-out")
        for phase in ["07", "08"] {
            try project.write("data/quizzes/phase-\(phase)-testing.yaml", validQuiz(phase: phase).replacingOccurrences(of: "Because.", with: "Since.")
                .replacingOccurrences(of: "Porque.", with: "Ya que."))
        }
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("data/quizzes/phase-09-testing.yaml"))
        return (project, before)
    }

    @Test(arguments: ["backup:1", "backup:3", "swap:1", "rename:1", "rename:2", "rename:4", "remove:1", "remove:2"])
    func aStepThatFailsIsUndoneWhole(_ step: String) throws {
        let (project, before) = try Self.changedProject()
        defer { project.remove() }
        let failed = try runQuizdoc(["build"], in: project.root, environment: ["QUIZDOC_FAIL_AT": step])
        #expect(failed.status == 1, "\(step): \(failed.stderr)")
        #expect(failed.stderr.contains("nothing was written"))
        #expect(project.snapshot("docs-out") == before, "\(step): the disk changed")
        // The next build does the whole job.
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(IncrementalBuildTests.outputs(project) == (try IncrementalBuildTests.fullBuild(of: project)))
    }

    /// A first build stages its mirrors in a folder of their own, moved in after the site:
    /// a failure at the swap, at that move or at the first translation lock's rename after
    /// it leaves no output and no lock, and the next build does the whole job.
    @Test(arguments: ["swap:1", "rename:1", "rename:2"])
    func aFirstBuildThatFailsLeavesNothing(_ step: String) throws {
        let project = try Self.project(phases: 3)
        defer { project.remove() }
        let data = project.snapshot("data")
        let failed = try runQuizdoc(["build"], in: project.root, environment: ["QUIZDOC_FAIL_AT": step])
        #expect(failed.status == 1, "\(step): \(failed.stderr)")
        #expect(failed.stderr.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("docs-out").path), "\(step)")
        #expect(project.snapshot("data") == data, "\(step): a translation lock was left")
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(IncrementalBuildTests.outputs(project) == (try IncrementalBuildTests.fullBuild(of: project)))
        #expect(IncrementalBuildTests.outputs(project).keys.filter { $0.hasPrefix("quizzes/phase-") }.count == 6)
    }

    @Test func aFolderWhereAMirrorGoesFailsBeforeAnythingMoves() throws {
        let (project, before) = try Self.changedProject()
        defer { project.remove() }
        // Sorted after the other mirrors, so a commit that checked late would have moved them.
        try FileManager.default.createDirectory(at: project.root.appendingPathComponent("docs-out/quizzes/phase-10-testing.es.md"),
                                                withIntermediateDirectories: true)
        try project.write("data/quizzes/phase-10-testing.yaml", validQuiz(phase: "10"))
        let snapshot = project.snapshot("docs-out")
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("docs-out/quizzes/phase-10-testing.es.md: it is not a regular file"), "\(result.stderr)")
        #expect(project.snapshot("docs-out") == snapshot)
        #expect(snapshot.count > before.count)
    }

    @Test(arguments: ["docs-out", "docs-out/quizzes", "docs-out/site"])
    func aSymlinkedOutputFolderIsNeitherWrittenNorCleanedThrough(_ folder: String) throws {
        let project = try Self.project()
        defer { project.remove() }
        let outside = project.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try project.write("outside/phase-99-orphan.md", "not quizdoc's")
        try FileManager.default.createDirectory(at: project.root.appendingPathComponent(folder).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: project.root.appendingPathComponent(folder).path, withDestinationPath: outside.path)
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot write \(folder): it is a symbolic link"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["phase-99-orphan.md"])
    }

    /// A link where a build looks for its spare site or clears a staging folder is removed,
    /// never followed: what it points at stays as it was.
    @Test(arguments: ["docs-out/.site-spare", "docs-out/.site-staging-999"])
    func aLinkWhereABuildClearsOrStagesIsNeverFollowed(_ name: String) throws {
        let project = try Self.project()
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let outside = project.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside.appendingPathComponent("quizzes"), withIntermediateDirectories: true)
        try project.write("outside/index.html", "not quizdoc's")
        try project.write("outside/quizzes/phase-07-testing.html", "not quizdoc's either")
        try FileManager.default.createSymbolicLink(atPath: project.root.appendingPathComponent(name).path, withDestinationPath: outside.path)
        try project.write("data/quizzes/phase-07-testing.yaml", validQuiz().replacingOccurrences(of: "A prompt.", with: "A new prompt."))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("outside/index.html") == "not quizdoc's")
        #expect(project.read("outside/quizzes/phase-07-testing.html") == "not quizdoc's either")
        #expect(project.read("docs-out/site/quizzes/phase-07-testing.html")?.contains("A new prompt.") == true)
        #expect(InputFile.kind(name, root: project.root) != .link, "the link is gone")
    }

    @Test func aMissingRootIsAnErrorAndCreatesNothing() throws {
        let project = try Self.project()
        defer { project.remove() }
        let missing = project.root.appendingPathComponent("no/such/folder")
        for command in ["build", "check"] {
            let result = try runQuizdoc([command, "--root", missing.path], in: project.root)
            #expect(result.status == 1)
            #expect(result.stderr.contains("the project root is not a folder"))
        }
        #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("no").path))
    }

    // MARK: 6. Command-line values are validated

    @Test(arguments: ["example.org", "ftp://example.org/", "https:///path", "https://example.org/a b", "https://example.org/?q=1",
                      "https://example.org/#top", "https://user:secret@example.org/", "javascript:alert(1)", ""])
    func aBadBaseURLIsAUsageError(_ url: String) throws {
        let project = try Self.project()
        defer { project.remove() }
        let result = try runQuizdoc(["build", "--base-url", url], in: project.root)
        #expect(result.status == 64, "\(url)")
        #expect(result.stderr.contains("--base-url must be an absolute http(s) URL"))
        #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("docs-out").path))
    }

    @Test func schemeAndHostAreCaseInsensitive() throws {
        let project = try Self.project()
        defer { project.remove() }
        #expect(try runQuizdoc(["build", "--base-url", "HTTPS://EXAMPLE.ORG/Course"], in: project.root).status == 0)
        let sitemap = try #require(project.read("docs-out/site/sitemap.xml"))
        #expect(sitemap.contains("<loc>https://example.org/Course/index.html</loc>"))
    }
}

/// The `expected` words of free questions: validated like every field.
@Suite struct ExpectedWordsTests {
    static let free = """
    phase: 7
    title: {en: Testing, es: Pruebas}
    questions:
      - id: q-07-01
        kind: free
        title: {en: A title, es: Un título}
        prompt: {en: A prompt., es: Un enunciado.}
        answer: {en: Because., es: Porque.}
        expected: EXPECTED

    """

    @Test(arguments: [
        ("{en: [a, b], es: [á]}", nil),
        ("{en: [a]}", "9:15: warning: 'expected' has no 'es' words"),
        ("{es: [a]}", "9:15: error: 'expected' has no English words"),
        ("[a, b]", "9:15: error: 'expected' must be a mapping"),
        ("{en: [], es: [a]}", "9:20: error: the 'en' expected words must be a list of at least one word"),
        ("{en: [\"\"], es: [a]}", "9:21: error: an expected word is one short line"),
        ("{en: [a], es: [a], fr: [a]}", "9:34: error: unknown key 'fr'"),
        ("{en: [\"<script>x</script>\"], es: [a]}", "9:21: error: in the 'en' text: raw HTML <script>"),
    ])
    func expectedWordsAreValidated(_ value: String, _ problem: String?) async throws {
        let found = try await diagnostics(for: Self.free.replacingOccurrences(of: "EXPECTED", with: value)).map(\.description)
        if let problem {
            #expect(found.contains { $0.hasPrefix("data/quizzes/phase-07-testing.yaml:\(problem)") }, "\(found)")
        } else {
            #expect(found.isEmpty, "\(found)")
        }
    }

    @Test func onlyFreeQuestionsExpectWords() async throws {
        let yaml = validQuiz().replacingOccurrences(of: "    correct: [2]", with: "    correct: [2]\n    expected: {en: [a], es: [b]}")
        let found = try await diagnostics(for: yaml).map(\.description)
        #expect(found.contains { $0.contains("error: only free questions have 'expected' words") }, "\(found)")
    }

    @Test func tooManyWordsAreRefused() async throws {
        let words = (1...21).map { "w\($0)" }.joined(separator: ", ")
        let found = try await diagnostics(for: Self.free.replacingOccurrences(of: "EXPECTED", with: "{en: [\(words)], es: [a]}")).map(\.description)
        #expect(found.contains { $0.contains("at most 20 words; this list has 21") }, "\(found)")
    }
}

/// Two builds of one project never run at once (`quizdoc serve` rebuilding while
/// `quizdoc build` runs would race on the staging folder, the spare site and the manifest),
/// nor `i18n accept` beside a build (both write the translation locks).
@Suite struct BuildLockTests {
    /// Runs quizdoc with `arguments` in `project` while the test holds the project as a
    /// running build does: returns what it said before it waited, calls `whileWaiting`, then
    /// lets it go and returns its exit status.
    static func runWhileHeld(_ arguments: [String], in project: TestProject, whileWaiting: () -> Void) throws -> (said: String, status: Int32) {
        let descriptor = open(project.root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        #expect(flock(descriptor, LOCK_EX) == 0)
        let process = Process()
        process.executableURL = quizdocBinary
        process.arguments = arguments
        process.currentDirectoryURL = project.root
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Its standard error read until its first line (or its end, when it did not wait).
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("\n") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        whileWaiting()
        close(descriptor)
        _ = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: said, as: UTF8.self), process.terminationStatus)
    }

    static let waiting = "quizdoc: waiting for another build of this project to finish\n"

    @Test func aSecondBuildSaysItWaitsWritesNothingThenBuilds() throws {
        let project = try HardeningTests.project()
        defer { project.remove() }
        let run = try Self.runWhileHeld(["build"], in: project) {
            #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("docs-out").path), "nothing written while it waits")
        }
        #expect(run.said == Self.waiting)
        #expect(run.status == 0)
        #expect(FileManager.default.fileExists(atPath: project.root.appendingPathComponent("docs-out/site/index.html").path))
    }

    @Test func acceptWaitsForABuildThenWritesTheLock() throws {
        let project = try TranslationTests.project()
        defer { project.remove() }
        try TranslationTests.edit(project, "{en: A prompt., es:", "{en: A clearer prompt., es:")
        let lock = TranslationLock.path("phase-07-testing")
        let before = project.read(lock)
        let run = try Self.runWhileHeld(["i18n", "accept", "q-07-01"], in: project) {
            #expect(project.read(lock) == before, "the lock untouched while it waits")
        }
        #expect(run.said == Self.waiting)
        #expect(run.status == 0)
        #expect(project.read(lock)?.contains("\tA clearer prompt.\n") == true)
    }
}
