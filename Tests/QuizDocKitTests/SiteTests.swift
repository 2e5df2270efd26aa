import TokenCodec
import Foundation
import Testing
@testable import QuizDocKit

@Suite struct SiteTests {
    static func site(_ files: [String: String], options: BuildOptions = BuildOptions()) async throws -> (Pipeline.Generation, [String: String]) {
        let project = try TestProject(files: files)
        defer { project.remove() }
        let generation = await Pipeline.generate(root: project.root, options: options)
        var pages: [String: String] = [:]
        for file in generation.site { pages[file.path] = String(decoding: file.contents, as: UTF8.self) }
        return (generation, pages)
    }

    @Test func fixturePagesMatchTheirGoldenFiles() async throws {
        let (generation, pages) = try await Self.site(["data/quizzes/phase-03-fixtures.yaml": MirrorTests.fixture,
                                                 "data/quizzes/phase-07-testing.yaml": validQuiz()],
                                                options: BuildOptions(baseURL: "https://example.org/q"))
        #expect(!generation.failed, "\(generation.diagnostics)")
        #expect(pages.keys.filter { !$0.hasPrefix(".quizdoc/") }.sorted() == [
            "404.html", "assets/practice.js", "assets/site.js", "assets/style.css",
            "es/index.html", "es/quizzes/phase-03-fixtures.html", "es/quizzes/phase-07-testing.html",
            "index.html", "quizzes/phase-03-fixtures.html", "quizzes/phase-07-testing.html",
            "search/en/index.js", "search/en/p3.js", "search/en/p7.js", "search/en/t0.js",
            "search/es/index.js", "search/es/p3.js", "search/es/p7.js", "search/es/t0.js", "sitemap.xml",
        ])
        for path in ["index.html", "es/index.html", "quizzes/phase-03-fixtures.html", "es/quizzes/phase-03-fixtures.html",
                     "404.html", "sitemap.xml", "search/es/index.js", "search/es/p3.js", "search/es/t0.js"] {
            assertGolden(pages[path] ?? "", named: "site/\(path)")
        }
    }

    @Test func switcherPermalinksAndNavigation() async throws {
        let (_, pages) = try await Self.site(["data/quizzes/phase-03-fixtures.yaml": MirrorTests.fixture,
                                        "data/quizzes/phase-07-testing.yaml": validQuiz()])
        let english = try #require(pages["quizzes/phase-03-fixtures.html"])
        let spanish = try #require(pages["es/quizzes/phase-03-fixtures.html"])
        #expect(english.contains("<html lang=\"en\">") && spanish.contains("<html lang=\"es\">"))
        // The switcher leads to the same page in the other language.
        #expect(english.contains("<a href=\"../es/quizzes/phase-03-fixtures.html\" hreflang=\"es\" lang=\"es\" data-follow-reader>Español</a>"))
        #expect(spanish.contains("<a href=\"../../quizzes/phase-03-fixtures.html\" hreflang=\"en\" lang=\"en\" data-follow-reader>English</a>"))
        #expect(english.contains("<link rel=\"alternate\" hreflang=\"es\" href=\"../es/quizzes/phase-03-fixtures.html\">"))
        // Same section ids in both languages, each with a ¶ permalink.
        for id in ["q-03-01", "q-03-02", "q-03-03"] {
            #expect(english.contains("<section class=\"question\" id=\"\(id)\"") && spanish.contains("<section class=\"question\" id=\"\(id)\""))
            #expect(english.contains("href=\"#\(id)\""))
        }
        // Answers in native <details>, the lead-in joined to the explanation.
        #expect(spanish.contains("<p><strong>Opciones 1, 3 y 4.</strong> Tres correctas.</p>"))
        #expect(english.contains("<p><strong>Choices 1, 3 and 4.</strong></p>\n<ul>\n<li>A is right</li>"))
        // Untranslated text falls back to English, marked and in lang="en".
        #expect(spanish.contains("<span lang=\"en\">Untranslated</span> (sin traducir)"))
        // Previous / next between phases, and home.
        #expect(english.contains("rel=\"next\" href=\"phase-07-testing.html\""))
        #expect(try #require(pages["quizzes/phase-07-testing.html"]).contains("rel=\"prev\" href=\"phase-03-fixtures.html\""))
        #expect(english.contains("href=\"../index.html\""))
        #expect(try #require(pages["index.html"]).contains("<span class=\"count\">3 questions</span>"))
        #expect(try #require(pages["es/index.html"]).contains("<span class=\"count\">1 pregunta</span>"))
        // Nothing leaves the site.
        for (path, page) in pages where path.hasSuffix(".html") {
            #expect(!page.contains("src=\"http") && !page.contains("href=\"http"), "\(path)")
        }
    }

    /// Hostile content: every case fails the build with the place of the text, or is escaped.
    @Test(arguments: [
        ("{en: A prompt., es: Un enunciado.}", "{en: \"Hi <script>alert(1)</script>\", es: x}", "7:18", "raw HTML <script> is not allowed"),
        ("{en: A prompt., es: Un enunciado.}", "{en: x, es: \"<img src=x onerror=alert(1)>\"}", "7:25", "raw HTML <img src=x onerror=alert(1)>"),
        ("{en: A prompt., es: Un enunciado.}", "{en: \"[x](JaVaScRiPt:alert(1))\", es: x}", "7:18", "uses the scheme 'javascript:'"),
        ("{en: A prompt., es: Un enunciado.}", "{en: \"[x](&#106;avascript:alert(1))\", es: x}", "7:18", "uses the scheme 'javascript:'"),
        ("{en: A prompt., es: Un enunciado.}", "{en: \"![x](data:image/svg+xml,<svg onload=alert(1)>)\", es: x}", "7:18", "is not allowed"),
        ("{en: A prompt., es: Un enunciado.}", "{en: \"<a href='vbscript:x'>y</a>\", es: x}", "7:18", "raw HTML <a href='vbscript:x'>"),
        ("{en: A title, es: Un título}", "{en: \"\\\"><script>alert(1)</script>\", es: x}", "6:17", "raw HTML <script>"),
        ("{en: Because., es: Porque.}", "{en: \"Done.\\n\\n</details>\\n<script>x</script>\", es: x}", "12:18", "raw HTML </details>"),
        ("{en: Because., es: Porque.}", "{en: \"<summary>Fake</summary>\", es: x}", "12:18", "raw HTML <summary>"),
        ("{en: Because., es: Porque.}", "{en: \"[x][evil]\\n\\n[evil]: javascript:alert(1)\", es: x}", "12:18", "link reference definitions"),
    ])
    func hostileContentIsRefused(original: String, replacement: String, location: String, phrase: String) async throws {
        let yaml = validQuiz().replacingOccurrences(of: original, with: replacement)
        let found = try await diagnostics(for: yaml)
        #expect(found.contains { $0.severity == .error && "\($0)".hasPrefix("data/quizzes/phase-07-testing.yaml:\(location): error:") && $0.message.contains(phrase) },
                "\(found.map(\.description))")
    }

    /// The English page of phase 7 made from `yaml`, which must build without errors.
    static func phase7Page(_ yaml: String) async throws -> String {
        let (generation, pages) = try await site(["data/quizzes/phase-07-testing.yaml": yaml])
        #expect(!generation.failed, "\(generation.diagnostics)")
        return try #require(pages["quizzes/phase-07-testing.html"])
    }

    @Test func harmlessTagsPassAndAttributeBreakoutsAreEscaped() async throws {
        let yaml = validQuiz()
            .replacingOccurrences(of: "{en: A prompt., es: Un enunciado.}", with: "{en: \"Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup>\", es: x}")
            .replacingOccurrences(of: "{en: Testing, es: Pruebas}", with: "{en: \"x\\\" onload=\\\"alert(1)\", es: y}")
        let page = try await Self.phase7Page(yaml)
        #expect(page.contains("Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup>"))
        #expect(page.contains("<title>Phase 7 · x&quot; onload=&quot;alert(1) · Course quizzes</title>"))
        #expect(!page.contains("onload=\"alert"))
    }

    /// A title or choice is its paragraph's content, tested on its bytes: a text that starts
    /// with a combining mark (`<p>` then U+0301 is no `"<p>"` prefix to `String`, which
    /// compares characters) is still one line of text.
    @Test func anInlineTextStartingWithACombiningMarkIsItsParagraphsContent() async throws {
        let quiz = validQuiz().replacingOccurrences(of: "{en: One,", with: "{en: \"\u{301}One\",")
            .replacingOccurrences(of: "{en: A title,", with: "{en: \"\u{301}A title\",")
        let page = try await Self.phase7Page(quiz)
        #expect(page.contains("<li>\u{301}One</li>"))
        #expect(page.contains("\u{301}A title"))
        #expect(!page.contains("<p>\u{301}"))
    }

    @Test func aFailedBuildLeavesTheSiteIntactAndLeftoversAreCleaned() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        // A staging folder as a build killed halfway would leave it.
        try project.write("docs-out/.site-staging-99999/index.html", "half")
        let before = project.snapshot("docs-out/site")
        try project.write("data/quizzes/phase-07-testing.yaml", validQuiz().replacingOccurrences(of: "A prompt.", with: "<script>x</script>"))
        #expect(try runQuizdoc(["build"], in: project.root).status == 1)
        #expect(project.snapshot("docs-out/site") == before)

        try project.write("data/quizzes/phase-07-testing.yaml", validQuiz().replacingOccurrences(of: "A prompt.", with: "A better prompt."))
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/site/quizzes/phase-07-testing.html")?.contains("A better prompt.") == true)
        // No staging folder is left, and no spare: this build made most of its site anew.
        let docsOut = try FileManager.default.contentsOfDirectory(atPath: project.root.appendingPathComponent("docs-out").path)
        #expect(docsOut.sorted() == [".quizdoc-manifest", "quizzes", "site"])
    }
}

@Suite struct SearchIndexTests {
    /// The fixture `site.js` is held to as well (`Tests/js/search.test.js`): a query's terms
    /// are found only if they are made exactly as the index's.
    @Test func textsBecomeTheTermsOfTheSharedFixture() throws {
        struct Fixture: Decodable {
            struct Case: Decodable { var language: String; var text: String; var terms: [String] }
            var cases: [Case]
        }
        let url = repositoryRoot.appendingPathComponent("Tests/js/search-terms.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        #expect(fixture.cases.count >= 10)
        for item in fixture.cases {
            var terms = SearchTerms(code: item.language)
            #expect(terms.terms(item.text) == item.terms, "\(item.language): \(item.text)")
        }
    }

    @Test func postingsSurviveTheirTextForm() {
        var random = SplitMix(seed: 7)
        for _ in 0..<200 {
            var document: UInt32 = 0
            let list: [UInt32] = (0..<Int(random.next() % 50)).map { _ in
                document += 1 + UInt32(random.next() % (random.next() % 2 == 0 ? 3 : 100_000))
                return document << 2 | UInt32(random.next() % 3)
            }
            let text = SearchIndex.encode(list)
            #expect(text.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x7A).contains($0) })
            #expect(SearchIndex.decode(text) == list)
        }
        #expect(SearchIndex.decode("A!") == nil)
        #expect(SearchIndex.decode("g") == nil, "a number cut short")
    }

    @Test func termChunksSplitTheSortedTermsAndTheRootNamesTheirFirstTerms() throws {
        let language = Language(code: "en", strings: [:])
        var postings = SearchIndex.Postings()
        for number in 0..<3_000 { postings.set("term\(number)", to: [UInt32(number) << 2]) }
        postings.set("éclair", to: [1])
        let files = SearchIndex.files(postings, phases: [(26, 3_000)], language: language)
        let chunks = files.filter { $0.path.hasPrefix("search/en/t") }
        #expect(chunks.count > 2)
        #expect(chunks.allSatisfy { $0.contents.count < SearchIndex.chunkBytes + 200 })
        let root = try #require(files.first { $0.path == "search/en/index.js" })
        let text = String(decoding: root.contents, as: UTF8.self)
        #expect(text.hasPrefix("quizdocSearch(\"en/index\",{") && text.contains("\"phases\":[[26,3000]]"))
        // The last chunk holds "éclair": sorted by UTF-16 code units, as JavaScript compares.
        #expect(String(decoding: chunks.last!.contents, as: UTF8.self).contains("\"éclair\""))
    }

    @Test func plainTextDropsTagsDecodesEntitiesAndCollapsesSpace() {
        #expect(plainText("<p>A <strong>b</strong> &amp; c&lt;d&gt; &quot;e&quot; f&#39;s</p>\n<ol>\n<li>One</li>\n</ol>\n")
                == "A b & c<d> \"e\" f's One")
    }

    @Test func searchStringsCannotCloseAScriptElement() {
        #expect(SearchIndex.quoted("</script><b>\"x\"\\\n") == "\"\\u003c/script\\u003e\\u003cb\\u003e\\\"x\\\"\\\\\\u000a\"")
        // U+2028/U+2029 end a line in older JavaScript; other E2 sequences (a dash) pass as they are.
        #expect(SearchIndex.quoted("a\u{2028}b\u{2029}c — d & \u{1}") == "\"a\\u2028b\\u2029c — d \\u0026 \\u0001\"")
        let text = "Cuánto — ½ 𝛼 \u{2028}"
        let json = try! JSONSerialization.jsonObject(with: Data("[\(SearchIndex.quoted(text))]".utf8)) as! [String]
        #expect(json == [text])
    }
}

/// The manifest keeps a page's links as one fingerprint; the build computes it byte by byte
/// rather than through strings, and must keep the value a manifest already holds.
@Suite struct NavigationFingerprintTests {
    @Test func theFingerprintIsThatOfTheLinksAsTexts() {
        let links = [SiteBuilder.PhaseLink(baseName: "phase-01-basics", phase: 1, titles: ["en": "Basics", "es": "Básicos"]),
                     SiteBuilder.PhaseLink(baseName: "phase-02-more", phase: 2, titles: ["es": "Más", "en": "More"])]
        let navigation = SiteBuilder.PhaseNavigation(window: links, current: 1, total: 2)
        var expected = Fingerprint()
        expected.add("1 2 2")
        for link in links {
            expected.add("\(link.baseName)\u{0}\(link.phase)")
            for code in link.titles.keys.sorted() { expected.add("\u{0}\(code)\u{0}\(link.titles[code]!)") }
            expected.add("\u{1}")
        }
        #expect(navigation.fingerprint == expected)
        #expect(SiteBuilder.PhaseNavigation(window: links, current: 0, total: 2).fingerprint != expected)
    }

    /// A build makes each phase's link bytes once; every page's fingerprint from them is the
    /// one its navigation has, in a course small enough to list every phase and in a larger one.
    @Test func fingerprintsFromLinkBytesAreThoseOfTheNavigation() {
        for count in [3, 40] {
            let summaries = (1...count).map {
                SiteBuilder.PhaseSummary(baseName: "phase-\($0)-x", phase: $0, sourcePath: "", questionCount: 1,
                                         titles: ["en": "T\($0)", "es": "É\($0)"], progressKeys: "")
            }
            let course = Pipeline.Course(languages: [], summaries: summaries, builder: nil, sink: nil, cache: nil)
            for index in summaries.indices {
                #expect(course.navigationFingerprint(of: index) == course.navigation(of: index).fingerprint, "\(count) \(index)")
            }
            #expect(course.navigationFingerprint(of: 0) != course.navigationFingerprint(of: 1))
        }
    }
}

@Suite struct RelativeLinkTests {
    @Test func linksClimbOutOfTheFoldersTheyDoNotShare() {
        let cases: [(from: String, to: String, link: String)] = [
            ("quizzes/a.html", "quizzes/b.html", "b.html"),
            ("quizzes/a.html", "index.html", "../index.html"),
            ("index.html", "quizzes/a.html", "quizzes/a.html"),
            ("es/quizzes/a.html", "assets/site.css", "../../assets/site.css"),
            ("es/index.html", "es/quizzes/a.html", "quizzes/a.html"),
            ("es/quizzes/a.html", "es/search/p1.js", "../search/p1.js"),
            ("quizzes/a.html", "quizzes/", ""),
            ("es/a.html", "", "../"),
            ("a.html", "", ""),
        ]
        for item in cases {
            #expect(SitePaths.link(from: item.from, to: item.to) == item.link, "\(item.from) → \(item.to)")
        }
    }
}
