/// The bounds that keep a hostile or mistaken input from costing unbounded time or memory.
/// Every limit is far above what a real quiz needs; crossing one is a located error.
public enum Limits {
    /// A quiz file larger than this is refused before it is parsed.
    public static let fileBytes = 1 << 20
    /// Nesting of YAML collections. A quiz needs five levels; refusing deep trees early
    /// also keeps recursive code (the reader's walk of the tree) far from the stack's end.
    public static let yamlDepth = 16
    /// Characters in one text (a prompt or answer in one language): a page and a half,
    /// several times the longest real answer. cmark-gfm 0.29 has inputs quadratic in the
    /// length of a text (`a@a@…` autolinks, `![[]()` runs); at this length a 1 MiB file of
    /// nothing but them renders in about a second.
    public static let textCharacters = 10_000
    /// Characters in a title or choice, which render on one line.
    public static let inlineTextCharacters = 1_000
    /// `|` characters on one line of a text. cmark-gfm 0.29's table extension is quadratic
    /// in the width of a table (5,000 columns: 0.2 s a text); 100 columns is a wide table.
    public static let tableCells = 100
    /// `@` characters in one text. cmark-gfm 0.29's autolinker rescans the text before each
    /// `@` for an e-mail address: 5,000 of them cost 20 ms a text, 2 s for a 1 MiB file.
    public static let atSigns = 200
    public static let questionsPerQuiz = 200
    /// Expected words of a free question, per language, and characters in one.
    public static let expectedWords = 20
    public static let expectedWordCharacters = 80
    /// One file of the theme's assets (a font, an image).
    public static let assetBytes = 16 << 20
    /// Files and folder depth under `templates/assets/`.
    public static let assetFiles = 1_000
    public static let assetDepth = 8
    public static let choices = 2...26
}
