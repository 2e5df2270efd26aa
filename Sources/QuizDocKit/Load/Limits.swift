/// The bounds that keep a hostile or mistaken input from costing unbounded time or memory.
/// Every limit is far above what a real quiz needs; crossing one is a located error.
public enum Limits {
    /// A quiz file larger than this is refused before it is parsed.
    public static let fileBytes = 1 << 20
    /// Nesting of YAML collections. A quiz needs five levels; refusing deep trees early
    /// also keeps recursive code (Yams's composer) far from the stack's end.
    public static let yamlDepth = 16
    /// Characters in one text (a title, prompt, choice or answer in one language).
    public static let textCharacters = 20_000
    /// Characters in a title or choice, which render on one line.
    public static let inlineTextCharacters = 1_000
    /// `|` characters on one line of a text. cmark-gfm 0.29's table extension is quadratic
    /// in the width of a table (5,000 columns: 0.2 s a text); 100 columns is a wide table.
    public static let tableCells = 100
    public static let questionsPerQuiz = 200
    public static let choices = 2...26
}
