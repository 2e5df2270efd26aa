import Foundation
import Testing
@testable import QuizDocKit
import TokenCodec

/// Runs the built binary in a temporary project, as a course author and CI would.
@Suite struct EndToEndTests {
    @Test func buildCheckEditCheckBuildCheck() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }

        let first = try runQuizdoc(["build"], in: project.root)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("quizdoc: mirrors 2 written, 0 unchanged, 0 removed; updated 1 translation lock; site "))
        #expect(try runQuizdoc(["check"], in: project.root).status == 0)

        try project.write("data/quizzes/phase-07-testing.yaml", validQuiz().replacingOccurrences(of: "Because.", with: "Since two."))
        let stale = try runQuizdoc(["check"], in: project.root)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("""
            --- docs-out/quizzes/phase-07-testing.md
            +++ docs-out/quizzes/phase-07-testing.md
            @@ -
            """))
        #expect(stale.stdout.contains("\n-**Choice 2.** Because.\n+**Choice 2.** Since two.\n"))
        #expect(stale.stdout.contains("run `quizdoc build`"))
        // The Spanish answer was translated from the old English: its mirror says so.
        #expect(stale.stdout.contains("+*Traducción posiblemente desactualizada"), "\(stale.stdout)")
        #expect(stale.stderr.contains("phase-07-testing.yaml:12:34: warning: the 'es' answer of q-07-01 may be outdated: its English changed from \"Because.\" to \"Since two.\""),
                "\(stale.stderr)")

        let second = try runQuizdoc(["build"], in: project.root)
        #expect(second.stdout.hasPrefix("quizdoc: mirrors 2 written, 0 unchanged, 0 removed"))
        #expect(try runQuizdoc(["check"], in: project.root).status == 0)
    }

    @Test func checkReportsMissingAndOrphanMirrorsAndBuildRemovesOrphans() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)

        try FileManager.default.moveItem(at: project.root.appendingPathComponent("data/quizzes/phase-07-testing.yaml"),
                                         to: project.root.appendingPathComponent("data/quizzes/phase-08-testing.yaml"))
        try project.write("data/quizzes/phase-08-testing.yaml", validQuiz(phase: "08"))
        let stale = try runQuizdoc(["check"], in: project.root)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("--- /dev/null\n+++ docs-out/quizzes/phase-08-testing.md\n@@ -0,0 +1,"))
        #expect(stale.stdout.contains("--- docs-out/quizzes/phase-07-testing.md\n+++ /dev/null\n@@ -1,"))

        let build = try runQuizdoc(["build"], in: project.root)
        #expect(build.stdout.hasPrefix("quizdoc: mirrors 2 written, 0 unchanged, 2 removed"))
        let mirrors = try FileManager.default.contentsOfDirectory(atPath: project.root.appendingPathComponent("docs-out/quizzes").path)
        #expect(mirrors.sorted() == ["phase-08-testing.es.md", "phase-08-testing.md"])
    }

    /// `check` compares a phase's mirrors as soon as it loads, before the other files have:
    /// a course with an error in one file reports that error, and no diff of the others.
    @Test func aCheckThatFindsAnErrorShowsNoDiff() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)

        try project.write("data/quizzes/phase-07-testing.yaml", validQuiz().replacingOccurrences(of: "Because.", with: "Since two."))
        try project.write("data/quizzes/phase-08-broken.yaml", validQuiz(phase: "08").replacingOccurrences(of: "kind: single", with: "kind: singel"))
        let checked = try runQuizdoc(["check"], in: project.root)
        #expect(checked.status == 1)
        #expect(checked.stderr.contains("phase-08-broken.yaml:"), "\(checked.stderr)")
        #expect(checked.stderr.contains(": error: "), "\(checked.stderr)")
        #expect(!checked.stdout.contains("+++ docs-out/quizzes/phase-07-testing.md"), "\(checked.stdout)")
        #expect(!checked.stdout.contains("all mirrors match"))
    }

    @Test func aFailedBuildWritesNothing() throws {
        let project = try TestProject(files: [
            "data/quizzes/phase-07-testing.yaml": validQuiz(),
            "data/quizzes/phase-08-broken.yaml": validQuiz(phase: "08").replacingOccurrences(of: "kind: single", with: "kind: singel"),
        ])
        defer { project.remove() }
        let before = project.snapshot()
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("data/quizzes/phase-08-broken.yaml:5:11: error: 'kind' must be one of free, single, multiple; found 'singel'; did you mean 'single'?\n"))
        #expect(result.stderr.contains("nothing was written"))
        #expect(project.snapshot() == before)
    }

    @Test func strayFilesInTheMirrorFolderAreReported() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz(),
                                              "docs-out/quizzes/notes.txt": "mine"])
        defer { project.remove() }
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("docs-out/quizzes/notes.txt:1:1: error: this file was not generated by quizdoc"))
        #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("docs-out/quizzes/phase-07-testing.md").path))
    }

    /// A build trusts the folders of the mirrors and locks to hold what the last build left
    /// while their times are the ones it saw: a file put there since changes that time, and
    /// is still found, by a build with nothing else to do and by one with an edit.
    @Test func strayFilesAfterABuildAreStillReported() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 3, questionsPerPhase: 2)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let phase2 = "data/quizzes/phase-02-topic-2.yaml"
        for (stray, edit) in [("docs-out/quizzes/notes.txt", false), ("data/translations/notes.txt", true)] {
            try project.write(stray, "mine")
            if edit { try project.write(phase2, try #require(project.read(phase2)).replacingOccurrences(of: "kernel", with: "KERNEL")) }
            let before = project.snapshot()
            let build = try runQuizdoc(["build"], in: project.root)
            #expect(build.status == 1)
            #expect(build.stderr.contains("\(stray):1:1: error: this file was not generated by quizdoc"), "\(build.stderr)")
            #expect(project.snapshot() == before)
            try FileManager.default.removeItem(at: project.root.appendingPathComponent(stray))
            #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        }
        #expect(IncrementalBuildTests.outputs(project) == (try IncrementalBuildTests.fullBuild(of: project)))
    }

    @Test func sameBytesWhateverTheLocaleTimeZoneOrHashSeed() throws {
        let quiz = validQuiz()
        var outputs: [[String: Data]] = []
        for environment in [["LANG": "C", "TZ": "UTC", "SWIFT_DETERMINISTIC_HASHING": ""],
                            ["LANG": "es_ES.UTF-8", "LC_ALL": "tr_TR.UTF-8", "TZ": "Asia/Kathmandu"]] {
            let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": quiz,
                                                  "data/quizzes/phase-09-more.yaml": validQuiz(phase: "09")])
            defer { project.remove() }
            #expect(try runQuizdoc(["build"], in: project.root, environment: environment).status == 0)
            outputs.append(IncrementalBuildTests.outputs(project))
        }
        #expect(outputs[0] == outputs[1])
        #expect(!outputs[0].isEmpty)
    }

    @Test func rootOptionAndUsageErrors() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        let elsewhere = FileManager.default.temporaryDirectory
        let build = try runQuizdoc(["build", "--root", project.root.path], in: elsewhere)
        #expect(build.status == 0)
        #expect(FileManager.default.fileExists(atPath: project.root.appendingPathComponent("docs-out/quizzes/phase-07-testing.md").path))

        let usage = try runQuizdoc(["build", "--no-such-flag"], in: project.root)
        #expect(usage.status != 0 && usage.status != 1)
    }

    /// `quizdoc serve` runs `quizdoc-serve` from beside `quizdoc`, with its arguments; without
    /// it, it says what is missing.
    @Test func serveRunsThePreviewServerProgram() throws {
        let help = try runQuizdoc(["serve", "--help"], in: repositoryRoot)
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: quizdoc serve [--root <root>]") && help.stdout.contains("--poll"), "\(help.stdout)")
        let bogus = try runQuizdoc(["serve", "--bogus"], in: repositoryRoot)
        #expect(bogus.status == 64 && bogus.stderr.contains("Unknown option '--bogus'"), "\(bogus.stderr)")

        let alone = FileManager.default.temporaryDirectory.appendingPathComponent("quizdoc-alone-\(getpid())")
        defer { try? FileManager.default.removeItem(at: alone) }
        try FileManager.default.createDirectory(at: alone, withIntermediateDirectories: true)
        // A hard link where one can be made: a copy is a file open for writing while it is
        // made, which a process another test starts meanwhile inherits, and running the copy
        // then fails with "Text file busy".
        do {
            try FileManager.default.linkItem(at: quizdocBinary, to: alone.appendingPathComponent("quizdoc"))
        } catch {
            try FileManager.default.copyItem(at: quizdocBinary, to: alone.appendingPathComponent("quizdoc"))
        }
        let process = Process()
        process.executableURL = alone.appendingPathComponent("quizdoc")
        process.arguments = ["serve", "--port", "0"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 64)
        #expect(message.contains("quizdoc serve needs quizdoc-serve installed beside quizdoc"), "\(message)")
    }

    @Test func theRepositoryMirrorsAreFresh() throws {
        let result = try runQuizdoc(["check", "--strict"], in: repositoryRoot)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
}

/// Incremental builds make exactly what a full build makes.
@Suite struct IncrementalBuildTests {
    /// docs-out without the manifest, whose file stamps differ between two trees by nature,
    /// and the spare site (`BuildSink.spare`), the last build's, which a fresh tree has not.
    /// A term chunk with its first posting's field swapped (A and B are the same gap): still
    /// a valid index, not the one the build wrote.
    static func postingFieldSwapped(_ chunk: [UInt8]) throws -> [UInt8] {
        var chunk = chunk
        let listStart = try #require(chunk.indices.first { chunk[$0] == UInt8(ascii: ":") && chunk[$0 + 1] == UInt8(ascii: "\"") }) + 2
        let posting = try #require(chunk[listStart...].firstIndex { $0 == UInt8(ascii: "A") || $0 == UInt8(ascii: "B") })
        chunk[posting] = chunk[posting] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        return chunk
    }

    static func outputs(_ project: TestProject) -> [String: Data] {
        project.snapshot("docs-out").filter { !$0.key.hasPrefix(".quizdoc-manifest") && !$0.key.hasPrefix(".site-spare") }
    }

    static func fullBuild(of project: TestProject) throws -> [String: Data] {
        let fresh = try TestProject()
        defer { fresh.remove() }
        try FileManager.default.removeItem(at: fresh.root.appendingPathComponent("data"))
        try FileManager.default.removeItem(at: fresh.root.appendingPathComponent("templates"))
        try FileManager.default.copyItem(at: project.root.appendingPathComponent("data"), to: fresh.root.appendingPathComponent("data"))
        try FileManager.default.copyItem(at: project.root.appendingPathComponent("templates"), to: fresh.root.appendingPathComponent("templates"))
        #expect(try runQuizdoc(["build"], in: fresh.root).status == 0)
        return outputs(fresh)
    }

    @Test func noOpEditNeighbourAndTemplateChangesMatchAFullBuild() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 6, questionsPerPhase: 3)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let first = project.snapshot("docs-out")

        let again = try runQuizdoc(["build"], in: project.root)
        #expect(again.stdout.hasPrefix("quizdoc: up to date (12 mirrors and the site unchanged)"))
        #expect(project.snapshot("docs-out") == first)

        // One question of phase 3: its mirror, pages and the search index change.
        let phase3 = "data/quizzes/phase-03-topic-3.yaml"
        try project.write(phase3, try #require(project.read(phase3)).replacingOccurrences(of: "kernel", with: "KERNEL"))
        let edit = try runQuizdoc(["build"], in: project.root)
        #expect(edit.stdout.hasPrefix("quizdoc: mirrors 2 written, 10 unchanged, 0 removed"), "\(edit.stdout)")
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // A title: the neighbours' pages link to it.
        try project.write(phase3, try #require(project.read(phase3)).replacingOccurrences(of: "Topic 3", with: "Topic three"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
        #expect(project.read("docs-out/site/quizzes/phase-04-topic-4.html")?.contains("Topic three") == true)

        // A template: every page.
        let layout = "templates/site/layout.mustache"
        try project.write(layout, try #require(project.read(layout)).replacingOccurrences(of: "<main id=\"main\">", with: "<main id=\"main\" class=\"v2\">"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // A removed phase: its mirrors go, its neighbours relink.
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("data/quizzes/phase-05-topic-5.yaml"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // A deleted site is made again, though no input changed.
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("docs-out/site"))
        #expect(try runQuizdoc(["build"], in: project.root).stdout.hasPrefix("quizdoc: mirrors 0 written"))
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // A page or results file deleted by hand is made again (its folder's time changed).
        for path in ["docs-out/site/quizzes/phase-02-topic-2.html", "docs-out/site/search/es/p2.js"] {
            try FileManager.default.removeItem(at: project.root.appendingPathComponent(path))
            #expect(try runQuizdoc(["build"], in: project.root).status == 0)
            #expect(project.read(path) != nil, "\(path) is back")
            #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
        }

        // A hand-edited mirror is put back.
        try project.write("docs-out/quizzes/phase-01-topic-1.md", "edited by hand\n")
        #expect(try runQuizdoc(["build"], in: project.root).stdout.hasPrefix("quizdoc: mirrors 1 written"))
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // An edit, and in the same build a mirror and a translation lock changed by hand on
        // either side of the edited file: the plan, which goes on looking past the edited
        // file, tells the build which files it did not find as the manifest gives them, and
        // those are put back or read again.
        try project.write(phase3, try #require(project.read(phase3)).replacingOccurrences(of: "KERNEL", with: "kernel"))
        try project.write("docs-out/quizzes/phase-06-topic-6.es.md", "editado a mano\n")
        let lock = "data/translations/phase-01-topic-1.lock"
        try project.write(lock, try #require(project.read(lock)) + "# a note by hand\n")
        #expect(try runQuizdoc(["build"], in: project.root).stdout.hasPrefix("quizdoc: mirrors 3 written"))
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
        #expect(project.read(lock)?.contains("by hand") == false)

        // A quiz file touched (same bytes, a new time) is read again, found unchanged and
        // remembered with its new time; a hidden file beside it is reported once per build.
        let touched = project.root.appendingPathComponent("data/quizzes/phase-02-topic-2.yaml").path
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: touched)
        try project.write("data/quizzes/.notes", "")
        let rehashed = try runQuizdoc(["build"], in: project.root)
        #expect(rehashed.stdout.hasPrefix("quizdoc: mirrors 0 written"), "\(rehashed.stdout)")
        let upToDate = try runQuizdoc(["build"], in: project.root)
        #expect(upToDate.stdout.hasPrefix("quizdoc: up to date"))
        #expect(upToDate.stderr == rehashed.stderr)
        #expect(upToDate.stderr.components(separatedBy: "hidden file ignored").count == 2)
    }

    /// A home page lists the phases' summaries: an edit that leaves every summary as it was
    /// (a translated answer) takes the last build's home pages over; one that changes a
    /// summary (the English answer, whose translation is then to review, or a prompt, whose
    /// saved result the home page counts) makes them again. Each leaves the site a full build
    /// makes.
    @Test func homePagesAreMadeAgainOnlyWhenASummaryChanged() async throws {
        let phase7 = "data/quizzes/phase-07-testing.yaml"
        let project = try TestProject(files: [phase7: validQuiz(), "data/quizzes/phase-08-more.yaml": validQuiz(phase: "08")])
        defer { project.remove() }
        #expect(await Pipeline.build(root: project.root).failed == false)
        var quiz = validQuiz().replacingOccurrences(of: "Porque.", with: "Porque sí.")
        try project.write(phase7, quiz)
        let translation = await Pipeline.build(root: project.root)
        #expect(translation.siteWritten.contains("es/quizzes/phase-07-testing.html"))
        #expect(translation.siteReused.contains("index.html") && translation.siteReused.contains("es/index.html"))
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
        for (old, new) in [("Because.", "Because of it."), ("A prompt.", "Another prompt.")] {
            quiz = quiz.replacingOccurrences(of: old, with: new)
            try project.write(phase7, quiz)
            let edit = await Pipeline.build(root: project.root)
            #expect(edit.siteWritten.contains("index.html") && edit.siteWritten.contains("es/index.html"), "\(old)")
            #expect(Self.outputs(project) == (try Self.fullBuild(of: project)), "\(old)")
        }
    }

    /// A home page made again takes the items of the phases whose summaries did not change
    /// from the page the last build made, as long as that page is as it left it (its stamp):
    /// an item changed by hand with the page's size and time put back is taken as it is, one
    /// changed otherwise is not. Every site is the one a full build makes, also with a theme
    /// that shows the list of phases twice, inside another section too.
    @Test func homePagesTakeTheItemsOfUnchangedPhasesFromTheLastPage() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 5, questionsPerPhase: 2)
        let phase1 = "data/quizzes/phase-01-topic-1.yaml"
        // The prompts edited: the phase's progress keys, and so its item, change.
        func edit() throws {
            let prompt = "    prompt:\n      en: |-\n        "
            try project.toggle(phase1, prompt, prompt + "Edited ")
            let build = try runQuizdoc(["build"], in: project.root)
            #expect(build.status == 0 && !build.stdout.hasPrefix("quizdoc: up to date"), "\(build.stdout)")
        }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        for language in ["en", "es"] {
            let page = try #require(Manifest.load(root: project.root)?.homePages[language], "\(language)")
            #expect(page.layout.bounds.count == 2 * 5)
        }
        try edit()
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // The fourth phase's item changed by hand, the page's size and time put back: taken.
        let home = project.root.appendingPathComponent("docs-out/site/index.html").path
        var before = stat()
        #expect(lstat(home, &before) == 0)
        let page = try #require(project.read("docs-out/site/index.html"))
        let item = try #require(page.range(of: "data-phase=\"phase-04-topic-4\""))
        try project.write("docs-out/site/index.html", page.replacingCharacters(in: item, with: "data-phase=\"phase-04-topic-X\""))
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, home, &times, 0) == 0)
        try edit()
        #expect(project.read("docs-out/site/index.html")?.contains("data-phase=\"phase-04-topic-X\"") == true)
        // Changed again (a line added), its time not put back: made again whole.
        try project.write("docs-out/site/index.html", try #require(project.read("docs-out/site/index.html")) + "\n")
        try edit()
        #expect(project.read("docs-out/site/index.html")?.contains("phase-04-topic-X") == false)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // The list shown twice, once inside another section.
        let index = "templates/site/index.mustache"
        let template = try #require(project.read(index))
        try project.write(index, template.replacingOccurrences(of: "<h1>{{heading}}</h1>",
                                                               with: "<h1>{{heading}}</h1>{{#phases}}[{{phaseName}}]{{/phases}}{{#intro}}{{#phases}}({{count}}){{/phases}}{{/intro}}"))
        for _ in 0..<3 {
            try edit()
            #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
        }
    }

    /// The next build stages in the replaced site (`BuildSink.spare`), trusting none of it:
    /// a file there counts only when it is the live file itself.
    @Test func aSpareSiteChangedByHandLendsNothingWrong() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 4, questionsPerPhase: 2)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let phase2 = "data/quizzes/phase-02-topic-2.yaml"
        try project.write(phase2, try #require(project.read(phase2)).replacingOccurrences(of: "kernel", with: "KERNEL"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/.site-spare/quizzes/phase-01-topic-1.html") != nil, "the replaced site is kept")
        // After a build that made the whole site anew, the site it replaced is not kept.
        let layout = "templates/site/layout.mustache"
        let template = try #require(project.read(layout))
        try project.write(layout, template.replacingOccurrences(of: "<main id=\"main\">", with: "<main id=\"main\" class=\"v2\">"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/.site-spare/quizzes/phase-01-topic-1.html") == nil, "no spare after a full rebuild")
        try project.write(layout, template)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        try project.write(phase2, try #require(project.read(phase2)).replacingOccurrences(of: "KERNEL", with: "kernel"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        try project.write(phase2, try #require(project.read(phase2)).replacingOccurrences(of: "kernel", with: "KERNEL"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/.site-spare/quizzes/phase-01-topic-1.html") != nil, "an edit's replaced site is kept again")
        // The manifest names the spare's files that are not the live ones (those the build made
        // anew); the next edits take the rest at its word and make a full build's site.
        // A page made anew by one build is stale in the spare of the next, which takes it over.
        let phase3 = "data/quizzes/phase-03-topic-3.yaml"
        let originals = [phase2: try #require(project.read(phase2)), phase3: try #require(project.read(phase3))]
        for (file, retitled) in [(phase2, true), (phase3, true), (phase2, false), (phase3, false)] {
            let original = originals[file]!
            try project.write(file, retitled ? original.replacingOccurrences(of: "    title: {en: \"", with: "    title: {en: \"Retitled ") : original)
            #expect(try runQuizdoc(["build"], in: project.root).status == 0)
            let manifest = try #require(Manifest.load(root: project.root))
            let spare = try #require(manifest.spare)
            let page = file == phase2 ? "quizzes/phase-02-topic-2.html" : "quizzes/phase-03-topic-3.html"
            #expect(spare.stale.contains(page) && !spare.stale.contains("quizzes/phase-01-topic-1.html"), "\(spare.stale)")
            #expect(spare.folders.keys.sorted() == manifest.folders.keys.sorted())
            #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
        }

        // A page of the spare rewritten (a new file, not the live one), another removed, a
        // folder where a page goes, a stray file: the next build's site is a full build's.
        let docsOut = project.root.appendingPathComponent("docs-out").path
        try FileManager.default.removeItem(atPath: "\(docsOut)/.site-spare/quizzes/phase-01-topic-1.html")
        try project.write("docs-out/.site-spare/quizzes/phase-01-topic-1.html", "stale")
        try FileManager.default.removeItem(atPath: "\(docsOut)/.site-spare/quizzes/phase-03-topic-3.html")
        try FileManager.default.removeItem(atPath: "\(docsOut)/.site-spare/search/en/p4.js")
        try FileManager.default.createDirectory(atPath: "\(docsOut)/.site-spare/search/en/p4.js", withIntermediateDirectories: true)
        try project.write("docs-out/.site-spare/quizzes/stray.html", "stray")
        try project.write(phase2, try #require(project.read(phase2)).replacingOccurrences(of: "KERNEL", with: "kernel"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // The live site is never written through its links in the spare: the page a build
        // replaces keeps its bytes in the site it replaced.
        let page = "quizzes/phase-02-topic-2.html"
        let before = try #require(project.read("docs-out/site/\(page)"))
        try project.write(phase2, try #require(project.read(phase2)).replacingOccurrences(of: "    title: {en: \"", with: "    title: {en: \"Edited "))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/.site-spare/\(page)") == before)
        #expect(project.read("docs-out/site/\(page)") != before)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // With the spare trusted, a build that meets every file of it leaves nothing to
        // remove; one that does not (a phase gone) removes what it did not meet.
        try project.write(phase3, try #require(project.read(phase3)).replacingOccurrences(of: "    title: {en: \"", with: "    title: {en: \"Again "))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(try #require(Manifest.load(root: project.root)).spare?.files != nil, "the spare's files are counted")
        let phase4 = "data/quizzes/phase-04-topic-4.yaml"
        let removed = try #require(project.read(phase4))
        try FileManager.default.removeItem(at: project.root.appendingPathComponent(phase4))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/site/quizzes/phase-04-topic-4.html") == nil)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
        try project.write(phase4, removed)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
        try project.write(phase2, try #require(project.read(phase2)).replacingOccurrences(of: "Edited ", with: ""))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
    }

    /// A page of the spare that is a file of its own (one the live site replaced) is written
    /// over in place, its old bytes gone to the last; one with another name (a hard link) or
    /// that is a symbolic link is replaced, never written through.
    @Test func aSparePageIsWrittenOverOnlyWhenItIsAFileOfItsOwn() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 2, questionsPerPhase: 2)
        let phase1 = "data/quizzes/phase-01-topic-1.yaml"
        func edit() throws {
            try project.toggle(phase1, "kernel", "KERNEL")
            #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        }
        func inode(_ path: String) -> UInt64? {
            var info = stat()
            return lstat(project.root.appendingPathComponent(path).path, &info) == 0 ? UInt64(info.st_ino) : nil
        }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        try edit()
        // The spare's page, made longer than the page the next edit makes of it.
        let page = "quizzes/phase-01-topic-1.html"
        let spared = project.root.appendingPathComponent("docs-out/.site-spare/\(page)")
        // Held open, so that the file a removal would free keeps its inode to the end.
        let handle = try FileHandle(forWritingTo: spared)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: UInt8(ascii: "x"), count: 100_000))
        try edit()
        var held = stat()
        #expect(fstat(handle.fileDescriptor, &held) == 0 && held.st_nlink == 1, "the spare's page was removed")
        #expect(inode("docs-out/site/\(page)") == UInt64(held.st_ino), "written over in place")
        #expect(IncrementalBuildTests.outputs(project) == (try IncrementalBuildTests.fullBuild(of: project)))

        let outside = project.root.appendingPathComponent("outside.html")
        let plants: [(String, () throws -> Void)] = [
            ("a hard link", { try FileManager.default.linkItem(at: outside, to: spared) }),
            ("a symbolic link", { try FileManager.default.createSymbolicLink(at: spared, withDestinationURL: outside) }),
        ]
        for (what, plant) in plants {
            try Data("keep me\n".utf8).write(to: outside)
            try FileManager.default.removeItem(at: spared)
            try plant()
            try edit()
            #expect(try String(contentsOf: outside, encoding: .utf8) == "keep me\n", "\(what): written through")
            #expect(IncrementalBuildTests.outputs(project) == (try IncrementalBuildTests.fullBuild(of: project)), "\(what)")
        }
    }

    @Test func theSearchIndexOfAnIncrementalBuildIsThatOfAFullOne() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 60, questionsPerPhase: 1)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        func inodes() -> [Int: UInt64] {
            Dictionary(uniqueKeysWithValues: (1...60).map { phase in
                var info = stat()
                let path = project.root.appendingPathComponent("docs-out/site/search/en/p\(phase).js").path
                return (phase, lstat(path, &info) == 0 ? UInt64(info.st_ino) : 0)
            })
        }
        let before = inodes()
        #expect(!before.values.contains(0))

        // A question title of phase 30: its results file is made again, the others are the
        // same files (hard-linked); its postings move, the others are taken from the last index.
        let phase30 = "data/quizzes/phase-30-topic-30.yaml"
        var yaml = try #require(project.read(phase30))
        yaml.replaceSubrange(try #require(yaml.range(of: "    title: {en: \"")), with: "    title: {en: \"Zyzzyva ")
        try project.write(phase30, yaml)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let after = inodes()
        #expect(after[30] != before[30])
        #expect(after.filter { $0.key != 30 && $0.value != before[$0.key] }.isEmpty)
        #expect(project.read("docs-out/site/search/en/p30.js")?.contains("\"Zyzzyva ") == true)
        let chunks = try FileManager.default.contentsOfDirectory(atPath: project.root.appendingPathComponent("docs-out/site/search/en").path)
            .filter { $0.hasPrefix("t") }.compactMap { project.read("docs-out/site/search/en/\($0)") }
        #expect(chunks.contains { $0.contains("\"zyzzyva\":") })
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // Removing phase 10 renumbers every later question.
        try FileManager.default.removeItem(at: project.root.appendingPathComponent("data/quizzes/phase-10-topic-10.yaml"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/site/search/en/p10.js") == nil)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // A damaged index is not trusted: the phases are made again, and the index is whole.
        try project.write("docs-out/site/search/es/t0.js", "quizdocSearch(\"es/t0\",{\"x\":\"!\"});\n")
        try project.write(phase30, yaml.replacingOccurrences(of: "Zyzzyva", with: "Zymurgy"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // So is a chunk whose punctuation is intact but one posting is not: its checksum is
        // no longer the one the manifest recorded, so its postings are checked.
        let chunk = "docs-out/site/search/en/t0.js"
        var damaged = Array(try #require(project.read(chunk)).utf8)
        let listStart = try #require(damaged.indices.first { damaged[$0] == UInt8(ascii: ":") && damaged[$0 + 1] == UInt8(ascii: "\"") }) + 2
        damaged[listStart] = UInt8(ascii: "!")
        try project.write(chunk, String(decoding: damaged, as: UTF8.self))
        try project.write(phase30, yaml)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
    }

    /// An edit that changes no term of the search index (here a title's case: terms are
    /// lowercased) takes the last build's index over, file for file, without merging it; one
    /// that brings a new term merges it, and either way the index is a full build's.
    @Test func anEditThatChangesNoSearchTermTakesTheIndexOver() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 20, questionsPerPhase: 2)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        func indexInodes() throws -> [String: UInt64] {
            var inodes: [String: UInt64] = [:]
            for language in ["en", "es"] {
                let folder = project.root.appendingPathComponent("docs-out/site/search/\(language)").path
                for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name == "index.js" || name.hasPrefix("t") {
                    var info = stat()
                    inodes["\(language)/\(name)"] = lstat("\(folder)/\(name)", &info) == 0 ? UInt64(info.st_ino) : 0
                }
            }
            return inodes
        }
        let before = try indexInodes()
        #expect(before.count >= 4 && !before.values.contains(0))

        let phase7 = "data/quizzes/phase-07-topic-7.yaml"
        let yaml = try #require(project.read(phase7))
        let start = try #require(yaml.range(of: "    title: {en: \"")).upperBound
        let end = try #require(yaml[start...].firstIndex(of: "\""))
        try project.write(phase7, yaml.replacingCharacters(in: start..<end, with: yaml[start..<end].uppercased()))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(try indexInodes() == before)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        // Not when a file of the index was changed by hand, even into another valid index (one
        // posting's field: A and B are the same gap): the title's case goes back, and the
        // index is made whole again.
        let chunk = "docs-out/site/search/en/t0.js"
        let damaged = try Self.postingFieldSwapped(Array(try #require(project.read(chunk)).utf8))
        try project.write(chunk, String(decoding: damaged, as: UTF8.self))
        try project.write(phase7, yaml)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))

        let merged = try indexInodes()
        try project.write(phase7, yaml.replacingCharacters(in: start..<start, with: "Zyzzyva "))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let after = try indexInodes()
        #expect(after.keys.contains { after[$0] != merged[$0] })
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.root.appendingPathComponent("docs-out/site/search/en").path)
            .contains { project.read("docs-out/site/search/en/\($0)")?.contains("\"zyzzyva\":") == true })
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
    }

    /// An edit that changes no term takes the index's chunks over at their stamps' word,
    /// unread. A chunk changed by hand with its stamp put back (the same size, its time
    /// restored) is found when a merge reads it: its bytes are not those the last build
    /// recorded, and the build starts again reading every chunk, so the index it leaves is
    /// a full build's.
    @Test func aChunkChangedBehindItsStampIsFoundWhenAMergeReadsIt() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 20, questionsPerPhase: 2)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let chunk = "docs-out/site/search/en/t0.js"
        let chunkPath = project.root.appendingPathComponent(chunk).path
        var info = stat()
        #expect(lstat(chunkPath, &info) == 0)
        let damaged = try Self.postingFieldSwapped(Array(try #require(project.read(chunk)).utf8))
        try project.write(chunk, String(decoding: damaged, as: UTF8.self))
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, chunkPath, &times, AT_SYMLINK_NOFOLLOW) == 0)
        #expect(FileStamp(path: chunkPath) == FileStamp(info), "the stamp is as the build left it")

        let phase7 = "data/quizzes/phase-07-topic-7.yaml"
        let yaml = try #require(project.read(phase7))
        let start = try #require(yaml.range(of: "    title: {en: \"")).upperBound
        try project.write(phase7, yaml.replacingCharacters(in: start..<start, with: "Zyzzyva "))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
    }

    /// A build killed after its site was swapped in but before its manifest was saved leaves
    /// the previous manifest beside a newer site. Nothing may be reused from that site.
    @Test func aManifestOfAnotherSiteLendsNothing() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 6, questionsPerPhase: 2)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let manifest = project.root.appendingPathComponent(Manifest.path)
        let firstManifest = try Data(contentsOf: manifest)

        // Phase 3's title changes: the pages of phases 2 and 4 link to it, their mirrors do not.
        let phase3 = "data/quizzes/phase-03-topic-3.yaml"
        let original = try #require(project.read(phase3))
        try project.write(phase3, original.replacingOccurrences(of: "Topic 3", with: "Topic three"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/site/quizzes/phase-02-topic-2.html")?.contains("Topic three") == true)

        // As if that build had been killed before saving its manifest; then the title goes back.
        try firstManifest.write(to: manifest)
        try project.write(phase3, original)
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/site/quizzes/phase-02-topic-2.html")?.contains("Topic three") == false)
        #expect(Self.outputs(project) == (try Self.fullBuild(of: project)))
    }

    /// A build with nothing to do reports the last build's warnings, byte for byte and in
    /// the same order (saved sorted, not sorted again).
    @Test func aBuildWithNothingToDoReportsWhatTheBuildReported() throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 5, questionsPerPhase: 20)
        let built = try runQuizdoc(["build"], in: project.root)
        let files = Set(built.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }.map { $0.prefix { $0 != ":" } })
        #expect(files.count >= 3, "warnings in \(files.count) files: \(built.stderr)")
        let again = try runQuizdoc(["build"], in: project.root)
        #expect(again.stdout.hasPrefix("quizdoc: up to date"))
        #expect(again.stderr == built.stderr)
    }

    @Test func warningsOfReusedPhasesAreStillReported() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml":
            validQuiz().replacingOccurrences(of: "{en: Because., es: Porque.}", with: "{en: Because.}")])
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).stderr.contains("warning: the answer has no 'es' translation"))
        let again = try runQuizdoc(["build"], in: project.root)
        #expect(again.stdout.hasPrefix("quizdoc: up to date"))
        #expect(again.stderr.contains("warning: the answer has no 'es' translation"))
        #expect(try runQuizdoc(["build", "--strict"], in: project.root).status == 1)
    }

    /// A stamp below a root, by its path joined on the stack or through an open folder
    /// (`FileStamp.Reader`, folders changing from one path to the next), is the stamp of the
    /// whole path; paths made at once are those joined as strings.
    @Test func aStampBelowARootIsTheStampOfTheWholePath() throws {
        let project = try TestProject(files: ["data/quizzes/a.yaml": "x", "data/ñandú é.md": "yy"])
        defer { project.remove() }
        let root = project.root.path
        symlink("a.yaml", root + "/data/quizzes/link.yaml")
        for path in ["data/quizzes/a.yaml", "data/ñandú é.md", "data/quizzes/link.yaml", "data/quizzes", "data/missing.yaml", ""] {
            #expect(FileStamp(root: root, path: path) == FileStamp(path: "\(root)/\(path)"), "\(path)")
        }
        #expect(FileStamp(root: root, path: "data/quizzes/a.yaml")?.size == 1)
        #expect(FileStamp(root: root, path: "data/quizzes/link.yaml")?.size == 6) // the link itself, not followed
        #expect(FileStamp(root: root, path: "data/missing.yaml") == nil)
        var reader = FileStamp.Reader(root: root)
        for path in ["data/quizzes/a.yaml", "data/ñandú é.md", "data/quizzes/link.yaml", "data/quizzes", "data",
                     "data/missing.yaml", "missing/a.yaml", "data/quizzes/a.yaml", "data/ñandú é.md"] {
            #expect(reader.stamp(path) == FileStamp(root: root, path: path), "\(path)")
        }
        #expect(reader.stamp("data/quizzes/link.yaml")?.size == 6)
        #expect(String(joining: "es/", "quizzes/", "ñandú", ".html") == "es/quizzes/ñandú.html")
        #expect(String(joining: "", "a", "") == "a")
        #expect("search/en/p12.js" == SearchIndex.phasePath(Language(code: "en", strings: [:]), phase: 12))
        #expect("search/es/t3.js" == SearchIndex.chunkPath(Language(code: "es", strings: [:]), 3))
        #expect(TranslationLock.path("phase-01-ñ") == "data/translations/phase-01-ñ.lock")
    }

    /// The sink makes room for as many files as the last manifest counts: a damaged count
    /// (anything a checksummed file may hold) is not taken at its word.
    @Test func aManifestsFileCountIsNotTakenAtItsWord() throws {
        let project = try TestProject()
        defer { project.remove() }
        let sink = try BuildSink(root: project.root)
        defer { sink.abort() }
        sink.adopt(nil, liveFiles: .max)
        #expect(sink.reuse("index.html") == false) // nothing to take over, and no crash
    }

    /// A file the build read and writes back as it was (a translation lock) is kept without
    /// being read again only while it has the stamp it had when read: changed since, it is
    /// compared, and written again (`build`) or reported stale (`check`).
    @Test func aFileKeptAsReadIsComparedWhenChangedSince() throws {
        let path = TranslationLock.path("phase-01-a")
        let project = try TestProject(files: [path: "as read\n"])
        defer { project.remove() }
        var bag = DiagnosticBag()
        let (bytes, stamp) = try #require(InputFile.readStamped(path, root: project.root, limit: 1 << 20, bag: &bag))
        var file = OutputFile(path: path, contents: bytes)
        file.stampAsRead = stamp

        let keeping = try BuildSink(root: project.root)
        defer { keeping.abort() }
        #expect(try keeping.mirror(file) == stamp)
        #expect(keeping.unchanged == [path] && keeping.written.isEmpty)
        let checking = CheckSink(root: project.root)
        _ = checking.mirror(file)
        #expect(checking.stale.isEmpty)

        try project.write(path, "changed by hand since\n")
        let writing = try BuildSink(root: project.root)
        defer { writing.abort() }
        #expect(try writing.mirror(file) != stamp)
        #expect(writing.unchanged.isEmpty && writing.written == [path])
        let rechecking = CheckSink(root: project.root)
        _ = rechecking.mirror(file)
        #expect(rechecking.stale.map(\.path) == [path])
    }

    /// A record's key positions and committed files are read back as written; a key past its
    /// choices, or committed files out of order or twice, are refused.
    @Test func aManifestRecordOutOfItsBoundsIsRefused() throws {
        let stamp = FileStamp(size: 1, modified: 2)
        func record(_ positions: KeyPositions, mirrors: [(path: String, stamp: FileStamp)] = []) -> [UInt8] {
            let place = SourceLocation(path: "data/quizzes/phase-01-a.yaml", line: 3, column: 5)
            let summary = SiteBuilder.PhaseSummary(baseName: "phase-01-a", phase: 1, sourcePath: place.path, questionCount: 1,
                                                   titles: ["en": "A"], progressKeys: "q@1",
                                                   keyLayout: [KeyPlacement(choiceCount: 4, positions: positions, location: place, allowsKeyPosition: false)])
            let phase = Manifest.Phase(file: "phase-01-a.yaml", stamp: FileStamp(size: 1, modified: 2), hash: Fingerprint(value: 3), summary: summary,
                                       ids: [], warnings: [], navigation: Fingerprint(value: 4), mirrors: .init(sorted: mirrors))
            var out = TokenWriter()
            phase.write(to: &out)
            return out.bytes
        }
        var good = TokenReader(record([1, 4]))
        #expect(try Manifest.Phase(from: &good).summary.keyLayout.map { Array($0.positions) } == [[1, 4]])
        var past = TokenReader(record([1, 5]))
        #expect(throws: TokenReader.Malformed.self) { try Manifest.Phase(from: &past) }
        var sorted = TokenReader(record([1], mirrors: [("a.md", stamp), ("b.md", stamp)]))
        #expect(try Manifest.Phase(from: &sorted).mirrors.map(\.path) == ["a.md", "b.md"])
        for mirrors in [[("b.md", stamp), ("a.md", stamp)], [("a.md", stamp), ("a.md", stamp)]] {
            var reader = TokenReader(record([1], mirrors: mirrors))
            #expect(throws: TokenReader.Malformed.self) { try Manifest.Phase(from: &reader) }
        }
    }

    /// A manifest's diagnostics read back as written, whatever their severity, rule (a lint
    /// rule's, another, none) and path (the one before's, another, none); a severity that
    /// is neither is refused.
    @Test func diagnosticsReadBackAsWritten() throws {
        let quiz = "data/quizzes/phase-01-a.yaml"
        let diagnostics = [
            Diagnostic(.warning, at: SourceLocation(path: quiz, line: 3, column: 5), "a lint warning", rule: LintRule.stemEcho.rawValue),
            Diagnostic(.warning, at: SourceLocation(path: quiz, line: 4, column: 1), "the same path", rule: "not-a-rule"),
            Diagnostic(.error, at: SourceLocation(path: "data/quizzes/phase-02-b.yaml", line: 1, column: 1), "an error"),
            Diagnostic(.warning, at: SourceLocation(path: "", line: 0, column: 0), "no path", rule: LintRule.translationLength.rawValue),
        ]
        var out = TokenWriter()
        out.int(diagnostics.count)
        for diagnostic in diagnostics { diagnostic.write(to: &out) }
        out.newline()
        #expect(try Manifest.diagnostics(from: out.bytes[...]) == diagnostics)
        var reader = TokenReader(out.bytes)
        _ = try reader.int()
        #expect(try Diagnostic(from: &reader, path: quiz) == diagnostics[0])
        #expect(try Diagnostic(from: &reader, path: "elsewhere") == diagnostics[1])

        // Read back, they write the bytes they were read from (the last one's line end a
        // space again, as written); one changed since writes what it says now.
        var read = try Manifest.diagnostics(from: out.bytes[...])
        var again = TokenWriter()
        again.int(read.count)
        for diagnostic in read { diagnostic.write(to: &again) }
        again.newline()
        #expect(again.bytes == out.bytes)
        read[1].message = "changed"
        read[2].location.line = 7
        read[3].severity = .error
        var changed = TokenWriter()
        changed.int(read.count)
        for diagnostic in read { diagnostic.write(to: &changed) }
        changed.newline()
        #expect(try Manifest.diagnostics(from: changed.bytes[...]).map { [$0.message, "\($0.location.line)", $0.severity.rawValue] }
            == [["a lint warning", "3", "warning"], ["changed", "4", "warning"], ["an error", "7", "error"], ["no path", "0", "error"]])

        var notice = TokenWriter()
        notice.int(1)
        notice.text("notice")
        SourceLocation(path: quiz, line: 1, column: 1).write(to: &notice)
        notice.text("a message")
        notice.text("")
        notice.newline()
        #expect(throws: TokenReader.Malformed.self) { try Manifest.diagnostics(from: notice.bytes[...]) }
    }

    @Test func theManifestRoundTripsAndAnyDamageMeansAFullBuild() async throws {
        let project = try TestProject()
        defer { project.remove() }
        try project.writeCorpus(phases: 3, questionsPerPhase: 2)
        // A warning puts a diagnostic in the manifest too.
        try project.write("data/quizzes/phase-07-testing.yaml", validQuiz().replacingOccurrences(of: "{en: Because., es: Porque.}", with: "{en: Because.}"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let bytes = Array(try Data(contentsOf: project.root.appendingPathComponent(Manifest.path)))
        var manifest = try Manifest(decoding: bytes)
        #expect(manifest.phases.isEmpty, "the phases are read only when a build needs them")
        #expect(manifest.sources.map(\.path) == (1...3).map { "data/quizzes/phase-0\($0)-topic-\($0).yaml" } + ["data/quizzes/phase-07-testing.yaml"])
        #expect(manifest.committed.count == 12, "two mirrors and a translation lock per phase")
        #expect(manifest.reportedDiagnostics()?.map(\.message) == ["the answer has no 'es' translation; the es mirror shows the English text marked as untranslated"])
        let phasesRead = await manifest.readPhases()
        #expect(phasesRead)
        #expect(manifest.phases.count == 4)
        #expect(manifest.phases.allSatisfy { $0.line != nil }, "each record keeps its line, to write again as it is")
        #expect(manifest.phases.contains { !$0.warnings.isEmpty })
        #expect(Set(manifest.phases.map(\.navigation)).count == 4, "each phase's pages link to a different set of phases")
        #expect(manifest.encoded() == bytes)
        // Written back as pieces of what was read: the records, all next to each other, one.
        #expect(manifest.encodedParts().count == 5 + 2, "the header's line and three pieces, the phases' line, the count line, the records")
        // Each file of the search index with its stamp as it is in the site.
        #expect(manifest.searchChunks.keys.sorted().first == "search/en/index.js")
        for (path, file) in manifest.searchChunks {
            #expect(file.stamp == FileStamp(path: project.root.appendingPathComponent("docs-out/site/\(path)").path), "\(path)")
        }
        // The next build's files, updated from these where only a record's stamps changed,
        // are those made afresh; with a phase less or one of another file, not the same set.
        let last = (manifest.sources, manifest.committed)
        var phases = manifest.phases
        phases[1].stamp = FileStamp(size: 1, modified: 2)
        let updated = try #require(Manifest.files(of: phases, updating: last))
        let made = Manifest.files(of: phases)
        let same = { (a: (path: String, stamp: FileStamp), b: (path: String, stamp: FileStamp)) in a.path == b.path && a.stamp == b.stamp }
        #expect(updated.sources.elementsEqual(made.sources, by: same) && updated.committed.elementsEqual(made.committed, by: same))
        #expect(updated.sources.contains { $0.stamp == FileStamp(size: 1, modified: 2) })
        #expect(Manifest.files(of: Array(phases.dropLast()), updating: last) == nil)
        let other = phases[1]
        phases[1] = Manifest.Phase(file: "phase-09-other.yaml", stamp: other.stamp, hash: other.hash, summary: other.summary, ids: other.ids,
                                   warnings: other.warnings, navigation: other.navigation, mirrors: other.mirrors)
        #expect(Manifest.files(of: phases, updating: last) == nil)
        // With nothing reported, the site's count is the header's last number but one.
        var quiet = manifest
        quiet.reported = .list([])
        quiet.siteFiles = 4_000
        let quietRead = try Manifest(decoding: quiet.encoded())
        #expect(quietRead.siteFiles == 4_000)
        #expect(quietRead.reportedDiagnostics()?.isEmpty == true)
        // From the file, as a build reads it: the header alone, then the phases from the same
        // file when asked; a manifest replaced in between lends no phases.
        var loaded = try #require(Manifest.load(root: project.root))
        #expect(loaded.phases.isEmpty)
        let loadedPhases = await loaded.readPhases()
        #expect(loadedPhases)
        #expect(loaded.phases.map(\.file) == manifest.phases.map(\.file))
        var replaced = try #require(Manifest.load(root: project.root))
        try Data(bytes).write(to: project.root.appendingPathComponent(Manifest.path), options: .atomic)
        let replacedPhases = await replaced.readPhases()
        #expect(!replacedPhases, "the phases of another file than the header's are not read")

        // A record given a new stamp (a file touched, same bytes) is written anew, with it.
        var touched = manifest
        touched.phases[1].stamp = FileStamp(size: 1, modified: 2)
        #expect(touched.phases[1].line == nil)
        // The records before and after it written back as pieces of what was read, the same
        // bytes as every record encoded anew.
        var encodedAnew = touched
        for index in encodedAnew.phases.indices { encodedAnew.phases[index].line = nil }
        #expect(touched.encoded() == encodedAnew.encoded())
        #expect(touched.encodedParts().count == 5 + 4, "the count line, a record read, the one encoded, two read")
        var reread = try Manifest(decoding: touched.encoded())
        let rereadPhases = await reread.readPhases()
        #expect(rereadPhases)
        #expect(reread.phases.map(\.stamp) == [manifest.phases[0].stamp, FileStamp(size: 1, modified: 2)] + manifest.phases[2...].map(\.stamp))
        #expect(reread.phases.map(\.file) == manifest.phases.map(\.file))

        // Every truncation and every change of one byte is refused: nothing of a damaged
        // manifest is ever reused.
        for length in 0..<bytes.count {
            #expect(throws: TokenReader.Malformed.self) { try Manifest(decoding: Array(bytes[..<length])) }
        }
        var refused = 0
        for position in bytes.indices {
            for flip: UInt8 in [0x01, 0x20, 0x80, 0xFF] {
                var damaged = bytes
                damaged[position] ^= flip
                // Its header is refused when read, its phases when they are.
                if var manifest = try? Manifest(decoding: damaged), await manifest.readPhases() {
                    Issue.record("a manifest with byte \(position) changed was read")
                } else {
                    refused += 1
                }
            }
        }
        #expect(refused == bytes.count * 4)
        // Bytes appended after it are refused too.
        #expect(throws: TokenReader.Malformed.self) { try Manifest(decoding: bytes + Array("0 ".utf8)) }

        // A damaged manifest on disk: the next build is a full one, with the same outputs.
        let before = IncrementalBuildTests.outputs(project)
        try Data("quizdoc-manifest garbage".utf8).write(to: project.root.appendingPathComponent(Manifest.path))
        let rebuilt = try runQuizdoc(["build"], in: project.root)
        #expect(rebuilt.status == 0)
        #expect(!rebuilt.stdout.hasPrefix("quizdoc: up to date"))
        #expect(IncrementalBuildTests.outputs(project) == before)
        #expect(try runQuizdoc(["build"], in: project.root).stdout.hasPrefix("quizdoc: up to date"))
    }
}

/// `check` renders no page: its prompts and answers are only checked, not rendered. It must
/// still refuse what a build refuses, at the same places.
@Suite struct CheckWithoutPagesTests {
    @Test func checkReportsTheTextProblemsABuildReports() async throws {
        let yaml = validQuiz()
            .replacingOccurrences(of: "prompt: {en: A prompt., es: Un enunciado.}",
                                  with: #"prompt: {en: "See <script>x</script> and [a](javascript:alert(1)).", es: "```\nsin cerrar"}"#)
            .replacingOccurrences(of: "answer: {en: Because., es: Porque.}",
                                  with: #"answer: {en: "Plain words, and **bold** ones.", es: "<iframe src=x>\n\n| a |\n|---|\n| b |"}"#)
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": yaml])
        defer { project.remove() }
        let built = await Pipeline.generate(root: project.root).diagnostics.filter { $0.severity == .error }
        let checked = await Pipeline.check(root: project.root).diagnostics.filter { $0.severity == .error }
        #expect(built.count >= 4, "\(built)")
        #expect(checked.map { "\($0)" } == built.map { "\($0)" })
    }
}
