import Testing
@testable import QuizDocKit

/// Texts with no Markdown in them skip cmark-gfm (`PlainParagraphs`): whatever they accept
/// must come out exactly as cmark-gfm renders it.
@Suite struct PlainParagraphsTests {
    static func plain(_ text: String) -> String? {
        var text = text
        return text.withUTF8(PlainParagraphs.html)
    }

    /// Each text taken by the fast path and rendered as cmark-gfm renders it.
    static func expectTaken(_ texts: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for text in texts {
            let html = plain(text)
            #expect(html != nil, "\(text.debugDescription) is plain", sourceLocation: sourceLocation)
            #expect(html == Markdown.parse(text).html, "\(text.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    /// Each text left to cmark-gfm.
    static func expectLeft(_ texts: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for text in texts {
            #expect(plain(text) == nil, "\(text.debugDescription) is left to cmark-gfm", sourceLocation: sourceLocation)
        }
    }

    /// `count` random texts of 1 to `longest` pieces of `alphabet`: each one the fast path
    /// takes must render as cmark-gfm renders it. The HTML of those it took.
    static func randomTextsTaken(_ alphabet: [String], seed: UInt64, count: Int, longest: Int,
                                 sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
        var random = SplitMix(seed: seed)
        var taken: [String] = []
        for _ in 0..<count {
            let length = 1 + Int(random.next() % UInt64(longest))
            let text = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
            guard let html = plain(text) else { continue }
            taken.append(html)
            #expect(html == Markdown.parse(text).html, "\(text.debugDescription)", sourceLocation: sourceLocation)
        }
        return taken
    }

    @Test func plainProseIsRenderedAsCmarkGFMRendersIt() {
        let texts = [
            "Quantization maps weights to 4-bit integers (int4), which saves memory.",
            "¿Qué ocurre con la precisión? Baja un 2 % \"en promedio\"; no más.",
            "It's 10/20 = 50 % + a #hashtag, (really)!",
            "Note: one line\nand its continuation.\n\nA second paragraph.",
            "Two spaces  inside the line, and a non-breaking\u{00A0}space.",
            "2024 was a year\n3 things happened",
            "\"Quoted\" at the start",
            "Ends with a newline\n",
            "Paragraph\n\n\n\nafter blank lines",
        ]
        Self.expectTaken(texts)
    }

    @Test func anythingMarkdownReadsGoesToCmarkGFM() {
        let texts = [
            "*emphasis*", "_under_", "``code``", "[link](x)", "a <b>", "AT&T", "x\\y", "~~strike~~", "a | b",
            "mail me@example.org", "see www.example.org", "https://example.org", "mailto:x", "1. item", "2) item",
            "+ item", "# heading", "> quote", "    code", " leading space", "trailing space ", "hard break  \nnext",
            "Heading\n===", "Heading\n---", "tab\there", "{braces}", "$5", "a^b", "=== not a setext underline", "-1 is negative",
        ]
        Self.expectLeft(texts)
    }

    @Test func plainStrongEmphasisIsRenderedAsCmarkGFMRendersIt() {
        let texts = [
            "A **bold** word.", "**Bold** at the start, and **two words** later", "Ends in **bold**",
            "**Cuántas** capas, **está** bien; **ñandú**: sí (**x**) \"**y**\" **z**'s **1**!", "Line\n**two** and **three**?",
        ]
        Self.expectTaken(texts)
        let left = [
            "**bold**word", "a**bold** b", "** bold**", "**bold **", "***bold***", "**bold*", "*bold**", "**open\nclosed**",
            "**open", "**×**", "**(x)**", "__bold__", "**a**b**", "**:x**", "x **y**_", "**a****b**",
        ]
        Self.expectLeft(left)
    }

    @Test func plainCodeSpansAreRenderedAsCmarkGFMRendersThem() {
        let texts = [
            "Call `quantize_4bit` first.", "`x` at the start, `y_1 * z` inside, and `a<b> & \"c\"` escaped",
            "A **bold** word and `code`.", "**Bold `code` inside**", "Ends in `code`", "`*not* _emphasis_ [nor](link) \\ &amp;`",
            "`https://example.org` and `www.example.org` and `me@example.org`", "`É ñ ü`, `1.` `#` `- x`",
            "Line\n`two` and `three`?", "- `item` one\n- item `two`", "word`code`word", "`a` `b`", "`***`",
        ]
        Self.expectTaken(texts)
        let left = [
            "``double``", "`open", "`open\nclosed`", "` lead`", "`trail `", "` both `", "`a|b`", "```fence```", "`a``b`",
            "**`x`**", "`tab\there`", "\\`x`", "| `a` |\n|---|\n| `b|c` |",
        ]
        Self.expectLeft(left)
    }

    @Test func tightListsOfPlainItemsAreRenderedAsCmarkGFMRendersThem() {
        let texts = [
            "- one\n- two", "A paragraph.\n\n- one **item**\n- two\n\nAnd after.", "- 2024 was a year\n- ¿Sí?",
            "Para\n\n- a b\n\nPara\n\n- c d\n", "- \"quoted\"",
        ]
        Self.expectTaken(texts)
        let left = [
            "Para\n- item", "- one\n\n- two", "- one\ncontinued", "- one\n  indented", "- - nested", "- 1. nested", "-  two spaces",
            "- # heading", "- > quote", "- item\n---", "-\titem", "- ", "-", "* star item", "+ plus item", "1. ordered",
        ]
        Self.expectLeft(left)
    }

    @Test func tablesOfPlainCellsAreRenderedAsCmarkGFMRendersThem() {
        let texts = [
            "| a | b |\n|---|---|\n| x | y **z** |", "Para.\n\n| a |\n|-|\n| b |\n\nAfter.", "| a | b |\n| --- | - |",
            "|a|b|\n|---|---|\n|x|y|\n", "| # x | - y | 1. z |\n|---|---|---|\n|  | \"q\" | é |\n\n- item", "| `a` |\n|---|",
        ]
        Self.expectTaken(texts)
        let left = [
            "Para\n| a |\n|---|", "| a | b |\n|:--|--:|", "| a | b |\n|---|\n| x | y |", "| a |\n|---|\n| x | y |",
            "| a |\n|---|\nlazy", "| a |\n|---|\n- item", "| a \\| b |\n|---|", "| `a|b` |\n|---|", "| a |\n| b |", "a | b\n--|--",
            "- item\n| a |\n|---|", "| **a |\n|---|", "| a:b |\n|---|",
        ]
        Self.expectLeft(left)
    }

    /// Random tables, most of them well formed, some not (cells missing or extra, aligned or
    /// short delimiters, a line after them, cells of every kind): whatever the fast path
    /// takes renders exactly as cmark-gfm renders it, and it takes many.
    @Test func randomTablesAgreeWithCmarkGFM() {
        let cells = ["a", "word", "**b**", "\"q\"", "", " ", "é", "# h", "- i", "1. n", "a:b", "a: b", "www.x", "**c", "x*", "`c`", "<b>",
                     "a **b** c", "(**d**)"]
        let delimiters = ["---", "---", "-", " --- ", ":--", "--:", ""]
        var random = SplitMix(seed: 27)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        var tables = 0
        for _ in 0..<20_000 {
            let columns = 1 + Int(random.next() % 3)
            func row(_ items: [String], _ count: Int) -> String {
                let padded = random.next() % 4 != 0
                return "|" + (0..<count).map { _ in padded ? " \(pick(items)) " : pick(items) }.joined(separator: "|") + "|"
            }
            func count() -> Int { random.next() % 6 == 0 ? 1 + Int(random.next() % 3) : columns }
            var lines = [row(cells, columns), row(delimiters, count())]
            for _ in 0..<Int(random.next() % 4) { lines.append(row(cells, count())) }
            var text = lines.joined(separator: "\n")
            text = pick(["", "", "Para.\n\n", "Para.\n", "- item\n\n"]) + text + pick(["", "", "\n", "\n\nAfter.", "\nlazy", "\n- item"])
            guard let html = Self.plain(text) else { continue }
            tables += 1
            #expect(html == Markdown.parse(text).html, "\(text.debugDescription)")
        }
        #expect(tables > 500, "the fast path took \(tables) tables")
    }

    /// Random texts of words, spaces, marks, stars and list markers: whatever the fast path
    /// takes renders exactly as cmark-gfm renders it, and it takes many with strong emphasis
    /// and many with lists.
    @Test func randomTextsWithStarsAgreeWithCmarkGFM() {
        let alphabet = ["**", "**", "**", "**", "word", "word", "é", "ñá", "x", "1", " ", " ", " ", " ", " ", "\n", ".", ",", ":", "'",
                        "\"", "(", ")", "!", "-", "*", "×", "\n- ", "\n- ", "- ", "\n\n", "\n\n- "]
        let taken = Self.randomTextsTaken(alphabet, seed: 26, count: 100_000, longest: 10)
        let strong = taken.filter { $0.contains("<strong>") }.count, lists = taken.filter { $0.contains("<li>") }.count
        #expect(strong > 100, "the fast path took \(strong) texts with strong emphasis")
        #expect(lists > 100, "the fast path took \(lists) texts with lists")
    }

    /// Random texts of words, backticks and what a code span holds or must not: whatever the
    /// fast path takes renders exactly as cmark-gfm renders it, and it takes many code spans.
    @Test func randomTextsWithCodeSpansAgreeWithCmarkGFM() {
        let alphabet = ["`", "`", "`", "`", "word", "x_1", "é", " ", " ", " ", "\n", ".", ":", "*", "**", "_", "<", ">", "&", "\"",
                        "'", "|", "\\", "[", "]", "(", ")", "www.", "://", "@", "\n- ", "\n\n", "-", "#", "1."]
        let code = Self.randomTextsTaken(alphabet, seed: 31, count: 100_000, longest: 10).filter { $0.contains("<code>") }.count
        #expect(code > 100, "the fast path took \(code) texts with code spans")
    }

    /// A title or a choice of one plain line has its content made at once: the content of the
    /// paragraph cmark-gfm renders it as. Any other text (more lines, a list's start, a
    /// problem, anything the fast path leaves) is left to `render`.
    @Test func oneLineContentIsTheContentOfCmarkGFMsParagraph() {
        var random = SplitMix(seed: 41)
        let alphabet = ["word", "word", "é", " ", " ", "**", "`", "x_1", ".", "-", "- ", "1. ", "#", "> ", "<", "&", "\"", "\n", "|",
                        "\u{202E}", "@", "~~~"]
        var taken = 0
        for _ in 0..<20_000 {
            let text = (0..<(1 + Int(random.next() % 8))).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
            var copy = text
            let oneLine = copy.withUTF8(PlainParagraphs.isOneLineParagraph)
            let content = Markdown.lineContent(text)
            #expect((content != nil) == (oneLine && Markdown.problems(text).isEmpty), "\(text.debugDescription)")
            if let content {
                taken += 1
                #expect("<p>\(content)</p>\n" == Markdown.parse(text).html, "\(text.debugDescription)")
            }
        }
        #expect(taken > 500, "\(taken) of 20,000 taken")
    }

    /// Random texts over an alphabet of letters and everything Markdown reads: every one the
    /// fast path takes renders exactly as cmark-gfm renders it.
    @Test func randomTextsAgreeWithCmarkGFM() {
        let alphabet = ["a", "b", "W", "w", "w", "1", "9", " ", " ", "\n", ".", ",", ":", "/", "(", ")", "-", "+", "=", "#", "\"", "'",
                        "!", "?", "%", ";", "é", "ñ", "¿", "\u{00A0}", "*", "_", "`", "<", ">", "&", "[", "]", "@", "~", "|", "\\",
                        "{", "}", "$", "^", "\t", "h", "t", "p", "s", "m", "i", "l", "o"]
        let taken = Self.randomTextsTaken(alphabet, seed: 14, count: 20_000, longest: 30).count
        #expect(taken > 100, "the fast path took \(taken) of 20,000 random texts")
    }
}

/// The line scan before cmark-gfm passes over quiet bytes eight at a time: an invisible
/// character or a counted mark is found wherever it falls in a long line.
@Suite struct LineScanTests {
    @Test(arguments: ["\u{1}", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{202E}"])
    func anInvisibleCharacterIsFoundAtEveryOffset(_ invisible: String) {
        let code = String(format: "U+%04X", invisible.unicodeScalars.first!.value)
        for offset in 0..<24 {
            let text = "Plain words " + String(repeating: "é", count: offset % 3) + String(repeating: "x", count: offset)
                + invisible + String(repeating: "y", count: 40 - offset) + "\nand a second line."
            let problems = Markdown.render(text).problems
            #expect(problems.contains { $0.message.contains(code) && $0.line == 1 }, "\(code) at \(offset): \(problems)")
        }
    }

    @Test func theAtSignLimitCountsEverySign() {
        for offset in 0..<16 {
            let text = String(repeating: "x", count: offset) + String(repeating: "a@bcdefgh ", count: 201)
            #expect(Markdown.render(text).problems.contains { $0.isLimit }, "at \(offset)")
            let fewer = String(repeating: "x", count: offset) + String(repeating: "a@bcdefgh ", count: 200)
            #expect(!Markdown.render(fewer).problems.contains { $0.isLimit }, "at \(offset)")
        }
    }

    /// `check` asks cmark-gfm for a text's problems only when the text has something a parse
    /// could object to (`Markdown.mayHaveParseProblems`): every kind of parse problem is
    /// behind one of its triggers, and what it lets through has none.
    @Test func checkParsesEveryTextAParseCouldObjectTo() {
        let objected = [
            "a <b>bold</b> word", "<div>\nblock\n</div>", "x<sub>2", "```\nopen fence", "~~~\nopen fence",
            "  ````swift\nopen fence", "a `span` then\n```\nopen fence",
            "[x](javascript:alert(1))", "![x](data:image/png;base64,AA)", "see ftp://example.org/x",
            "write to xmpp:me@example.org", "<javascript:alert(1)>",
        ]
        for text in objected {
            var bytes = text
            let parsed = bytes.withUTF8(Markdown.mayHaveParseProblems)
            #expect(parsed, "\(text.debugDescription) is parsed")
            #expect(!Markdown.render(text).problems.isEmpty, "\(text.debugDescription) has a problem")
            #expect(Markdown.problems(text) == Markdown.render(text).problems, "\(text.debugDescription)")
        }
        let prose = [
            "Quantization saves **memory** and _time_; it costs *accuracy*.",
            "- one\n- two\n\n1. first\n2. second",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "> a quote\n\n# A heading\n\nText after [brackets] and (parentheses): fine.",
            "    indented code\n\nand a paragraph",
            "A `code span`, ``two`` backticks and ~~struck~~ text.",
        ]
        for text in prose {
            var bytes = text
            let parsed = bytes.withUTF8(Markdown.mayHaveParseProblems)
            #expect(!parsed, "\(text.debugDescription) is not parsed by check")
            #expect(Markdown.render(text).problems.isEmpty, "\(text.debugDescription)")
            #expect(Markdown.problems(text).isEmpty)
        }
    }

    /// The look for a trigger passes over words of eight bytes with none of its bytes: a
    /// trigger is found at every offset, also when it straddles two words, and a near miss
    /// (its bytes apart) at none.
    @Test func aParseTriggerIsFoundAtEveryOffset() {
        for (trigger, miss) in [("<", "x"), ("@", "x"), ("```", "``x`"), ("~~~", "~~x~"), ("](", "]x("), ("]:", "]x:"), (":/", ":x/")] {
            for offset in 0..<20 {
                var text = String(repeating: "w", count: offset) + trigger + String(repeating: "z", count: 20 - offset)
                let found = text.withUTF8(Markdown.mayHaveParseProblems)
                #expect(found, "\(trigger) at \(offset)")
                var near = String(repeating: "w", count: offset) + miss + String(repeating: "z", count: 20 - offset)
                let missed = near.withUTF8(Markdown.mayHaveParseProblems)
                #expect(!missed, "\(near.debugDescription)")
            }
        }
    }
}

/// `check` makes no page, and skips the HTML of a title or choice of one plain line: what it
/// reports of every inline text is what a build reports.
@Suite struct InlineCheckTests {
    @Test func checkReportsOfInlineTextsWhatABuildReports() {
        let texts = ["Plain words", "Plain \u{202E}reversed", "- reads as a list", "**Bold** start", "# heading", "Two\nlines",
                     String(repeating: "a@", count: 201), "x\u{1}y", "", "| a |", "café **crème**"]
        for markdown in texts {
            let text = ShownText(markdown: markdown, isFallback: false, code: "en", location: SourceLocation(path: "t.yaml", line: 1, column: 1))
            var building = TextRenderer(), checking = TextRenderer()
            checking.rendersBlocks = false
            let html = building.inline(text)
            _ = checking.inline(text)
            #expect(checking.bag.diagnostics == building.bag.diagnostics, "\(markdown.debugDescription): \(building.bag.diagnostics)")
            if markdown == "- reads as a list" { #expect(!building.bag.diagnostics.isEmpty) }
            if markdown == "Plain \u{202E}reversed" { #expect(!checking.bag.diagnostics.isEmpty, "\(html)") }
        }
    }
}
