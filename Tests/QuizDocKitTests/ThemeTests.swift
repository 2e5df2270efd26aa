import Foundation
import Testing
@testable import QuizDocKit

/// The site's theme as a build reads it: template errors located in their file, any other
/// template of the folder usable as a partial.
@Suite struct ThemeTests {
    @Test func aBrokenSiteTemplateFailsTheBuildAtItsPlace() async throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        try "{{<layout}}\n{{$content}}\n{{#questions}}\n{{/content}}\n{{/layout}}\n"
            .write(to: project.root.appendingPathComponent("templates/site/phase.mustache"), atomically: true, encoding: .utf8)
        let generation = await Pipeline.generate(root: project.root, options: BuildOptions())
        #expect(generation.failed)
        #expect(generation.diagnostics.map(\.description).contains {
            $0.hasPrefix("templates/site/phase.mustache:4:1: error: template syntax error: '{{/content}}' does not match the open 'questions' (line 3)")
        })
    }

    /// The 404 page inlines the theme's style sheet (no base URL to link it from): a "</"
    /// in the sheet cannot end the style element and start markup of its own.
    @Test func theInlinedStyleCannotEndItsElement() async throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        try project.write("templates/assets/style.css", "p { color: red } /* é </style><script>alert(1)</script> */\n")
        let generation = await Pipeline.generate(root: project.root, options: BuildOptions())
        #expect(!generation.failed, "\(generation.diagnostics)")
        let page = String(decoding: try #require(generation.site.first { $0.path == "404.html" }).contents, as: UTF8.self)
        #expect(page.contains("/* é <\\/style><script>alert(1)<\\/script> */"), "\(page)")
        #expect(!page.contains("</style><script>"))
    }

    @Test func anotherTemplateInTheFolderServesAsAPartial() async throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        let layout = "templates/site/layout.mustache"
        try project.write(layout, try #require(project.read(layout)).replacingOccurrences(of: "</main>\n", with: "</main>\n{{>footer}}\n"))
        var generation = await Pipeline.generate(root: project.root, options: BuildOptions())
        #expect(generation.diagnostics.map(\.description) == [
            "templates/site/layout.mustache:1:1: error: the template includes 'footer', which is not a template; create templates/site/footer.mustache",
        ])
        try project.write("templates/site/footer.mustache", "<footer>{{siteTitle}}</footer>\n")
        generation = await Pipeline.generate(root: project.root, options: BuildOptions())
        #expect(!generation.failed, "\(generation.diagnostics)")
        let page = try #require(generation.site.first { $0.path == "quizzes/phase-07-testing.html" })
        #expect(String(decoding: page.contents, as: UTF8.self).contains("</main>\n<footer>Course quizzes</footer>\n</div>"))
    }
}
