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

    func phase(_ baseName: String, _ language: Language) -> String {
        prefix(language) + "quizzes/\(baseName).html"
    }

    /// The relative link from the page at `from` to the file at `to`, both relative to the
    /// site root: `quizzes/a.html` → `quizzes/b.html` is `b.html`, → `index.html` is `../index.html`.
    /// Over the paths' UTF-8 (split into `Character`s, one link cost as much as rendering a
    /// question, and a page has a dozen).
    static func link(from: String, to: String) -> String {
        let slash = UInt8(ascii: "/")
        let fromFolders = from.utf8.split(separator: slash).dropLast()
        let toParts = to.isEmpty ? [] : to.utf8.split(separator: slash, omittingEmptySubsequences: false)
        var shared = 0
        while shared < fromFolders.count, shared < toParts.count - 1,
              fromFolders[fromFolders.startIndex + shared].elementsEqual(toParts[shared]) {
            shared += 1
        }
        let up = String(repeating: "../", count: fromFolders.count - shared)
        // The parts from `shared` on, joined by "/" again: the rest of `to` from that part's start.
        guard shared < toParts.count else { return up }
        return up + String(Substring(to.utf8[toParts[shared].startIndex...]))
    }
}
