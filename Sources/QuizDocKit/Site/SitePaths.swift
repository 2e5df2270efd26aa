/// Where each page of the site lives, and relative links between pages, so the same folder
/// works on any host, under any sub-path and from `file://`.
///
/// English pages sit at the root (`index.html`, `quizzes/phase-26-quantization.html`); each
/// other language has the same tree under its code (`es/index.html`, …).
struct SitePaths {
    let languages: [Language]

    func prefix(_ language: Language) -> String {
        language.isPrimary ? "" : "\(language.code)/"
    }

    func home(_ language: Language) -> String {
        prefix(language) + "index.html"
    }

    func phase(_ quiz: Quiz, _ language: Language) -> String {
        prefix(language) + "quizzes/\(quiz.baseName).html"
    }

    /// The link from the page at `from` to the page at `to`, both relative to the site root.
    static func link(from: String, to: String) -> String {
        let depth = from.split(separator: "/").count - 1
        return String(repeating: "../", count: depth) + to
    }
}
