/// The item-writing flaws `quizdoc lint` finds: the ones of Haladyna, Downing & Rodriguez
/// (2002), "A review of multiple-choice item-writing guidelines", that a program can see.
/// Each id is printed after its diagnostic (`[key-position]`) and can be allowed per question
/// or per phase with `lint: {allow: [id]}`.
public enum LintRule: String, CaseIterable, Sendable {
    /// The keys of a phase, or of the course, cluster in one position.
    case keyPosition = "key-position"
    /// A single question's correct choice is the longest by a clear margin.
    case longestChoice = "longest-choice"
    /// Two choices say the same thing (an error: the question is broken).
    case duplicateChoice = "duplicate-choice"
    /// "All of the above" / "None of the above" as a choice.
    case allNoneOfTheAbove = "all-none-of-the-above"
    /// "Which is not…" / "…except" without emphasis on the negative word.
    case negativeStem = "negative-stem"
    /// A multiple question whose key is every choice.
    case allCorrect = "all-correct"
    /// A multiple question with one correct choice: it should be single.
    case oneCorrect = "one-correct"
    /// A translation three times longer or shorter than its English text.
    case translationLength = "translation-length"
    /// The correct choice alone repeats a word of the prompt (a "clang" association).
    case stemEcho = "stem-echo"
}
