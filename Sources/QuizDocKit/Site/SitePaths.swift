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
        language.isPrimary ? String(joining: "quizzes/", baseName, ".html")
            : String(joining: language.code, "/quizzes/", baseName, ".html")
    }

    /// `link(from: from, to: phase(baseName, language))` for any phase: the link to the
    /// phases' folder made once (a home page links to a thousand phases).
    func phaseLinks(from: String, _ language: Language) -> (String) -> String {
        let folder = String(Self.link(from: from, to: prefix(language) + "quizzes/x").dropLast())
        return { String(joining: folder, $0, ".html") }
    }

    /// The relative link from the page at `from` to the file at `to`, both relative to the
    /// site root: `quizzes/a.html` → `quizzes/b.html` is `b.html`, → `index.html` is `../index.html`.
    /// Over the paths' contiguous UTF-8: split into `Character`s, one link cost as much as
    /// rendering a question, and a page has a dozen; `UTF8View.split`'s generic walk still
    /// cost 3,000 instructions a link.
    static func link(from: String, to: String) -> String {
        var from = from, to = to
        return from.withUTF8 { source in
            to.withUTF8 { target in
                // The folders `from` is in: its non-empty parts but the last.
                var folders = parts(of: source, keepingEmpty: false)
                if !folders.isEmpty { folders.removeLast() }
                let toParts = target.isEmpty ? [] : parts(of: target, keepingEmpty: true)
                var shared = 0
                while shared < folders.count, shared < toParts.count - 1,
                      source[folders[shared]].elementsEqual(target[toParts[shared]]) {
                    shared += 1
                }
                let up = String(repeating: "../", count: folders.count - shared)
                // The parts from `shared` on, joined by "/" again: the rest of `to` from that part's start.
                guard shared < toParts.count else { return up }
                return up + String(decoding: target[toParts[shared].lowerBound...], as: UTF8.self)
            }
        }
    }

    /// The byte ranges between the slashes of a path.
    private static func parts(of path: UnsafeBufferPointer<UInt8>, keepingEmpty: Bool) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = 0
        for index in 0...path.count where index == path.count || path[index] == UInt8(ascii: "/") {
            if keepingEmpty || index > start { parts.append(start..<index) }
            start = index + 1
        }
        return parts
    }
}

extension String {
    /// `parts` joined: their bytes copied into a string made at once. An edit makes some
    /// 5,000 paths of the phases it takes over, and interpolating each grew it two or three
    /// times, an append at a time. Inlined, so that the array of parts is made on the stack
    /// rather than allocated for each path.
    @inline(__always)
    init(joining parts: String...) {
        let count = parts.reduce(0) { $0 + $1.utf8.count }
        self.init(unsafeUninitializedCapacity: count) { buffer in
            var end = 0
            for var part in parts {
                part.withUTF8 { bytes in
                    guard let base = bytes.baseAddress else { return }
                    (buffer.baseAddress! + end).initialize(from: base, count: bytes.count)
                    end += bytes.count
                }
            }
            return end
        }
    }
}
