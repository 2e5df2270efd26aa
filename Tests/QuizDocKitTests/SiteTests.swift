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
        // No staging folder is left, and no spare site: this build made most of its site anew.
        // The manifest before this one is kept, to be written over by the next.
        let docsOut = try FileManager.default.contentsOfDirectory(atPath: project.root.appendingPathComponent("docs-out").path)
        #expect(docsOut.sorted() == [".quizdoc-manifest", ".quizdoc-manifest.spare", "quizzes", "site"])
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

    /// Every stopword is dropped, and no word a letter away from one is (`StopwordSet`
    /// finds a word by a hash of its bytes).
    @Test func everyStopwordAndOnlyThoseAreDropped() {
        for (code, stopwords) in SearchTerms.stopwords {
            var terms = SearchTerms(code: code)
            let all = Set(stopwords)
            for word in stopwords {
                #expect(terms.terms(word).isEmpty, "\(code): \(word)")
                for near in ["z" + word, word + "z", String(word.dropLast()) + "q", "q" + word.dropFirst()] where !all.contains(near) && near.count > 1 {
                    #expect(terms.terms(near).count == 1, "\(code): \(near)")
                }
            }
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

    @Test func termsSortAsJavaScriptComparesStrings() {
        // Letters from each UTF-8 length, and U+FB00 (lead EF) against U+1D6FC (lead F0):
        // in UTF-16 the second is a surrogate pair, so it sorts first.
        let letters = ["a", "z", "0", "é", "ñ", "ω", "中", "\u{FB00}", "\u{E000}", "𝛼", "𝟘"]
        var random = SplitMix(seed: 11)
        let words = (0..<400).map { _ in (0..<Int(1 + random.next() % 4)).map { _ in letters[Int(random.next() % UInt64(letters.count))] }.joined() }
        for a in words {
            for b in words.prefix(60) {
                var (x, y) = (a, b)
                let ours = x.withUTF8 { x in y.withUTF8 { y in SearchIndex.precedesInJavaScript(x, y) } }
                #expect(ours == Array(a.utf16).lexicographicallyPrecedes(Array(b.utf16)), "\(a) < \(b)")
            }
        }
    }

    /// An edit's index is the last build's merged with what changed: it must be the index a
    /// full build makes, for phases kept, made anew, left out and added, across chunks.
    @Test func anIndexMergedWithWhatChangedIsTheIndexMadeAfresh() throws {
        let language = Language(code: "en", strings: [:])
        let vocabulary = (0..<3_000).map { "term\($0)" } + ["éclair", "ñandú", "中文", "\u{FB00}x", "𝛼beta", "zz"]
        typealias Phase = (number: Int, questions: [[(term: String, field: UInt32)]])
        var random = SplitMix(seed: 5)
        func questions() -> [[(term: String, field: UInt32)]] {
            (0..<Int(random.next() % 4)).map { _ in
                Set((0..<400).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }).sorted()
                    .map { ($0, UInt32(random.next() % 3)) }
            }
        }
        /// The postings of `phases` (all, or only those `included`), numbered in course order.
        func postings(_ phases: [Phase], included: (Int) -> Bool = { _ in true }) -> SearchIndex.Postings {
            var lists: [String: [UInt32]] = [:]
            var document: UInt32 = 0
            for phase in phases {
                for question in phase.questions {
                    if included(phase.number) { for (term, field) in question { lists[term, default: []].append(document << 2 | field) } }
                    document += 1
                }
            }
            var postings = SearchIndex.Postings()
            for term in lists.keys.sorted() { postings.set(term, to: lists[term]!) }
            return postings
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var severalChunks = 0
        for round in 0..<40 {
            let old: [Phase] = (1...(3 + round % 9)).map { ($0 * 10, questions()) }
            try? FileManager.default.removeItem(at: folder)
            for file in SearchIndex.files(postings(old), phases: old.map { ($0.number, $0.questions.count) }, language: language) {
                let url = folder.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents).write(to: url)
            }
            let previous = try #require(SearchIndex.previous(site: folder.path + "/", language: language))
            // Each old phase kept, made anew or left out; now and then a phase added after it.
            var new: [Phase] = [], fresh: Set<Int> = []
            for phase in old {
                switch random.next() % 4 {
                case 0: new.append((phase.number, questions())); fresh.insert(phase.number)
                case 1: break
                default: new.append(phase)
                }
                if random.next() % 5 == 0 { new.append((phase.number + 5, questions())); fresh.insert(phase.number + 5) }
            }
            var renumbered: [Int32] = [], document = 0, freshDocuments: Range<Int>?
            let kept = Set(new.map(\.number)).subtracting(fresh)
            var firstOf: [Int: Int] = [:]
            for phase in new {
                firstOf[phase.number] = document
                if fresh.contains(phase.number) {
                    freshDocuments = (freshDocuments?.lowerBound ?? document)..<(document + phase.questions.count)
                }
                document += phase.questions.count
            }
            for phase in old {
                for offset in phase.questions.indices {
                    renumbered.append(kept.contains(phase.number) ? Int32(firstOf[phase.number]! + offset) : -1)
                }
            }
            guard renumbered.contains(where: { $0 >= 0 }) else { continue }
            let phases = new.map { ($0.number, $0.questions.count) }
            let merged = SearchIndex.merging(previous, SearchIndex.Renumbering(renumbered, fresh: freshDocuments, total: document),
                                             fresh: postings(new) { fresh.contains($0) }, phases: phases, language: language)
            let full = SearchIndex.files(postings(new), phases: phases, language: language)
            #expect(merged.map(\.path) == full.map(\.path), "round \(round)")
            #expect(merged.map(\.contents) == full.map(\.contents), "round \(round)")
            if full.count > 2 { severalChunks += 1 }
        }
        #expect(severalChunks > 20, "most rounds' indexes span several chunks")
    }

    @Test func theLastIndexIsReadOnlyWhenEveryPartIsAsQuizdocWritesIt() throws {
        let language = Language(code: "en", strings: [:])
        var postings = SearchIndex.Postings()
        for number in 0..<2_000 { postings.set("term\(number)", to: [UInt32(number % 7) << 2]) }
        let files = SearchIndex.files(postings, phases: [(1, 7)], language: language)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("previous-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ replacing: (path: String, text: String)? = nil) throws {
            try? FileManager.default.removeItem(at: folder)
            for file in files {
                let url = folder.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.path == replacing?.path ? Array(replacing!.text.utf8) : file.contents).write(to: url)
            }
        }
        try write()
        #expect(SearchIndex.previous(site: folder.path + "/", language: language)?.entries.count == 2_000)
        let chunk = String(decoding: files[0].contents, as: UTF8.self)
        let spoiled = [
            ("a document past the root's questions", chunk.replacingOccurrences(of: "\"term0\":\"A\"", with: "\"term0\":\"V\"")),
            ("terms out of order", chunk.replacingOccurrences(of: "\"term0\":", with: "\"zzz\":")),
            ("a posting cut short", chunk.replacingOccurrences(of: "\"term0\":\"A\"", with: "\"term0\":\"g\"")),
            ("a character no posting has", chunk.replacingOccurrences(of: "\"term0\":\"A\"", with: "\"term0\":\"!\"")),
            ("an escape in a term", chunk.replacingOccurrences(of: "\"term0\":", with: "\"term\\u0030\":")),
        ]
        for (problem, text) in spoiled {
            #expect(text != chunk, "\(problem): the test changes the chunk")
            try write((files[0].path, text))
            #expect(SearchIndex.previous(site: folder.path + "/", language: language) == nil, "\(problem)")
        }
        // A term that is not UTF-8, still in order (a term is the one place where a byte
        // outside ASCII may be): "term0" and a lead byte with nothing after it.
        var bytes = Array(files[0].contents)
        let term0 = try #require(bytes.firstRange(of: Array("\"term0\":".utf8)))
        bytes.insert(0xC3, at: term0.lowerBound + 6)
        try write()
        try Data(bytes).write(to: folder.appendingPathComponent(files[0].path))
        #expect(SearchIndex.previous(site: folder.path + "/", language: language) == nil, "a term that is not UTF-8")
    }

    @Test func plainTextDropsTagsDecodesEntitiesAndCollapsesSpace() {
        #expect(plainText("<p>A <strong>b</strong> &amp; c&lt;d&gt; &quot;e&quot; f&#39;s</p>\n<ol>\n<li>One</li>\n</ol>\n")
                == "A b & c<d> \"e\" f's One")
    }

    /// The index reads each question's HTML for its terms without making its plain text,
    /// and makes a prompt's plain text only as far as its snippet reads: both as from the
    /// whole plain text, on fragments of tags, entities, marks and words in both languages.
    @Test func termsAndSnippetsFromTheHTMLAreThoseOfItsPlainText() {
        var random = SplitMix(seed: 23)
        let pieces = ["<p>", "</p>\n", "<em>", "</em>", "<code>", "<br />\n", "<a href=\"x#y\">", "&amp;", "&lt;", "&gt;",
                      "&quot;", "&#39;", "&amp", "&", "<", ">", " ", "\n", "Quant", "ization", "caches", "año", "CUÁNTAS",
                      "naïve", "e\u{301}", "n\u{303}", "ß", "Ωmega", "x", "42", "-", "'", "the", "de", "las", "…", "—"]
        for _ in 0..<2_000 {
            let html = (0..<Int(random.next() % 40)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            for code in ["en", "es"] {
                var fromPlain = SearchTerms(code: code), fromHTML = SearchTerms(code: code)
                var plainTable = TermTable(), htmlTable = TermTable()
                var plainNumbers: [Int] = [], htmlNumbers: [Int] = []
                fromPlain.scan(plainText(html), into: &plainTable, numbers: &plainNumbers)
                fromHTML.scan(html: html, into: &htmlTable, numbers: &htmlNumbers)
                #expect(htmlNumbers.map { htmlTable.list.string($0) } == plainNumbers.map { plainTable.list.string($0) }, "\(html.debugDescription)")
            }
            for limit in [0, 1, 5, 110] {
                let start = plainText(html, scalarLimit: limit), whole = plainText(html)
                #expect(whole.unicodeScalars.starts(with: start.unicodeScalars))
                #expect(start.unicodeScalars.count == min(limit + 1, whole.unicodeScalars.count), "\(html.debugDescription)")
            }
            #expect(SearchIndex.snippet(plainText(html, scalarLimit: SearchIndex.snippetLength)) == SearchIndex.snippet(plainText(html)))
        }
    }

    /// A phase's term list is kept trimmed to the end of the build: the same terms, in the
    /// same order, with the same hashes, and no room past the last one.
    @Test func aTrimmedTermListHasTheSameTermsAndNoRoom() {
        var terms = SearchTerms(code: "es"), table = TermTable(), numbers: [Int] = []
        terms.scan(html: "<p>Cuántas cachés del <em>kernel</em> y de la atención, año tras año: 42 naïve ß</p>",
                   into: &table, numbers: &numbers)
        let list = table.list, trimmed = list.trimmed
        #expect(list.count > 5 && list.keys.count > list.byteCount)
        #expect(trimmed.count == list.count && trimmed.byteCount == list.byteCount && trimmed.keys.count == list.byteCount)
        #expect((0..<list.count).map(trimmed.string) == (0..<list.count).map(list.string))
        #expect(trimmed.hashes == list.hashes && trimmed.ends == list.ends)
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

/// Values by language code, in code order whatever the order they were set in; written to a
/// manifest as a dictionary of them is, and read back.
@Suite struct ByLanguageTests {
    @Test func inCodeOrderAndWrittenAsADictionary() throws {
        var titles: ByLanguage<String> = ["es": "Más", "en": "More"]
        titles["de"] = "Mehr"
        titles["pt-BR"] = "Mais"
        titles["en"] = "More!"
        titles["zz"] = nil
        #expect(titles.entries.map(\.code) == ["de", "en", "es", "pt-BR"])
        #expect(titles["en"] == "More!" && titles["fr"] == nil)
        titles["de"] = nil
        let dictionary = ["en": "More!", "es": "Más", "pt-BR": "Mais"]
        #expect(titles == ByLanguage(dictionary))
        var written = TokenWriter(), expected = TokenWriter()
        titles.write(to: &written) { out, title in out.text(title) }
        expected.dictionary(dictionary) { out, title in out.text(title) }
        #expect(written.bytes == expected.bytes)
        var reader = TokenReader(written.bytes)
        #expect(try ByLanguage(from: &reader) { (reader) throws(TokenReader.Malformed) in try reader.text() } == titles)
        #expect(reader.isAtEnd)
    }
}

/// The manifest keeps a page's links as one fingerprint; the build computes it from each
/// link's bytes, made once, rather than through strings: the place and count, then each
/// link's text through `Checksum`.
@Suite struct NavigationFingerprintTests {
    @Test func theFingerprintIsThatOfTheLinksAsTexts() {
        let links = [SiteBuilder.PhaseLink(baseName: "phase-01-basics", phase: 1, titles: ["en": "Basics", "es": "Básicos"]),
                     SiteBuilder.PhaseLink(baseName: "phase-02-more", phase: 2, titles: ["es": "Más", "en": "More"])]
        let navigation = SiteBuilder.PhaseNavigation(window: links, current: 1, total: 2)
        var expected = Fingerprint()
        func add(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { expected.add($0) } }
        for number: UInt64 in [1, 2, 2] { add(number) }
        for link in links {
            // Each part ends in a 0 byte.
            var text = "\(link.baseName)\u{0}\(link.phase)\u{0}"
            for code in ["en", "es"] { text += "\u{0}\(code)\u{0}\(link.titles[code]!)\u{0}" }
            add(Array((text + "\u{1}\u{0}").utf8).withUnsafeBytes { Checksum.of($0) })
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

    /// `phaseLinks` makes the folder's link once; each phase's is still `link`'s.
    @Test func aPhaseLinkIsTheLinkToThePhasesPage() {
        let languages = [Language(code: "en", strings: [:]), Language(code: "es", strings: [:])]
        let paths = SitePaths(languages: languages)
        for language in languages {
            for from in [paths.home(language), paths.phase("phase-01-a", language), "es/quizzes/x.html", "404.html"] {
                let link = paths.phaseLinks(from: from, language)
                for baseName in ["phase-01-a", "phase-100-b-c", "x"] {
                    #expect(link(baseName) == SitePaths.link(from: from, to: paths.phase(baseName, language)), "\(from) → \(baseName)")
                }
            }
        }
    }
}

@Suite struct LanguageFillingTests {
    /// The pieces around a marker, found in the bytes, are those a split on the marker gives
    /// (texts without combining marks after a `}`).
    @Test(arguments: ["", "{id}", "Answer to {id}", "{id}: answer", "a{id}b{id}", "{id}{id}", "Respuesta a {id} — «{id}»", "no marker", "{i}d {id"])
    func piecesAreThoseOfASplit(_ text: String) {
        let expected = text.split(separator: "{id}", omittingEmptySubsequences: false).map(String.init)
        #expect(Language.pieces(of: text, around: "{id}") == expected)
    }

    @Test func aFillingPutsTheValueWhereTheNameWas() {
        let language = Language(code: "es", strings: [.answerTo: "Respuesta a {id} — «{id}»"])
        #expect(language.filling(.answerTo, "id")("q-01") == "Respuesta a q-01 — «q-01»")
        #expect(language.filling(.answerTo, "id")("q-01") == language.text(.answerTo, ["id": "q-01"]))
    }
}
