import Foundation
import Testing
@testable import QuizDocKit

/// `quizdoc.yaml`: the course's title and description, its URLs and its languages.
@Suite struct CourseSettingsTests {
    static let settings = """
        title: {en: Inference engineering, es: Ingeniería de inferencia}
        description:
          en: Check what you learnt, phase by phase.
          es: Comprueba lo aprendido, fase a fase.
        base_url: https://example.org/course
        edit_url: https://github.com/acme/course/edit/main/

        """

    @Test func titleDescriptionAndURLsReachThePages() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz(), CourseSettings.path: Self.settings])
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        let home = try #require(project.read("docs-out/site/es/index.html"))
        #expect(home.contains("<h1>Ingeniería de inferencia</h1>") && home.contains("Comprueba lo aprendido, fase a fase."))
        #expect(home.contains("<meta name=\"description\" content=\"Comprueba lo aprendido, fase a fase.\">"))
        let page = try #require(project.read("docs-out/site/quizzes/phase-07-testing.html"))
        #expect(page.contains("<a class=\"brand\" href=\"../index.html\" data-site-path=\"index.html\">Inference engineering</a>"))
        #expect(page.contains("<a href=\"https://github.com/acme/course/edit/main/data/quizzes/phase-07-testing.yaml\" rel=\"nofollow\">Edit this phase</a>"))
        // base_url: a sitemap, and a 404 page whose links are absolute.
        #expect(project.read("docs-out/site/sitemap.xml")?.contains("<loc>https://example.org/course/index.html</loc>") == true)
        #expect(project.read("docs-out/site/404.html")?.contains("href=\"https://example.org/course/es/index.html\"") == true)

        // A flag overrides the file.
        #expect(try runQuizdoc(["build", "--base-url", "https://other.example/"], in: project.root).status == 0)
        #expect(project.read("docs-out/site/sitemap.xml")?.contains("<loc>https://other.example/index.html</loc>") == true)
    }

    @Test func withoutTheFileThePagesAreAsBefore() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz()])
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/site/index.html")?.contains("<h1>Course quizzes</h1>") == true)
        #expect(project.read("docs-out/site/quizzes/phase-07-testing.html")?.contains("site-footer") == false)
        #expect(project.read("docs-out/site/sitemap.xml") == nil)
    }

    @Test func languagesOrderTheSwitcher() throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz(), CourseSettings.path: "languages: [en, es]\n"])
        defer { project.remove() }
        #expect(try runQuizdoc(["build"], in: project.root).status == 0)
        #expect(project.read("docs-out/site/es/quizzes/phase-07-testing.html")?.contains("class=\"languages\"") == true)
    }

    @Test(arguments: [
        ("titel: {en: x}\n", "quizdoc.yaml:1:1: error: unknown key 'titel' in quizdoc.yaml; did you mean 'title'?"),
        ("title: Course\n", "quizdoc.yaml:1:8: error: 'title' must be a mapping of language codes to texts"),
        ("title: {en: \"# Heading\"}\n", "quizdoc.yaml:1:13: error: 'title' in 'en': a UI string is one line of text"),
        ("base_url: example.org\n", "quizdoc.yaml:1:11: error: 'base_url' must be an absolute http(s) URL"),
        ("edit_url: ftp://example.org/\n", "quizdoc.yaml:1:11: error: 'edit_url' must be an absolute http(s) URL"),
        ("languages: [es, en]\n", "quizdoc.yaml:1:13: error: 'languages' must start with 'en'"),
        ("languages: [en, en]\n", "quizdoc.yaml:1:17: error: 'languages' lists 'en' twice"),
        ("languages: [en, es, fr]\n", "quizdoc.yaml:1:21: error: 'languages' lists 'fr', but templates/strings/fr.yaml does not exist"),
        ("languages: [en]\n", "quizdoc.yaml:1:12: error: 'languages' does not list 'es', which templates/strings/es.yaml defines"),
        ("title: {en: A, fr: B}\n", "quizdoc.yaml:1:16: error: 'title' has a text in 'fr', which is not one of the course's languages (en, es)"),
        ("", "quizdoc.yaml:1:1: error: quizdoc.yaml is empty"),
    ])
    func mistakesAreLocatedAndWriteNothing(_ settings: String, _ expected: String) throws {
        let project = try TestProject(files: ["data/quizzes/phase-07-testing.yaml": validQuiz(), CourseSettings.path: settings])
        defer { project.remove() }
        let result = try runQuizdoc(["build"], in: project.root)
        #expect(result.status == 1)
        #expect(result.stderr.split(separator: "\n").contains { $0.hasPrefix(expected) }, "\(result.stderr)")
        #expect(project.snapshot("docs-out").keys.filter { !$0.hasPrefix(".") }.isEmpty)
    }
}
