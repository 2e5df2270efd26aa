import Testing
import MustacheEngine

/// A render that takes unchanged elements of a list from the last render makes the bytes and
/// the layout a render from scratch makes.
@Suite struct ListReuseTests {
    /// A page in a layout, the list shown twice (a table of contents and the list itself),
    /// its elements with sections of their own and a standalone partial (indented inside an
    /// element), and names from outside the element.
    static let templates = [
        "layout": "<html>\n{{$content}}{{/content}}\n</html>\n",
        "item": "<i>{{label}}</i>\n",
        "page": """
            {{<layout}}
            {{$content}}
            <nav>{{#rows}}<a>{{label}}</a>{{/rows}}</nav>
            {{^rows}}none{{/rows}}
            <ol>
            {{#rows}}
            <li data-n="{{n}}" title="{{title}}">{{label}}{{#flag}} !{{/flag}}
              {{>item}}
            </li>
            {{/rows}}
            </ol>
            {{/content}}
            {{/layout}}
            """,
        "indented": "<ul>\n  {{>list}}\n</ul>\n",
        "list": "{{#rows}}<li>{{label}}</li>\n{{/rows}}",
    ]

    static func library() throws -> TemplateLibrary {
        var library = TemplateLibrary()
        for (name, text) in templates { library.register(try Template(text), named: name) }
        return library
    }

    static func page(_ labels: [String]) -> TemplateValue {
        .object([
            "title": .text("T&C"),
            "rows": .list(labels.enumerated().map { index, label in
                .object(["label": .text(label), "n": .text(String(index)), "flag": .flag(label.count % 2 == 0)])
            }),
        ])
    }

    @Test func unchangedElementsAreTakenAndTheRestRendered() throws {
        let library = try Self.library()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let count = Int.random(in: 0...12, using: &generator)
            let before = (0..<count).map { _ in String(repeating: "x<", count: Int.random(in: 0...3, using: &generator)) }
            var after = before
            for index in after.indices where Bool.random(using: &generator) {
                after[index] = String(repeating: "y\n", count: Int.random(in: 0...4, using: &generator))
            }
            let last = library.render("page", Self.page(before), list: ListReuse(name: "rows", previous: [], layout: ListLayout(), unchanged: { _ in false }))
            let fresh = library.render("page", Self.page(after), list: ListReuse(name: "rows", previous: [], layout: ListLayout(), unchanged: { _ in false }))
            let unchanged = zip(before, after).map { $0 == $1 }
            let reused = library.render("page", Self.page(after), list: ListReuse(name: "rows", previous: last.bytes, layout: try #require(last.layout),
                                                                                    unchanged: { unchanged[$0] }))
            #expect(reused.bytes == fresh.bytes, "\(before) → \(after)")
            #expect(reused.layout == fresh.layout)
            #expect(fresh.bytes == library.render("page", Self.page(after)))
            // Two sections over the list: each element's bounds twice.
            #expect(fresh.layout?.bounds.count == 4 * count)
        }
    }

    /// An element the caller says is unchanged is taken as the last render made it: what
    /// shows that the bytes are taken, not made again.
    @Test func anElementSaidUnchangedIsTakenAsItWas() throws {
        let library = try Self.library()
        let last = library.render("page", Self.page(["a", "b"]), list: ListReuse(name: "rows", previous: [], layout: ListLayout(), unchanged: { _ in false }))
        let taken = library.render("page", Self.page(["a", "c"]), list: ListReuse(name: "rows", previous: last.bytes, layout: try #require(last.layout),
                                                                                  unchanged: { _ in true }))
        #expect(taken.bytes == last.bytes)
    }

    /// Stand-ins in the place of the unchanged elements make the page while every one of them
    /// is taken; a render that could not take one (bounds that do not fit, the list shown
    /// indented or inside another section) says so.
    @Test func standInsAreTakenOrTheRenderSaysSo() throws {
        var library = try Self.library()
        library.register(try Template("{{#title}}{{#rows}}<{{label}}>{{/rows}}{{/title}}"), named: "nested")
        let labels = ["a", "bb", "c"], changed = ["a", "x", "c"]
        let last = library.render("page", Self.page(labels), list: ListReuse(name: "rows", previous: [], layout: ListLayout(), unchanged: { _ in false }))
        let unchanged = [true, false, true]
        guard case .object(var standIns) = Self.page(changed), case .list(var rows)? = standIns["rows"] else { Issue.record(); return }
        for index in rows.indices where unchanged[index] { rows[index] = .flag(true) }
        standIns["rows"] = .list(rows)
        let taken = library.render("page", .object(standIns), list: ListReuse(name: "rows", previous: last.bytes, layout: try #require(last.layout),
                                                                              unchanged: { unchanged[$0] }))
        #expect(taken.tookEveryUnchanged)
        #expect(taken.bytes == library.render("page", Self.page(changed)))
        let misfit = library.render("page", .object(standIns), list: ListReuse(name: "rows", previous: last.bytes, layout: ListLayout(bounds: [0, 1 << 30]),
                                                                               unchanged: { unchanged[$0] }))
        #expect(!misfit.tookEveryUnchanged)
        for template in ["indented", "nested"] {
            let made = library.render(template, .object(standIns), list: ListReuse(name: "rows", previous: [], layout: ListLayout(), unchanged: { unchanged[$0] }))
            #expect(!made.tookEveryUnchanged, "\(template)")
            let nothingSaid = library.render(template, Self.page(changed), list: ListReuse(name: "rows", previous: [], layout: ListLayout(), unchanged: { _ in false }))
            #expect(nothingSaid.bytes == library.render(template, Self.page(changed)), "\(template)")
        }
    }

    /// Bounds that do not fit the last output (past its end, backwards, negative), a layout
    /// too short, or a list rendered indented (which records no layout): the elements are
    /// rendered.
    @Test func whatCannotBeTakenIsRendered() throws {
        let library = try Self.library()
        let labels = ["a", "bb", "c"]
        let expected = library.render("page", Self.page(labels))
        for bounds in [[0, 1_000_000, 5, 2, -4, 2], [3, 1], [8, 11], [], [Int.min, Int.max]] {
            let reused = library.render("page", Self.page(labels), list: ListReuse(name: "rows", previous: Array("0123456789".utf8),
                                                                                    layout: ListLayout(bounds: bounds), unchanged: { _ in true }))
            #expect(reused.bytes == expected, "\(bounds)")
        }
        let indented = library.render("indented", Self.page(labels), list: ListReuse(name: "rows", previous: [], layout: ListLayout(), unchanged: { _ in true }))
        #expect(indented.layout == nil)
        #expect(String(decoding: indented.bytes, as: UTF8.self) == "<ul>\n  <li>a</li>\n  <li>bb</li>\n  <li>c</li>\n</ul>\n")
    }
}
