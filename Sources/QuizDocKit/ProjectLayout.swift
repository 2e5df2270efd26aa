/// Where quizdoc's inputs and outputs live, relative to the project root.
public enum ProjectLayout {
    /// The quiz files, one per phase.
    public static let quizzes = "data/quizzes"
    /// Everything quizdoc writes.
    public static let output = "docs-out"
    /// The committed Markdown mirrors.
    public static let mirrors = "docs-out/quizzes"
    /// The built site (not committed).
    public static let site = "docs-out/site"
    /// What `quizdoc export` writes by default (not committed).
    public static let export = "docs-out/export"
    /// UI strings, site templates and assets.
    public static let templates = "templates"
}
