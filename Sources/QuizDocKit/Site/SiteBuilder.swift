import Foundation
import MustacheEngine
import TokenCodec

/// The site stage: rendered questions + the theme's templates → the files of `docs-out/site/`, with paths
/// relative to the site root. A phase's pages are made while the phase renders
/// (`phasePages`); the pages that list every phase come at the end (`homePage`, `sharedFiles`).
struct SiteBuilder: Sendable {
    let languages: [Language]
    let theme: Theme
    /// An absolute URL ending in `/`, or nil. With it, a `sitemap.xml` is written and the
    /// 404 page links absolutely (it is served at any depth).
    let baseURL: String?
    /// Prefix of the "Edit this phase" links (ending in `/`), or nil for none.
    let editURL: String?
    let paths: SitePaths
    /// The words of the practice script per language code (`practiceStrings`), made once:
    /// made for each page, they were half a percent of a prose course's full build.
    private let practice: [String: TemplateValue]

    init(languages: [Language], theme: Theme, baseURL: String?, editURL: String? = nil) {
        self.languages = languages
        self.theme = theme
        self.baseURL = baseURL
        self.editURL = editURL
        self.paths = SitePaths(languages: languages)
        practice = Dictionary(languages.map { ($0.code, Self.practiceStrings($0)) }, uniquingKeysWith: { first, _ in first })
    }

    /// A phase's link text in a language: the one made with its summary (in the parallel
    /// load, or remembered by the manifest), else made here.
    private func linkHTML(_ link: PhaseLink, _ language: Language) -> String {
        link.linkTexts[language.code] ?? Self.linkHTML(link, language)
    }

    static func linkHTML(_ link: PhaseLink, _ language: Language) -> String {
        html(language, .phaseLink, ["phase": String(link.phase)], inserting: link.titles[language.code] ?? "")
    }

    /// What other pages need to know about a phase: enough to link to it and list it.
    struct PhaseSummary: Sendable, Hashable {
        /// The fields, behind one reference that copies share: a summary goes from the load to
        /// the pages, the home pages, the search index and the manifest, and an edit copies
        /// each of 1,000 summaries several times (each copy of the fields themselves retained
        /// eight references, on two cores at once).
        private final class Fields: Sendable {
            let baseName: String
            let phase: Int
            let sourcePath: String
            let questionCount: Int
            let titles: ByLanguage<String>
            let progressKeys: String
            let keyLayout: KeyLayout
            let pendingTranslations: ByLanguage<Int>
            let linkTexts: ByLanguage<String>

            init(baseName: String, phase: Int, sourcePath: String, questionCount: Int, titles: ByLanguage<String>,
                 progressKeys: String, keyLayout: KeyLayout, pendingTranslations: ByLanguage<Int>, linkTexts: ByLanguage<String>) {
                (self.baseName, self.phase, self.sourcePath, self.questionCount) = (baseName, phase, sourcePath, questionCount)
                (self.titles, self.progressKeys, self.keyLayout) = (titles, progressKeys, keyLayout)
                (self.pendingTranslations, self.linkTexts) = (pendingTranslations, linkTexts)
            }
        }

        private let fields: Fields

        init(baseName: String, phase: Int, sourcePath: String, questionCount: Int, titles: ByLanguage<String>, progressKeys: String,
             keyLayout: KeyLayout = [], pendingTranslations: ByLanguage<Int> = [:], linkTexts: ByLanguage<String> = [:]) {
            fields = Fields(baseName: baseName, phase: phase, sourcePath: sourcePath, questionCount: questionCount, titles: titles,
                            progressKeys: progressKeys, keyLayout: keyLayout, pendingTranslations: pendingTranslations, linkTexts: linkTexts)
        }

        var baseName: String { fields.baseName }
        var phase: Int { fields.phase }
        var sourcePath: String { fields.sourcePath }
        var questionCount: Int { fields.questionCount }
        /// The title's inline HTML per language code.
        var titles: ByLanguage<String> { fields.titles }
        /// `id@fingerprint` of each question, space-separated: the keys of a learner's saved
        /// results, which the home page counts.
        var progressKeys: String { fields.progressKeys }
        /// Where the keys of its choice questions lie, for the course-wide lint.
        var keyLayout: KeyLayout { fields.keyLayout }
        /// Texts to review (outdated or missing translations) per language code.
        var pendingTranslations: ByLanguage<Int> { fields.pendingTranslations }
        /// Its link text per language code (`linkHTML`), made once with the summary: an edit
        /// then does not make 2,000 of them again (a UI string filled in for each).
        var linkTexts: ByLanguage<String> { fields.linkTexts }

        /// What a neighbour's pages show of it.
        var link: PhaseLink { PhaseLink(baseName: baseName, phase: phase, titles: titles, linkTexts: linkTexts) }

        static func == (a: PhaseSummary, b: PhaseSummary) -> Bool {
            a.fields === b.fields
                || (a.baseName, a.phase, a.sourcePath, a.questionCount, a.progressKeys) == (b.baseName, b.phase, b.sourcePath, b.questionCount, b.progressKeys)
                && (a.titles, a.keyLayout, a.pendingTranslations, a.linkTexts) == (b.titles, b.keyLayout, b.pendingTranslations, b.linkTexts)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(baseName)
            hasher.combine(phase)
            hasher.combine(sourcePath)
            hasher.combine(questionCount)
            hasher.combine(titles)
            hasher.combine(progressKeys)
            hasher.combine(keyLayout)
            hasher.combine(pendingTranslations)
            hasher.combine(linkTexts)
        }
    }

    /// What a phase's neighbours link to: its page and its title.
    struct PhaseLink: Sendable, Hashable {
        var baseName: String
        var phase: Int
        var titles: ByLanguage<String>
        /// Its link text per language code, when made already (`PhaseSummary.linkTexts`):
        /// a phase is listed in the sidebar of up to 25 pages and on the home pages.
        var linkTexts: ByLanguage<String> = [:]

        /// What the link adds to a navigation fingerprint: byte for byte what adding
        /// "\(baseName)\0\(phase)", then "\0\(code)\0\(title)" for each language in order, and
        /// "\u{1}" as texts (each with its 0 byte) adds.
        var fingerprintBytes: [UInt8] {
            // Room made once (a title in each language grew the array four or five times).
            var bytes: [UInt8] = []
            bytes.reserveCapacity(titles.entries.reduce(baseName.utf8.count + 24) { $0 + $1.code.utf8.count + $1.value.utf8.count + 3 })
            bytes += baseName.utf8
            bytes.append(0)
            bytes += String(phase).utf8
            bytes.append(0)
            for title in titles.entries {
                bytes.append(0)
                bytes += title.code.utf8
                bytes.append(0)
                bytes += title.value.utf8
                bytes.append(0)
            }
            bytes += [1, 0]
            return bytes
        }

        /// Those bytes through `Checksum`, eight bytes a step: what a navigation fingerprint
        /// adds for the link.
        var checksum: UInt64 { fingerprintBytes.withUnsafeBytes { Checksum.of($0) } }
    }

    /// The phases a phase's pages link to: the sidebar's window of phases around it (all of
    /// them in a small course), its neighbours among them, and how many phases there are.
    /// A page is made again when any of this changes.
    struct PhaseNavigation: Sendable, Hashable {
        /// A course this small lists every phase in the sidebar; a larger one lists this many
        /// around the page's phase, and links to the home page for the rest.
        static let fullList = 25
        static let window = 15

        var window: [PhaseLink]
        /// The place of the page's own phase in `window`.
        var current: Int
        var total: Int

        init(window: [PhaseLink], current: Int, total: Int) {
            self.window = window
            self.current = current
            self.total = total
        }

        /// The phases in the sidebar of the phase at `index`, of `count`.
        static func window(of index: Int, count: Int) -> Range<Int> {
            guard count > Self.fullList else { return 0..<count }
            let start = min(max(index - Self.window / 2, 0), count - Self.window)
            return start..<(start + Self.window)
        }

        /// What a page's links depend on, as one number (the manifest keeps only this).
        var fingerprint: Fingerprint {
            Self.fingerprint(current: current, total: total, links: window.map(\.checksum))
        }

        /// The same from each link's checksum (`PhaseLink.checksum`), which a build makes once
        /// per phase rather than for each of the 25 pages that list it (an edit fingerprints
        /// the 1,000 phases' links to know which pages it can take over).
        static func fingerprint(current: Int, total: Int, links: some Collection<UInt64>) -> Fingerprint {
            var hash = Fingerprint()
            func add(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { hash.add($0) } }
            add(UInt64(current))
            add(UInt64(total))
            add(UInt64(links.count))
            for checksum in links { add(checksum) }
            return hash
        }

        var previous: PhaseLink? { current > 0 ? window[current - 1] : nil }
        var next: PhaseLink? { current + 1 < window.count ? window[current + 1] : nil }
    }

    /// One phase, rendered: its questions' HTML per language code.
    struct RenderedPhase: Sendable {
        var summary: PhaseSummary
        var questions: [String: [QuestionHTML]]
    }

    // MARK: - Pages

    /// The phase's page in every language, linked to the phases around it.
    func phasePages(_ phase: RenderedPhase, navigation: PhaseNavigation) -> [OutputFile] {
        languages.map { language in
            let path = paths.phase(phase.summary.baseName, language)
            // What every question and link of the page shares, made once for the page.
            let phaseLink = paths.phaseLinks(from: path, language)
            let answerTo = language.filling(.answerTo, "id")
            let permalink = language.text(.permalink)
            func neighbour(_ other: PhaseLink?, _ key: UIString) -> TemplateValue? {
                guard let other else { return nil }
                return .object(TemplateObject(Self.neighbourNames, [.text(phaseLink(other.baseName)), .text(language.text(key)),
                                                                    .text(other.titles[language.code] ?? "")]))
            }
            let questions: [TemplateValue] = (phase.questions[language.code] ?? []).map { question in
                .object(TemplateObject(Self.questionNames, [
                    .text(question.id), .text(question.kind.rawValue), .text(question.correct.map(String.init).joined(separator: ",")),
                    .text(question.fingerprint), .text(question.title), .text(question.prompt), .text(question.howToAnswer),
                    .list(question.choices.map { .text($0) }), .flag(!question.choices.isEmpty), .flag(!question.expected.isEmpty),
                    .text(question.answer), .text(question.expected), .text(answerTo(question.id)),
                    .text("\(permalink): \(question.id)"), question.outdatedNote.map { .text($0) } ?? .flag(false),
                ]))
            }
            let title = phase.summary.titles[language.code] ?? ""
            let heading = Self.html(language, .pageHeading, ["phase": String(phase.summary.phase)], inserting: title)
            var context: TemplateObject = [
                "pageTitle": .text("\(plainText(heading)) · \(language.text(.siteTitle))"),
                "headingHTML": .text(heading),
                "pagerLabel": .text("\(language.text(.previousPhase)) · \(language.text(.nextPhase))"),
                "questions": .list(questions),
                "answerLabel": .text(language.text(.answer)),
                "onThisPage": .text(language.text(.onThisPage)),
                "backToTop": .text(language.text(.backToTop)),
                "printHandout": .text(language.text(.printHandout)),
                "printKey": .text(language.text(.printKey)),
                "phaseName": .text(phase.summary.baseName),
                "practice": practice[language.code] ?? Self.practiceStrings(language),
                "hasSidebar": .flag(true),
                "sidebar": .list(navigation.window.enumerated().map { offset, link in
                    .object(TemplateObject(Self.sidebarNames, [.text(phaseLink(link.baseName)), .text(linkHTML(link, language)),
                                                               .flag(offset == navigation.current)]))
                }),
            ]
            if navigation.window.count < navigation.total {
                context["allPhases"] = .text(language.text(.allPhases, ["count": String(navigation.total)]))
            }
            if let editURL {
                context["footer"] = .object(["editHref": .text(editURL + phase.summary.sourcePath), "editLabel": .text(language.text(.editPhase))])
            }
            context["previous"] = neighbour(navigation.previous, .previousPhase)
            context["next"] = neighbour(navigation.next, .nextPhase)
            return page(context, at: path, template: "phase", language: language,
                        alternates: { paths.phase(phase.summary.baseName, $0) }, capacity: 64 << 10)
        }
    }

    /// The names a phase of a home page has (`home`), in the order of its values.
    private static let homeItemNames = TemplateNames(["href", "linkHTML", "count", "phaseName", "progressKeys", "review"])

    /// The names of a phase page's sidebar item and of its previous and next phase (`phasePages`),
    /// in the order of their values: hashed once, not for each of these objects of each page.
    private static let sidebarNames = TemplateNames(["href", "linkHTML", "current"])
    private static let neighbourNames = TemplateNames(["href", "label", "titleHTML"])

    /// The names a question of a phase page has (`phasePages`), in the order of its values.
    private static let questionNames = TemplateNames([
        "id", "kind", "key", "fingerprint", "titleHTML", "promptHTML", "howToAnswer", "choices", "hasChoices", "hasExpected",
        "answerHTML", "expectedHTML", "answerTo", "permalinkLabel", "outdatedNote",
    ])

    /// A UI string in which one value (`{title}` unless named) is HTML, the rest of it
    /// escaped: "Phase {phase} · {title}" with a title's inline HTML.
    static func html(_ language: Language, _ key: UIString, _ values: [String: String] = [:], inserting html: String,
                     as name: String = "title") -> String {
        let marker = "\u{1}"
        var values = values
        values[name] = marker
        // Split on the marker's byte, not with Foundation's `components(separatedBy:)`.
        return language.text(key, values).utf8.split(separator: 0x01, omittingEmptySubsequences: false)
            .map { HTML.escape(String(Substring($0))) }.joined(separator: html)
    }

    // The pages that list every phase (homes, sitemap), the 404 page and the assets. The
    // search index is assembled by the pipeline, which knows which shards it can reuse.

    /// The name of the home page's list of phases (one item per phase, from its summary).
    static let phasesListName = "phases"

    /// A language's home page, which lists every phase; what it was filled from, a value of
    /// a dozen for each phase, which a build whose process ends with it leaves to the end
    /// (`BuildOptions.processEndsAfterward`: freed one at a time, the two home pages' were
    /// 1.5 % of the instructions of an edit that changes a question); and where its list of
    /// phases put each item. With `reusing`, the items it says are unchanged are taken from
    /// the page the last build made, and not made (a stand-in in their place): unless the
    /// theme shows the list where they cannot be taken, then the page is rendered again with
    /// every item.
    func homePage(_ phases: [PhaseSummary], language: Language,
                  reusing: ListReuse? = nil) -> (page: OutputFile, context: TemplateObject, layout: ListLayout?) {
        let list = reusing ?? ListReuse(name: Self.phasesListName, previous: [], layout: ListLayout()) { _ in false }
        func render(standIns: [Bool]?) -> (page: OutputFile, context: TemplateObject, layout: ListLayout?, tookEveryUnchanged: Bool) {
            let context = home(language, phases, standIns: standIns)
            // About 700 bytes a phase with the built-in theme's index.
            let made = page(context, at: paths.home(language), template: "index", language: language,
                            alternates: { paths.home($0) }, capacity: (64 << 10) + (phases.count << 10), list: list)
            return (made.page, context, made.layout, made.tookEveryUnchanged)
        }
        var made = render(standIns: reusing.map { reusing in phases.indices.map(reusing.unchanged) })
        if !made.tookEveryUnchanged { made = render(standIns: nil) }
        return (made.page, made.context, made.layout)
    }

    /// The files of the whole site besides the pages of each language: the 404 page, the
    /// assets and, with a base URL, the sitemap.
    ///
    /// The 404 page and the assets depend on the theme, the languages and the flags alone;
    /// one that `taken` takes over from the last build's site (made with all of these the
    /// same) is not made again.
    func sharedFiles(_ phases: [PhaseSummary], taken: (String) -> Bool = { _ in false }) -> [OutputFile] {
        var files: [OutputFile] = []
        if !taken("404.html") { files.append(notFoundPage()) }
        for asset in theme.assets where !taken("assets/\(asset.path)") {
            files.append(OutputFile(path: "assets/\(asset.path)", data: asset.contents))
        }
        if let baseURL {
            files.append(OutputFile(path: "sitemap.xml", text: sitemap(phases, baseURL: baseURL)))
        }
        return files
    }

    /// The words of the practice script (`site.js`), in the page's language, as data
    /// attributes: the page stays a page without the script.
    private static func practiceStrings(_ language: Language) -> TemplateValue {
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

    /// The home page's values; with `standIns`, a stand-in for each item it says (an item
    /// the render takes from the last page).
    private func home(_ language: Language, _ phases: [PhaseSummary], standIns: [Bool]?) -> TemplateObject {
        let link = paths.phaseLinks(from: paths.home(language), language)
        // "20 questions", made once for each count: most phases share one.
        var counts: [Int: String] = [:]
        var items: [TemplateValue] = []
        items.reserveCapacity(phases.count)
        // By index, each field read where it is: a loop over the summaries copied each whole
        // (a dozen references), 1,000 of them a language.
        for index in phases.indices {
            if let standIns, standIns[index] {
                items.append(.flag(true))
                continue
            }
            let count = phases[index].questionCount
            let countText = counts[count] ?? {
                let text = count == 1 ? language.text(.questionCountOne) : language.text(.questionCount, ["count": String(count)])
                counts[count] = text
                return text
            }()
            let name = phases[index].baseName
            items.append(.object(TemplateObject(Self.homeItemNames, [
                .text(link(name)), .text(linkHTML(phases[index].link, language)), .text(countText), .text(name),
                .text(phases[index].progressKeys), review(phases[index].pendingTranslations[language.code] ?? 0, language),
            ])))
        }
        return [
            "pageTitle": .text(language.text(.siteTitle)),
            "heading": .text(language.text(.siteTitle)),
            "intro": .text(language.text(.siteIntro)),
            "description": .text(language.text(.siteIntro)),
            Self.phasesListName: .list(items),
            "practice": practice[language.code] ?? Self.practiceStrings(language),
        ]
    }

    /// The 404 page, served for a missing page at any depth of the site: in every language,
    /// its links absolute with a base URL. Without one its style is inline, and a small
    /// script finds the site root (the nearest folder above that has `assets/site.js`),
    /// then points the links there and loads the site's script.
    private func notFoundPage() -> OutputFile {
        let primary = languages[0]
        var context: TemplateObject = [
            "pageTitle": .text(languages.map { $0.text(.notFoundTitle) }.joined(separator: " · ")),
            "notFound": .list(languages.enumerated().map { index, language in
                .object(["code": .text(language.code), "first": .flag(index == 0),
                         "title": .text(language.text(.notFoundTitle)), "text": .text(language.text(.notFoundText)),
                         "href": .text((baseURL ?? "") + paths.home(language)), "path": .text(paths.home(language)),
                         "homeLabel": .text(language.text(.home))])
            }),
        ]
        if baseURL == nil {
            let style = theme.assets.first { $0.path == "style.css" }?.contents ?? Data()
            // Every "</" made "<\/", so that the style cannot end its element: over the bytes
            // (Foundation's `replacingOccurrences` cost 2.4 M instructions for a 20 KB sheet).
            var inline: [UInt8] = []
            inline.reserveCapacity(style.count + 64)
            for byte in style {
                if byte == UInt8(ascii: "/"), inline.last == UInt8(ascii: "<") { inline.append(UInt8(ascii: "\\")) }
                inline.append(byte)
            }
            context["inlineStyle"] = .text(String(decoding: inline, as: UTF8.self))
            context["probeScript"] = .text(Self.rootProbe)
        }
        return page(context, at: "404.html", template: "404", language: primary, alternates: nil)
    }

    /// The 404 page's script when the site's URL is unknown (see `notFoundPage`).
    static let rootProbe = """
        (function () {
          var folders = location.pathname.split("/").slice(0, -1);
          function probe() {
            if (!folders.length) return;
            var root = folders.join("/") + "/";
            folders.pop();
            var script = document.createElement("script");
            script.src = root + "assets/site.js";
            script.onload = function () {
              if (!window.quizdocSiteRoot) { script.remove(); probe(); return; }
              var links = document.querySelectorAll("[data-site-path]");
              for (var i = 0; i < links.length; i++) {
                var target = root + links[i].getAttribute("data-site-path");
                if (links[i].tagName === "FORM") links[i].action = target; else links[i].href = target;
              }
              var style = document.createElement("link");
              style.rel = "stylesheet";
              style.href = root + "assets/style.css";
              document.head.appendChild(style);
            };
            script.onerror = function () { script.remove(); probe(); };
            document.head.appendChild(script);
          }
          probe();
        })();
        """

    /// Adds what every page shares (language, switcher, links to the site root and assets),
    /// then renders the page's template inside the layout.
    private func page(_ context: TemplateObject, at path: String, template: String, language: Language,
                      alternates: ((Language) -> String)?, capacity: Int = 0) -> OutputFile {
        page(context, at: path, template: template, language: language, alternates: alternates, capacity: capacity, list: nil).page
    }

    /// `page`, with the layout of `list` (`TemplateLibrary.render`).
    private func page(_ context: TemplateObject, at path: String, template: String, language: Language, alternates: ((Language) -> String)?,
                      capacity: Int = 0, list: ListReuse?) -> (page: OutputFile, layout: ListLayout?, tookEveryUnchanged: Bool) {
        var context = context
        let absolute = template == "404" ? baseURL : nil
        context["lang"] = .text(language.code)
        context["root"] = .text(absolute ?? SitePaths.link(from: path, to: ""))
        context["home"] = .text(absolute.map { $0 + paths.home(language) } ?? SitePaths.link(from: path, to: paths.home(language)))
        context["homeLabel"] = .text(language.text(.home))
        context["homePath"] = .text(paths.home(language))
        context["siteTitle"] = .text(language.text(.siteTitle))
        context["skipLabel"] = .text(language.text(.skipToContent))
        context["languageLabel"] = .text(language.text(.languageSwitcher))
        context["phasesLabel"] = .text(language.text(.phasesLabel))
        context["searchLabel"] = .text(language.text(.searchLabel))
        context["searchPlaceholder"] = .text(language.text(.searchPlaceholder))
        context["searchMore"] = .text(language.text(.searchMore))
        context["searchText"] = .list([("empty", UIString.searchNoResults), ("count", .searchCount), ("loading", .searchLoading),
                                       ("failed", .searchFailed)].map { name, key in
            .object(["name": .text(name), "value": .text(language.text(key))])
        })
        if let alternates {
            context["hasAlternates"] = .flag(true)
            context["alternates"] = .list(languages.enumerated().map { index, other in
                .object(["code": .text(other.code), "name": .text(other.text(.languageName)),
                         "href": .text(SitePaths.link(from: path, to: alternates(other))),
                         "current": .flag(other == language), "first": .flag(index == 0)])
            })
        }
        let made = theme.fill(template, context, capacity: capacity, list: list)
        return (OutputFile(path: path, contents: made.bytes), made.layout, made.tookEveryUnchanged)
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
