/// The mirror stage: one `Quiz` in one language → the Markdown page reviewers read in pull
/// requests, answers hidden in `<details>` blocks. It only formats: what each question shows
/// is decided by `LocalizedQuestion`.
public enum MirrorPage {
    /// `phase-26-quantization.md` for English, `phase-26-quantization.es.md` for the others.
    public static func fileName(_ quiz: Quiz, _ language: Language) -> String {
        language.isPrimary ? "\(quiz.baseName).md" : "\(quiz.baseName).\(language.code).md"
    }

    public static func path(_ quiz: Quiz, _ language: Language) -> String {
        "\(ProjectLayout.mirrors)/\(fileName(quiz, language))"
    }

    public static func format(_ quiz: Quiz, in language: Language, languages: [Language]) -> String {
        String(decoding: format(quiz, LocalizedQuestion.all(quiz, in: language), in: language, languages: languages), as: UTF8.self)
    }

    /// The page's UTF-8, from the quiz's questions already localized in `language`.
    static func format(_ quiz: Quiz, _ questions: [LocalizedQuestion], in language: Language, languages: [Language]) -> [UInt8] {
        let source = quiz.sourcePath
        // One buffer, each text appended where it goes: the questions' parts made as strings
        // and then copied in (a title, a body, an answer, then the page) copied every text
        // three times, a String append costing some 300 instructions besides.
        var page = MirrorText()
        page.line("<!-- \(language.text(.mirrorGenerated, ["source": source])) -->")
        page.line()
        page.line("# \(language.text(.phaseHeading, ["phase": String(quiz.phase)]))")
        page.line()
        let switcher = languages.map { other in
            other == language
                ? "**\(other.text(.languageName))**"
                : "[\(other.text(.languageName))](\(fileName(quiz, other)))"
        }
        page.line(switcher.joined(separator: " · "))
        page.line()
        page.line("> \(language.text(.mirrorNote, ["source": source]))")
        page.line(">")
        page.line("> \(language.text(.sourceOfTruth, ["source": source]))")
        for question in questions {
            page.line()
            page.question(question)
        }
        return page.take()
    }
}

/// A mirror page as it is written: UTF-8 appended to one buffer.
struct MirrorText {
    private var bytes = ByteBuffer(capacity: 1 << 15)

    /// The page's bytes, the text left empty.
    mutating func take() -> [UInt8] { bytes.take() }

    /// Over the contiguous UTF-8 (`String.UTF8View`'s path cost twice as much an append).
    mutating func add(_ text: String) {
        bytes.append(text)
    }

    mutating func line(_ text: String) {
        add(text)
        line()
    }

    mutating func line() { bytes.append(UInt8(ascii: "\n")) }

    /// One question's three places: the heading (its title, with " (free)" for free
    /// questions), the body (the prompt, how to answer in italics, then the choices as a
    /// numbered list), and the answer block (the lead-in, the explanation, the expected words).
    mutating func question(_ question: LocalizedQuestion) {
        let language = question.language
        add("## ")
        add(question.id)
        add(" — ")
        inline(question.title, language)
        if let mark = question.kindMark {
            add(" (")
            add(mark)
            add(")")
        }
        line()
        line()
        if question.isOutdated {
            add("*")
            add(language.text(.outdatedNote))
            line("*")
            line()
        }
        block(question.prompt, language)
        add("\n\n*")
        add(question.howToAnswer)
        add("*")
        for (offset, choice) in question.choices.enumerated() {
            add(offset == 0 ? "\n\n" : "\n")
            add(String(offset + 1))
            add(". ")
            inline(choice, language)
        }
        line()
        line()
        line("<details>")
        line("<summary>\(language.text(.answer))</summary>")
        line()
        if let lead = question.leadIn {
            add("**")
            add(lead)
            add(question.leadInJoinsAnswer ? "** " : "**\n\n")
        }
        block(question.answer, language)
        if let first = question.expected.first {
            let words = question.expected.map(\.markdown).joined(separator: ", ")
            add("\n\n")
            add(language.text(.expectedWords, ["list": words]))
            if first.isFallback {
                add(" ")
                add(language.text(.untranslatedInline))
            }
        }
        line()
        line()
        line("</details>")
    }

    private mutating func inline(_ text: ShownText, _ language: Language) {
        add(text.markdown)
        if text.isFallback {
            add(" ")
            add(language.text(.untranslatedInline))
        }
    }

    private mutating func block(_ text: ShownText, _ language: Language) {
        if text.isFallback {
            add(language.text(.untranslatedBlock))
            add("\n\n")
        }
        add(text.markdown)
    }
}
