import Foundation
import Mustache
import Testing
import MustacheEngine

/// The engine checked against swift-mustache (a full implementation of the spec) on the
/// same templates and values, and on its errors.
@Suite struct DifferentialTests {
    /// The same value as swift-mustache sees it.
    static func any(_ value: TemplateValue) -> Any {
        switch value {
        case .text(let text): text
        case .flag(let flag): flag
        case .list(let items): items.map(any)
        case .object(let fields): fields.dictionary.mapValues(any)
        }
    }

    static func both(_ templates: [String: String], render name: String, _ value: TemplateValue) throws -> (ours: String, reference: String) {
        var ours = TemplateLibrary()
        var reference = MustacheLibrary()
        for (templateName, text) in templates {
            ours.register(try Template(text), named: templateName)
            try reference.register(text, named: templateName)
        }
        return (String(decoding: ours.render(name, value), as: UTF8.self), reference.render(any(value), withTemplate: name) ?? "<nothing>")
    }

    static let person: TemplateValue = .object([
        "name": .text("Ada <Lovelace> & \"friends\" 'n'"),
        "html": .text("<em>raw</em>"),
        "admin": .flag(true),
        "guest": .flag(false),
        "tags": .list([.text("a"), .text("b<"), .text("c")]),
        "empty": .list([]),
        "address": .object(["city": .text("London"), "street": .object(["name": .text("St James's")])]),
        "items": .list([
            .object(["label": .text("one"), "first": .flag(true)]),
            .object(["label": .text("two"), "first": .flag(false)]),
        ]),
    ])

    @Test(arguments: [
        "Hello {{name}}! {{{html}}} {{&html}} {{ name }}",
        "{{#admin}}admin{{/admin}}{{^admin}}not admin{{/admin}}|{{#guest}}guest{{/guest}}{{^guest}}no guest{{/guest}}",
        "<ul>\n{{#tags}}\n  <li>{{.}}</li>\n{{/tags}}\n</ul>\n{{^empty}}\nnothing\n{{/empty}}\n",
        "{{#items}}{{^first}}, {{/first}}{{label}} of {{name}}{{/items}}",
        "{{address.city}} {{address.street.name}} {{#address}}{{city}} {{name}}{{/address}} {{address.missing}} {{missing.city}}",
        "  {{#admin}}  \n  indented\n  {{/admin}}  \r\nnext {{! a comment }}\n  {{! standalone comment }}\nend",
        "{{#items}}\n{{#first}}\nfirst: {{label}}\n{{/first}}\n{{/items}}\n",
        "{{missing}}[{{#missing}}x{{/missing}}{{^missing}}none{{/missing}}]",
        "{{#address}}{{#street}}{{name}} in {{city}}{{/street}}{{/address}}",
    ])
    func rendersLikeSwiftMustache(_ template: String) throws {
        let (ours, reference) = try Self.both(["t": template], render: "t", Self.person)
        #expect(ours == reference)
    }

    @Test func inheritanceAndPartialsRenderLikeSwiftMustache() throws {
        let templates = [
            "layout": "<html>\n<title>{{$title}}Default title{{/title}}</title>\n<body>\n{{$body}}{{/body}}\n{{>footer}}\n</body>\n</html>\n",
            "footer": "<footer>{{name}}</footer>\n",
            "page": "{{<layout}}\n{{$title}}{{name}}{{/title}}\nignored text\n{{$body}}\n<main>\n  {{>footer}}\n</main>\n{{/body}}\n{{/layout}}\n",
            "plain": "{{<layout}}{{/layout}}",
            "section": "{{<page}}\n{{$title}}Overridden from outside{{/title}}\n{{/page}}",
        ]
        for name in ["page", "plain", "section"] {
            let (ours, reference) = try Self.both(templates, render: name, Self.person)
            #expect(ours == reference, "\(name)")
        }
        let (ours, _) = try Self.both(templates, render: "page", Self.person)
        #expect(ours.contains("<title>Ada &lt;Lovelace&gt; &amp; &quot;friends&quot; &#39;n&#39;</title>"))
        #expect(ours.contains("<main>\n  <footer>"))
    }

    @Test func theShippedTemplatesRenderLikeSwiftMustache() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../templates/site").standardized
        var templates: [String: String] = [:]
        for name in ["layout", "index", "phase", "404"] {
            templates[name] = try String(contentsOf: folder.appendingPathComponent("\(name).mustache"), encoding: .utf8)
        }
        let alternates: TemplateValue = .list([
            .object(["code": .text("en"), "name": .text("English"), "href": .text("a.html"), "current": .flag(true), "first": .flag(true)]),
            .object(["code": .text("es"), "name": .text("Español"), "href": .text("es/a.html"), "current": .flag(false), "first": .flag(false)]),
        ])
        let page: TemplateValue = .object([
            "lang": .text("en"), "root": .text("../"), "home": .text("../index.html"), "homeLabel": .text("Home"),
            "siteTitle": .text("Quizzes"), "skipLabel": .text("Skip"), "languageLabel": .text("Language"),
            "hasAlternates": .flag(true), "alternates": alternates, "pageTitle": .text("Phase 1: <T>"),
            "heading": .text("Phase 1"), "phaseTitleHTML": .text("<code>T</code>"), "sourceHTML": .text("<p>src</p>"),
            "answerLabel": .text("Answer"), "permalinkLabel": .text("Permalink"),
            "questions": .list([.object(["id": .text("q-01-01"), "titleHTML": .text("<em>Q</em>"),
                                         "bodyHTML": .text("<p>B</p>\n"), "answerHTML": .text("<p>A</p>\n")])]),
            "next": .object(["href": .text("b.html"), "label": .text("Next"), "titleHTML": .text("B & C")]),
            "phases": .list([.object(["href": .text("a.html"), "linkHTML": .text("Phase 1"), "count": .text("1 question")])]),
            "intro": .text("Intro"), "text": .text("Not here"),
        ])
        for name in ["index", "phase", "404"] {
            let (ours, reference) = try Self.both(templates, render: name, page)
            #expect(ours == reference, "\(name)")
        }
    }

    @Test(arguments: [
        ("a\n{{#open}}\nb", 2, 1, "'open' is opened here but never closed"),
        ("{{#a}}\n  {{/b}}", 2, 3, "'{{/b}}' does not match the open 'a' (line 1)"),
        ("x {{/a}}", 1, 3, "'{{/a}}' closes nothing"),
        ("é {{name", 1, 3, "this tag is never closed; add '}}'"),
        ("{{{name}}", 1, 1, "this tag is never closed; add '}}}'"),
        ("{{=<% %>=}}", 1, 1, "changing the delimiters"),
        ("{{}}", 1, 1, "this tag has no name"),
        ("{{a b}}", 1, 1, "'a b' is not a name"),
        ("{{a..b}}", 1, 1, "'a..b' is not a name"),
    ])
    func syntaxErrorsAreLocated(_ source: String, _ line: Int, _ column: Int, _ phrase: String) {
        #expect {
            _ = try Template(source)
        } throws: { error in
            guard let error = error as? Template.SyntaxError else { return false }
            return error.line == line && error.column == column && error.message.contains(phrase)
        }
    }

    @Test func missingAndCyclicTemplatesAreReported() throws {
        var library = TemplateLibrary()
        library.register(try Template("{{>footer}}"), named: "page")
        library.register(try Template("{{<b}}{{/b}}"), named: "a")
        library.register(try Template("{{>a}}"), named: "b")
        let problems = library.problems()
        #expect(problems.map(\.template) == ["a", "b", "page"])
        #expect(problems.map(\.problem) == [.cycle, .cycle, .missing("footer")])
    }
}

/// A template keeps its texts and names in storage of its own (`Template.PartStorage`):
/// a library renders them after the template it was given is gone, and frees them when the
/// last copy goes, `{{.}}` (no names) included.
@Suite struct TemplateStorageTests {
    static func library() throws -> TemplateLibrary {
        var library = TemplateLibrary()
        library.register(try Template("<ol>\n{{#items}}\n<li>{{.}} {{&.}}</li>\n{{/items}}\n</ol>{{x.y}}"), named: "list")
        return library
    }

    @Test func aLibraryOutlivesTheTemplatesItWasGiven() throws {
        for round in 0..<200 {
            let library = try Self.library()
            let value: TemplateValue = .object(["items": .list([.text("a<"), .text("\(round)")]), "x": .object(["y": .text("!")])])
            #expect(String(decoding: library.render("list", value), as: UTF8.self) == "<ol>\n<li>a&lt; a<</li>\n<li>\(round) \(round)</li>\n</ol>!")
        }
    }
}

/// An object as a page builds it: names set, replaced and removed, looked up by templates.
@Suite struct TemplateObjectTests {
    @Test func namesAreSetReplacedAndRemoved() throws {
        var object: TemplateObject = ["answerHTML": .text("a"), "answerLabel": .text("b"), "answerTo": .text("c")]
        object["answerLabel"] = .text("B")
        object["answerTo"] = nil
        object["previous"] = nil
        object["next"] = .text("n")
        #expect(object["answerHTML"].map { if case .text("a") = $0 { true } else { false } } == true)
        #expect(object["answerTo"] == nil && object["previous"] == nil)
        #expect(object.dictionary.keys.sorted() == ["answerHTML", "answerLabel", "next"])
        var library = TemplateLibrary()
        library.register(try Template("{{answerHTML}}{{answerLabel}}[{{answerTo}}]{{next}}{{#inner}}{{answerLabel}}{{x.y}}{{/inner}}"), named: "t")
        object["inner"] = .object(["x": .object(["y": .text("!")])])
        #expect(String(decoding: library.render("t", .object(object)), as: UTF8.self) == "aB[]nB!")
    }

    /// Objects made with the same names are their own: a name set on one is not the other's;
    /// a name given twice keeps its last value.
    @Test func objectsShareTheirNamesNotTheirValues() throws {
        let names = TemplateNames(["id", "title"])
        var first = TemplateObject(names, [.text("q-1"), .text("One")])
        let second = TemplateObject(names, [.text("q-2"), .text("Two")])
        first["extra"] = .text("!")
        first["title"] = .text("Uno")
        var library = TemplateLibrary()
        library.register(try Template("{{#items}}{{id}} {{title}}{{extra}};{{/items}}"), named: "t")
        let page: TemplateObject = ["items": .list([.object(first), .object(second)])]
        #expect(String(decoding: library.render("t", .object(page)), as: UTF8.self) == "q-1 Uno!;q-2 Two;")
        let twice = TemplateObject(dictionaryLiteral: ("a", .text("1")), ("b", .text("2")), ("a", .text("3")))
        #expect(twice.dictionary.keys.sorted() == ["a", "b"])
        #expect(twice["a"].map { if case .text("3") = $0 { true } else { false } } == true)
    }
}
