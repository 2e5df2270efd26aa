/// The mirror stage: one `Quiz` in one language → the Markdown page reviewers read in pull
/// requests, answers hidden in `<details>` blocks.
public enum MirrorRenderer {
    /// `phase-26-quantization.md` for English, `phase-26-quantization.es.md` for the others.
    public static func fileName(_ quiz: Quiz, _ language: Language) -> String {
        language.isPrimary ? "\(quiz.baseName).md" : "\(quiz.baseName).\(language.code).md"
    }

    public static func render(_ quiz: Quiz, in language: Language, languages: [Language]) -> String {
        let source = quiz.sourcePath
        var out: [String] = []
        out.append("<!-- \(language.text(.mirrorGenerated, ["source": source])) -->")
        out.append("")
        out.append("# \(language.text(.phaseHeading, ["phase": String(quiz.phase)]))")
        out.append("")
        let switcher = languages.map { other in
            other == language
                ? "**\(other.text(.languageName))**"
                : "[\(other.text(.languageName))](\(fileName(quiz, other)))"
        }
        out.append(switcher.joined(separator: " · "))
        out.append("")
        out.append("> \(language.text(.mirrorNote, ["source": source]))")
        out.append(">")
        out.append("> \(language.text(.sourceOfTruth, ["source": source]))")
        for question in quiz.questions {
            let markdown = QuestionMarkdown(question, in: language)
            out.append("")
            out.append("## \(question.id) — \(markdown.title)")
            out.append("")
            out.append(markdown.body)
            out.append("")
            out.append("<details>")
            out.append("<summary>\(language.text(.answer))</summary>")
            out.append("")
            out.append(markdown.answer)
            out.append("")
            out.append("</details>")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
