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
        format(quiz, LocalizedQuestion.all(quiz, in: language), in: language, languages: languages)
    }

    /// The page, from the quiz's questions already localized in `language`.
    static func format(_ quiz: Quiz, _ questions: [LocalizedQuestion], in language: Language, languages: [Language]) -> String {
        let source = quiz.sourcePath
        // One string, each line and its line break appended in turn (an array of lines joined,
        // then a final break added, copied the whole page twice).
        var page = ""
        page.reserveCapacity(1 << 15)
        func line(_ text: String) {
            page += text
            page += "\n"
        }
        line("<!-- \(language.text(.mirrorGenerated, ["source": source])) -->")
        line("")
        line("# \(language.text(.phaseHeading, ["phase": String(quiz.phase)]))")
        line("")
        let switcher = languages.map { other in
            other == language
                ? "**\(other.text(.languageName))**"
                : "[\(other.text(.languageName))](\(fileName(quiz, other)))"
        }
        line(switcher.joined(separator: " · "))
        line("")
        line("> \(language.text(.mirrorNote, ["source": source]))")
        line(">")
        line("> \(language.text(.sourceOfTruth, ["source": source]))")
        for question in questions {
            let question = MirrorQuestion(question)
            line("")
            line("## \(question.id) — \(question.title)")
            line("")
            if question.isOutdated {
                line("*\(language.text(.outdatedNote))*")
                line("")
            }
            line(question.body)
            line("")
            line("<details>")
            line("<summary>\(language.text(.answer))</summary>")
            line("")
            line(question.answer)
            line("")
            line("</details>")
        }
        return page
    }
}

/// The Markdown of one question's three places in the mirror: heading, body, answer block.
struct MirrorQuestion {
    var id: String
    var isOutdated: Bool
    /// Inline: the title, with " (free)" for free questions.
    var title: String
    /// Block: the prompt, how to answer (in italics), then the choices as a numbered list.
    var body: String
    /// Block: the lead-in, the explanation, and the expected words.
    var answer: String

    init(_ question: LocalizedQuestion) {
        let language = question.language
        func inline(_ text: ShownText) -> String {
            text.isFallback ? "\(text.markdown) \(language.text(.untranslatedInline))" : text.markdown
        }
        func block(_ text: ShownText) -> String {
            text.isFallback ? "\(language.text(.untranslatedBlock))\n\n\(text.markdown)" : text.markdown
        }
        id = question.id
        isOutdated = question.isOutdated
        title = inline(question.title) + (question.kindMark.map { " (\($0))" } ?? "")
        body = block(question.prompt) + "\n\n*\(question.howToAnswer)*"
        if !question.choices.isEmpty {
            body += "\n\n" + question.choices.enumerated().map { "\($0.offset + 1). \(inline($0.element))" }.joined(separator: "\n")
        }
        let explanation = block(question.answer)
        answer = switch question.leadIn {
        case let lead? where question.leadInJoinsAnswer: "**\(lead)** \(explanation)"
        case let lead?: "**\(lead)**\n\n\(explanation)"
        case nil: explanation
        }
        if let first = question.expected.first {
            let words = question.expected.map(\.markdown).joined(separator: ", ")
            let mark = first.isFallback ? " \(language.text(.untranslatedInline))" : ""
            answer += "\n\n" + language.text(.expectedWords, ["list": words]) + mark
        }
    }
}
