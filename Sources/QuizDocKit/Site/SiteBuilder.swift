import Foundation

/// The site stage: rendered questions + templates → every file of `docs-out/site/`, in memory,
/// with paths relative to the site root.
struct SiteBuilder {
    let languages: [Language]
    let templates: Templates
    /// An absolute URL ending in `/`, or nil. With it, a `sitemap.xml` is written and the
    /// 404 page links absolutely (it is served at any depth).
    let baseURL: String?
    let paths: SitePaths

    init(languages: [Language], templates: Templates, baseURL: String?) {
        self.languages = languages
        self.templates = templates
        self.baseURL = baseURL
        self.paths = SitePaths(languages: languages)
    }

    /// One phase, rendered: its quiz and its questions' HTML per language code.
    struct RenderedPhase: Sendable {
        var quiz: Quiz
        var questions: [String: [QuestionHTML]]
        var titles: [String: String]
    }

    func build(_ phases: [RenderedPhase]) -> [OutputFile] {
        var files: [OutputFile] = []
        for language in languages {
            files.append(page(home(language, phases), at: paths.home(language), template: "index", language: language,
                              alternates: { paths.home($0) }))
            for (index, phase) in phases.enumerated() {
                let path = paths.phase(phase.quiz, language)
                let context = phasePage(phase, at: path, language: language,
                                        previous: index > 0 ? phases[index - 1] : nil,
                                        next: index + 1 < phases.count ? phases[index + 1] : nil)
                files.append(page(context, at: path, template: "phase", language: language,
                                  alternates: { paths.phase(phase.quiz, $0) }))
            }
            files.append(OutputFile(path: "assets/search-\(language.code).js", text: SearchIndex.script(phases, language: language, paths: paths)))
        }
        let primary = languages[0]
        files.append(page(notFound(primary), at: "404.html", template: "404", language: primary, alternates: nil))
        for asset in templates.assets {
            files.append(OutputFile(path: "assets/\(asset.path)", contents: asset.contents))
        }
        if let baseURL {
            files.append(OutputFile(path: "sitemap.xml", text: sitemap(phases, baseURL: baseURL)))
        }
        return files.sorted { $0.path < $1.path }
    }

    // MARK: - Pages

    private func home(_ language: Language, _ phases: [RenderedPhase]) -> [String: Any] {
        let path = paths.home(language)
        let items: [[String: Any]] = phases.map { phase in
            let count = phase.quiz.questions.count
            // "Phase {phase}: {title}", with the title's HTML kept and the rest escaped.
            let marker = "\u{1}"
            let parts = language.text(.phaseLink, ["phase": String(phase.quiz.phase), "title": marker])
                .components(separatedBy: marker).map(HTMLRenderer.escape)
            return [
                "href": SitePaths.link(from: path, to: paths.phase(phase.quiz, language)),
                "linkHTML": parts.joined(separator: phase.titles[language.code] ?? ""),
                "count": count == 1 ? language.text(.questionCountOne) : language.text(.questionCount, ["count": String(count)]),
            ]
        }
        return [
            "pageTitle": language.text(.siteTitle),
            "heading": language.text(.siteTitle),
            "intro": language.text(.siteIntro),
            "phases": items,
            "searchLabel": language.text(.searchLabel),
            "searchPlaceholder": language.text(.searchPlaceholder),
            "searchNoResults": language.text(.searchNoResults),
            "searchIndex": SitePaths.link(from: path, to: "assets/search-\(language.code).js"),
        ]
    }

    private func phasePage(_ phase: RenderedPhase, at path: String, language: Language,
                           previous: RenderedPhase?, next: RenderedPhase?) -> [String: Any] {
        let heading = language.text(.phaseHeading, ["phase": String(phase.quiz.phase)])
        func neighbour(_ other: RenderedPhase?, _ key: UIString) -> [String: Any]? {
            guard let other else { return nil }
            return ["href": SitePaths.link(from: path, to: paths.phase(other.quiz, language)),
                    "label": language.text(key),
                    "titleHTML": other.titles[language.code] ?? ""]
        }
        let questions: [[String: Any]] = (phase.questions[language.code] ?? []).map {
            ["id": $0.id, "titleHTML": $0.title, "bodyHTML": $0.body, "answerHTML": $0.answer]
        }
        var context: [String: Any] = [
            "pageTitle": "\(heading): \(plainText(phase.titles[language.code] ?? "")) · \(language.text(.siteTitle))",
            "heading": heading,
            "phaseTitleHTML": phase.titles[language.code] ?? "",
            "sourceHTML": Markdown.render(language.text(.sourceOfTruth, ["source": phase.quiz.sourcePath])).html,
            "questions": questions,
            "answerLabel": language.text(.answer),
            "permalinkLabel": language.text(.permalink),
        ]
        context["previous"] = neighbour(previous, .previousPhase)
        context["next"] = neighbour(next, .nextPhase)
        return context
    }

    private func notFound(_ language: Language) -> [String: Any] {
        ["pageTitle": language.text(.notFoundTitle), "heading": language.text(.notFoundTitle), "text": language.text(.notFoundText)]
    }

    /// Adds what every page shares (language, switcher, links to the site root and assets),
    /// then renders the page's template inside the layout.
    private func page(_ context: [String: Any], at path: String, template: String, language: Language,
                      alternates: ((Language) -> String)?) -> OutputFile {
        var context = context
        let root: String
        if template == "404", let baseURL {
            root = baseURL
        } else {
            root = SitePaths.link(from: path, to: "")
        }
        context["lang"] = language.code
        context["root"] = root
        context["home"] = template == "404" && baseURL != nil ? root + paths.home(language) : SitePaths.link(from: path, to: paths.home(language))
        context["homeLabel"] = language.text(.home)
        context["siteTitle"] = language.text(.siteTitle)
        context["skipLabel"] = language.text(.skipToContent)
        context["languageLabel"] = language.text(.languageSwitcher)
        if let alternates {
            context["hasAlternates"] = true
            context["alternates"] = languages.enumerated().map { index, other -> [String: Any] in
                let target = alternates(other)
                return ["code": other.code, "name": other.text(.languageName),
                        "href": SitePaths.link(from: path, to: target), "current": other == language, "first": index == 0]
            }
        }
        return OutputFile(path: path, text: templates.render(template, context))
    }

    // MARK: - Sitemap

    private func sitemap(_ phases: [RenderedPhase], baseURL: String) -> String {
        var pages: [(Language) -> String] = [{ paths.home($0) }]
        for phase in phases {
            pages.append { paths.phase(phase.quiz, $0) }
        }
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">

        """
        for page in pages {
            for language in languages {
                xml += "  <url>\n    <loc>\(HTMLRenderer.escape(baseURL + page(language)))</loc>\n"
                for other in languages {
                    xml += "    <xhtml:link rel=\"alternate\" hreflang=\"\(other.code)\" href=\"\(HTMLRenderer.escape(baseURL + page(other)))\"/>\n"
                }
                xml += "  </url>\n"
            }
        }
        return xml + "</urlset>\n"
    }
}

/// The text of an HTML fragment, for `<title>` and the search index.
func plainText(_ html: String) -> String {
    var result = ""
    var inTag = false
    for character in html {
        if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { result.append(character) }
    }
    return result.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&amp;", with: "&")
}
