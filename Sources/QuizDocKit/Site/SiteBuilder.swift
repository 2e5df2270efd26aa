import Foundation
import MustacheEngine

/// The site stage: rendered questions + the theme's templates → the files of `docs-out/site/`, with paths
/// relative to the site root. A phase's pages are made while the phase renders
/// (`phasePages`); the pages that list every phase come at the end (`coursePages`).
struct SiteBuilder: Sendable {
    let languages: [Language]
    let theme: Theme
    /// An absolute URL ending in `/`, or nil. With it, a `sitemap.xml` is written and the
    /// 404 page links absolutely (it is served at any depth).
    let baseURL: String?
    let paths: SitePaths

    init(languages: [Language], theme: Theme, baseURL: String?) {
        self.languages = languages
        self.theme = theme
        self.baseURL = baseURL
        self.paths = SitePaths(languages: languages)
    }

    /// What other pages need to know about a phase: enough to link to it and list it.
    struct PhaseSummary: Sendable, Hashable {
        var baseName: String
        var phase: Int
        var sourcePath: String
        var questionCount: Int
        /// The title's inline HTML per language code.
        var titles: [String: String]
        /// `id@fingerprint` of each question, space-separated: the keys of a learner's saved
        /// results, which the home page counts.
        var progressKeys: String
        /// Where the keys of its choice questions lie, for the course-wide lint.
        var keyLayout: [KeyPlacement] = []
        /// Texts to review (outdated or missing translations) per language code.
        var pendingTranslations: [String: Int] = [:]

        /// What a neighbour's pages show of it.
        var link: PhaseLink { PhaseLink(baseName: baseName, phase: phase, titles: titles) }
    }

    /// What a phase's neighbours link to: its page and its title.
    struct PhaseLink: Sendable, Hashable {
        var baseName: String
        var phase: Int
        var titles: [String: String]
    }

    /// One phase, rendered: its questions' HTML per language code.
    struct RenderedPhase: Sendable {
        var summary: PhaseSummary
        var questions: [String: [QuestionHTML]]
    }

    // MARK: - Pages

    /// The phase's page in every language, linked to its neighbours in the course.
    func phasePages(_ phase: RenderedPhase, previous: PhaseSummary?, next: PhaseSummary?) -> [OutputFile] {
        languages.map { language in
            let path = paths.phase(phase.summary.baseName, language)
            let heading = language.text(.phaseHeading, ["phase": String(phase.summary.phase)])
            func neighbour(_ other: PhaseSummary?, _ key: UIString) -> TemplateValue? {
                guard let other else { return nil }
                return .object(["href": .text(SitePaths.link(from: path, to: paths.phase(other.baseName, language))),
                                "label": .text(language.text(key)),
                                "titleHTML": .text(other.titles[language.code] ?? "")])
            }
            let questions: [TemplateValue] = (phase.questions[language.code] ?? []).map { question in
                .object([
                    "id": .text(question.id), "kind": .text(question.kind.rawValue),
                    "key": .text(question.correct.map(String.init).joined(separator: ",")),
                    "fingerprint": .text(question.fingerprint),
                    "titleHTML": .text(question.title), "promptHTML": .text(question.prompt),
                    "howToAnswer": .text(question.howToAnswer),
                    "choices": .list(question.choices.map { .text($0) }), "hasChoices": .flag(!question.choices.isEmpty),
                    "hasExpected": .flag(!question.expected.isEmpty),
                    "answerHTML": .text(question.answer), "expectedHTML": .text(question.expected),
                    "answerTo": .text(language.text(.answerTo, ["id": question.id])),
                    "permalinkLabel": .text("\(language.text(.permalink)): \(question.id)"),
                    "outdatedNote": question.outdatedNote.map { .text($0) } ?? .flag(false),
                ])
            }
            let title = phase.summary.titles[language.code] ?? ""
            var context: [String: TemplateValue] = [
                "pageTitle": .text("\(heading): \(plainText(title)) · \(language.text(.siteTitle))"),
                "heading": .text(heading),
                "phaseTitleHTML": .text(title),
                "sourceHTML": .text(Markdown.render(language.text(.sourceOfTruth, ["source": phase.summary.sourcePath])).html),
                "questions": .list(questions),
                "answerLabel": .text(language.text(.answer)),
                "phaseName": .text(phase.summary.baseName),
                "practice": practiceStrings(language),
            ]
            context["previous"] = neighbour(previous, .previousPhase)
            context["next"] = neighbour(next, .nextPhase)
            return page(context, at: path, template: "phase", language: language,
                        alternates: { paths.phase(phase.summary.baseName, $0) })
        }
    }

    /// The pages that list every phase (homes, sitemap), the 404 page and the assets. The
    /// search index is assembled by the pipeline, which knows which shards it can reuse.
    func coursePages(_ phases: [PhaseSummary]) -> [OutputFile] {
        var files: [OutputFile] = []
        for language in languages {
            files.append(page(home(language, phases), at: paths.home(language), template: "index", language: language,
                              alternates: { paths.home($0) }))
        }
        let primary = languages[0]
        files.append(page(notFound(primary), at: "404.html", template: "404", language: primary, alternates: nil))
        for asset in theme.assets {
            files.append(OutputFile(path: "assets/\(asset.path)", contents: asset.contents))
        }
        if let baseURL {
            files.append(OutputFile(path: "sitemap.xml", text: sitemap(phases, baseURL: baseURL)))
        }
        return files
    }

    /// The words of the practice script (`site.js`), in the page's language, as data
    /// attributes: the page stays a page without the script.
    private func practiceStrings(_ language: Language) -> TemplateValue {
        let keys: [(String, UIString)] = [
            ("check", .check), ("choose-first", .chooseFirst), ("show-answer", .showAnswer), ("got-it", .gotIt),
            ("missed-it", .missedIt), ("your-answer", .yourAnswer), ("correct", .resultCorrect),
            ("incorrect", .resultIncorrect), ("revealed", .resultRevealed), ("self-correct", .resultSelfCorrect),
            ("self-incorrect", .resultSelfIncorrect), ("keywords-found", .keywordsFound), ("score", .score),
            ("reset-phase", .resetPhase), ("reset-all", .resetAll), ("unsaved", .progressUnsaved),
            ("link-copied", .linkCopied), ("correct-choice", .correctChoice), ("wrong-choice", .wrongChoice),
        ]
        return .list(keys.map { .object(["name": .text($0.0), "value": .text(language.text($0.1))]) })
    }

    /// "3 texts to review" beside a phase whose translation is not complete; nothing at 100 %.
    private func review(_ count: Int, _ language: Language) -> TemplateValue {
        switch count {
        case 0: .flag(false)
        case 1: .text(language.text(.toReviewOne))
        default: .text(language.text(.toReview, ["count": String(count)]))
        }
    }

    private func home(_ language: Language, _ phases: [PhaseSummary]) -> [String: TemplateValue] {
        let path = paths.home(language)
        let items: [TemplateValue] = phases.map { phase in
            // "Phase {phase}: {title}", with the title's HTML kept and the rest escaped.
            let marker = "\u{1}"
            let parts = language.text(.phaseLink, ["phase": String(phase.phase), "title": marker])
                .components(separatedBy: marker).map(HTML.escape)
            let count = phase.questionCount
            return .object([
                "href": .text(SitePaths.link(from: path, to: paths.phase(phase.baseName, language))),
                "linkHTML": .text(parts.joined(separator: phase.titles[language.code] ?? "")),
                "count": .text(count == 1 ? language.text(.questionCountOne) : language.text(.questionCount, ["count": String(count)])),
                "phaseName": .text(phase.baseName),
                "progressKeys": .text(phase.progressKeys),
                "review": review(phase.pendingTranslations[language.code] ?? 0, language),
            ])
        }
        return [
            "pageTitle": .text(language.text(.siteTitle)),
            "heading": .text(language.text(.siteTitle)),
            "intro": .text(language.text(.siteIntro)),
            "phases": .list(items),
            "searchLabel": .text(language.text(.searchLabel)),
            "searchPlaceholder": .text(language.text(.searchPlaceholder)),
            "searchNoResults": .text(language.text(.searchNoResults)),
            "practice": practiceStrings(language),
            "searchIndex": .text((0..<SearchIndex.shardCount(phases: phases.count))
                .map { SitePaths.link(from: path, to: SearchIndex.shardPath(language, $0)) }.joined(separator: " ")),
        ]
    }

    private func notFound(_ language: Language) -> [String: TemplateValue] {
        ["pageTitle": .text(language.text(.notFoundTitle)), "heading": .text(language.text(.notFoundTitle)),
         "text": .text(language.text(.notFoundText))]
    }

    /// Adds what every page shares (language, switcher, links to the site root and assets),
    /// then renders the page's template inside the layout.
    private func page(_ context: [String: TemplateValue], at path: String, template: String, language: Language,
                      alternates: ((Language) -> String)?) -> OutputFile {
        var context = context
        let absolute = template == "404" ? baseURL : nil
        context["lang"] = .text(language.code)
        context["root"] = .text(absolute ?? SitePaths.link(from: path, to: ""))
        context["home"] = .text(absolute.map { $0 + paths.home(language) } ?? SitePaths.link(from: path, to: paths.home(language)))
        context["homeLabel"] = .text(language.text(.home))
        context["siteTitle"] = .text(language.text(.siteTitle))
        context["skipLabel"] = .text(language.text(.skipToContent))
        context["languageLabel"] = .text(language.text(.languageSwitcher))
        if let alternates {
            context["hasAlternates"] = .flag(true)
            context["alternates"] = .list(languages.enumerated().map { index, other in
                .object(["code": .text(other.code), "name": .text(other.text(.languageName)),
                         "href": .text(SitePaths.link(from: path, to: alternates(other))),
                         "current": .flag(other == language), "first": .flag(index == 0)])
            })
        }
        return OutputFile(path: path, contents: theme.fill(template, context))
    }

    // MARK: - Sitemap

    private func sitemap(_ phases: [PhaseSummary], baseURL: String) -> String {
        var pages: [(Language) -> String] = [{ paths.home($0) }]
        for phase in phases {
            pages.append { paths.phase(phase.baseName, $0) }
        }
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">

        """
        for page in pages {
            for language in languages {
                xml += "  <url>\n    <loc>\(HTML.escape(baseURL + page(language)))</loc>\n"
                for other in languages {
                    xml += "    <xhtml:link rel=\"alternate\" hreflang=\"\(other.code)\" href=\"\(HTML.escape(baseURL + page(other)))\"/>\n"
                }
                xml += "  </url>\n"
            }
        }
        return xml + "</urlset>\n"
    }
}
