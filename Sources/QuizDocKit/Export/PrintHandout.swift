import Foundation
import MustacheEngine
import TokenCodec

/// Printable handouts and answer keys, per phase and language: `print/<phase>.<lang>.html`
/// (questions, choices with empty boxes, ruled space for free answers, no answer) and
/// `print/<phase>-key.<lang>.html` (each question's key and explanation). Light colours
/// always, `@page` margins that suit A4 and Letter, page numbers, and no question split
/// across pages when it fits on one. With a seed, the choices are shuffled, the same way in
/// the handout and its key; with `pdf`, headless Chromium prints both to PDF.
enum PrintHandout {
    static func files(_ course: ExportCourse, languages: [Language], shuffleSeed: UInt64?, pdf: Bool) throws -> [OutputFile] {
        var files: [OutputFile] = []
        for phase in course.phases {
            for language in languages {
                let items = (phase.items[language.code] ?? []).map { Shuffled($0, language: language, seed: shuffleSeed) }
                let base = "print/\(phase.quiz.baseName)"
                files.append(OutputFile(path: "\(base).\(language.code).html", text: page(phase, items, language: language, key: false, course: course)))
                files.append(OutputFile(path: "\(base)-key.\(language.code).html", text: page(phase, items, language: language, key: true, course: course)))
            }
        }
        if pdf {
            files += try PDFPrinter.print(files)
        }
        return files
    }

    /// A question with its choices in print order, and its answer's lead-in to match.
    struct Shuffled {
        var html: QuestionHTML
        /// Print order → the choice's number in the quiz (1-based).
        var order: [Int]
        /// The key's choice numbers in print order.
        var correct: [Int]

        init(_ item: ExportPhase.Item, language: Language, seed: UInt64?) {
            var html = item.html
            let original = Array(0..<html.choices.count).map { $0 + 1 }
            var order = original
            if let seed, order.count > 1 {
                var hash = Fingerprint()
                hash.add(html.id)
                var random = SplitMix(seed: seed ^ hash.value)
                for index in stride(from: order.count - 1, to: 0, by: -1) {
                    order.swapAt(index, Int(random.next() % UInt64(index + 1)))
                }
            }
            let key = html.correct
            let correct = order.enumerated().filter { key.contains($0.element) }.map { $0.offset + 1 }
            if let old = item.question.leadIn, order != original {
                let lead: UIString = correct.count == 1 ? .choiceLeadOne : .choiceLeadMany
                let new = language.text(lead, ["list": language.list(correct.map(String.init))])
                let answer = html.answer.replacingOccurrences(of: "<strong>\(HTML.escape(old))</strong>",
                                                              with: "<strong>\(HTML.escape(new))</strong>")
                html = html.with(answer: answer)
            }
            self.html = html
            self.order = order
            self.correct = correct
        }
    }

    private static func page(_ phase: ExportPhase, _ items: [Shuffled], language: Language, key: Bool, course: ExportCourse) -> String {
        let heading = SiteBuilder.html(language, .pageHeading, ["phase": String(phase.quiz.phase)], inserting: phase.title(language).html)
        let title = plainText(heading) + (key ? " — \(language.text(.answerKey))" : "")
        var html = """
        <!DOCTYPE html>
        <html lang="\(language.code)">
        <head>
        <meta charset="utf-8">
        <title>\(HTML.escape(title))</title>
        <style>\(style)</style>
        </head>
        <body class="\(key ? "key" : "handout")">
        <header>
        <p class="course">\(HTML.escape(course.siteTitle[language.code] ?? ""))</p>
        <h1>\(heading)\(key ? " — \(HTML.escape(language.text(.answerKey)))" : "")</h1>

        """
        if !key {
            html += "<p class=\"name\">\(HTML.escape(language.text(.handoutName)))</p>\n"
        }
        html += "</header>\n"
        for (number, item) in items.enumerated() {
            let question = item.html
            html += "<section class=\"question\" id=\"\(question.id)\">\n"
            html += "<h2><span class=\"number\">\(number + 1).</span> \(question.title) <span class=\"id\">\(question.id)</span></h2>\n"
            if key {
                if !question.choices.isEmpty {
                    html += "<ol class=\"choices\">\n"
                    for (position, original) in item.order.enumerated() {
                        let isCorrect = item.correct.contains(position + 1)
                        let mark = isCorrect ? "<span class=\"mark\">✓ \(HTML.escape(language.text(.correctChoice)))</span> " : ""
                        html += "<li\(isCorrect ? " class=\"correct\"" : "")>\(mark)\(question.choices[original - 1])</li>\n"
                    }
                    html += "</ol>\n"
                }
                html += "<div class=\"answer\">\n\(question.answer)\(question.expected.isEmpty ? "" : "<p class=\"expected\">\(question.expected)</p>\n")</div>\n"
            } else {
                html += "<div class=\"prompt\">\n\(question.prompt)</div>\n<p class=\"how\">\(HTML.escape(question.howToAnswer))</p>\n"
                if question.choices.isEmpty {
                    html += "<div class=\"lines\" aria-hidden=\"true\">" + String(repeating: "<span></span>", count: 6) + "</div>\n"
                } else {
                    html += "<ol class=\"choices boxes\">\n"
                    for original in item.order {
                        html += "<li><span class=\"box\" aria-hidden=\"true\"></span> \(question.choices[original - 1])</li>\n"
                    }
                    html += "</ol>\n"
                }
            }
            html += "</section>\n"
        }
        return html + "</body>\n</html>\n"
    }

    /// Light on paper whatever the reader's theme; margins that fit A4 and Letter alike.
    static let style = """
        @page { margin: 18mm 16mm 20mm; @bottom-center { content: counter(page) " / " counter(pages); font: 9pt system-ui, sans-serif; color: #444; } }
        :root { color-scheme: light; }
        body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #000; background: #fff; margin: 0 auto; max-width: 46rem; }
        h1 { font-size: 17pt; margin: 0 0 0.3rem; }
        .course { color: #444; margin: 0; font-size: 9.5pt; }
        .name { border-bottom: 1px solid #777; padding-bottom: 0.2rem; margin: 0.6rem 0 1.2rem; color: #444; }
        .question { break-inside: avoid; page-break-inside: avoid; margin: 0 0 1.1rem; padding-top: 0.4rem; border-top: 1px solid #bbb; }
        h2 { font-size: 12pt; margin: 0.2rem 0 0.4rem; break-after: avoid; }
        .id { font: 8.5pt ui-monospace, Menlo, Consolas, monospace; color: #555; }
        .how { font-style: italic; color: #333; margin: 0.3rem 0; }
        .choices { padding-left: 1.6rem; }
        .choices li { margin: 0.25rem 0; }
        .boxes { list-style: none; padding-left: 0.2rem; counter-reset: choice; }
        .boxes li { counter-increment: choice; }
        .boxes li::before { content: counter(choice) "."; display: inline-block; min-width: 1.4rem; }
        .box { display: inline-block; width: 0.9em; height: 0.9em; border: 1.2px solid #000; vertical-align: -0.1em; margin-right: 0.35rem; }
        .lines span { display: block; height: 1.9em; border-bottom: 1px solid #888; }
        .correct { font-weight: 600; }
        .mark { font-weight: 700; }
        .answer { margin-top: 0.4rem; }
        code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; background: #f2f2f2; }
        pre { padding: 0.5rem 0.7rem; white-space: pre-wrap; }
        table { border-collapse: collapse; }
        th, td { border: 1px solid #999; padding: 0.2rem 0.5rem; }
        a { color: inherit; }
        """
}

/// Prints HTML files to PDF with headless Chromium, and makes the PDFs' bytes depend on the
/// HTML only: Chromium writes the time into each PDF (creation and modification dates, the
/// document id), which are replaced by fixed values of the same length, so that no offset moves.
enum PDFPrinter {
    static func print(_ files: [OutputFile]) throws -> [OutputFile] {
        guard let chromium = ExternalTools.find(["chromium", "chromium-browser", "google-chrome"]) else {
            throw WriteError(path: "print", reason: "--pdf needs headless Chromium, which is not installed (Debian: apt-get install chromium)")
        }
        return try ExternalTools.withScratchFolder("pdf") { folder in
            try files.filter { $0.path.hasSuffix(".html") }.map { file in
                let name = (file.path as NSString).lastPathComponent
                let html = folder.appendingPathComponent(name)
                let pdf = folder.appendingPathComponent((name as NSString).deletingPathExtension + ".pdf")
                try Data(file.contents).write(to: html)
                let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                 "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                                 "--print-to-pdf=\(pdf.path)", html.absoluteString]
                guard ExternalTools.run(chromium, arguments) != nil, let bytes = FileManager.default.contents(atPath: pdf.path) else {
                    throw WriteError(path: file.path, reason: "Chromium could not print it to PDF")
                }
                return OutputFile(path: (file.path as NSString).deletingPathExtension + ".pdf", data: reproducible(bytes))
            }
        }
    }

    /// The PDF with its dates set to 2000-01-01 00:00 and its id to zeros, same lengths.
    static func reproducible(_ pdf: Data) -> Data {
        var bytes = [UInt8](pdf)
        func replace(after marker: String, _ transform: (inout ArraySlice<UInt8>) -> Void) {
            let needle = Array(marker.utf8)
            var index = 0
            while index + needle.count <= bytes.count {
                if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) {
                    var end = index + needle.count
                    while end < bytes.count, bytes[end] != UInt8(ascii: ")"), bytes[end] != UInt8(ascii: "]") { end += 1 }
                    var slice = bytes[(index + needle.count)..<end]
                    transform(&slice)
                    bytes.replaceSubrange((index + needle.count)..<end, with: slice)
                    index = end
                } else {
                    index += 1
                }
            }
        }
        for marker in ["/CreationDate (D:", "/ModDate (D:"] {
            replace(after: marker) { slice in
                let fixed = Array("20000101000000".utf8)
                var written = 0
                for position in slice.indices where (0x30...0x39).contains(slice[position]) {
                    slice[position] = written < fixed.count ? fixed[written] : UInt8(ascii: "0")
                    written += 1
                }
            }
        }
        replace(after: "/ID [") { slice in
            for position in slice.indices where slice[position] != UInt8(ascii: "<") && slice[position] != UInt8(ascii: ">")
                && slice[position] != UInt8(ascii: " ") {
                slice[position] = UInt8(ascii: "0")
            }
        }
        return Data(bytes)
    }
}
