import Foundation

/// The search index of one language, as a script (`assets/search-<code>.js`) rather than JSON,
/// because a page opened from `file://` may load a script but not fetch a file. Its URLs are
/// relative to the language's home page, where the search box is.
enum SearchIndex {
    struct Entry: Encodable {
        var id: String
        var phase: String
        var title: String
        var text: String
        var url: String
    }

    static func script(_ phases: [SiteBuilder.RenderedPhase], language: Language, paths: SitePaths) -> String {
        var entries: [Entry] = []
        for phase in phases {
            for question in phase.questions[language.code] ?? [] {
                entries.append(Entry(id: question.id,
                                     phase: language.text(.phaseHeading, ["phase": String(phase.quiz.phase)]),
                                     title: plainText(question.title),
                                     text: plainText(question.body).split(whereSeparator: \.isWhitespace).joined(separator: " "),
                                     url: SitePaths.link(from: paths.home(language), to: paths.phase(phase.quiz, language)) + "#" + question.id))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(entries)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        // "</" can never close a script element, even if this file is ever inlined.
        let safe = json.replacingOccurrences(of: "</", with: "<\\/")
        return "window.QUIZDOC_SEARCH = \(safe);\n"
    }
}
