/// Diagnostics for places other than a plain log: a colour terminal, GitHub Actions.
public enum DiagnosticOutput {
    /// `path:line:col` bold, `error:` red, `warning:` yellow (ANSI), the rest as it is.
    public static func coloured(_ diagnostic: Diagnostic) -> String {
        let severity = diagnostic.severity == .error ? "\u{1B}[1;31merror:\u{1B}[0m" : "\u{1B}[1;33mwarning:\u{1B}[0m"
        let rest = Diagnostic.visible(diagnostic.message + (diagnostic.rule.map { " [\($0)]" } ?? ""))
        return "\u{1B}[1m\(Diagnostic.visible(diagnostic.location.description)):\u{1B}[0m \(severity) \(rest)"
    }

    /// A workflow command (`::error file=…,line=…,col=…,title=…::message`), escaped as GitHub
    /// reads them: `%`, CR and LF everywhere, and `:` and `,` in the properties too.
    public static func annotation(_ diagnostic: Diagnostic) -> String {
        func data(_ text: String) -> String {
            text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        }
        func property(_ text: String) -> String {
            data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        }
        let title = diagnostic.rule.map { "quizdoc \($0)" } ?? "quizdoc"
        let location = diagnostic.location
        return "::\(diagnostic.severity.rawValue) file=\(property(location.path)),line=\(location.line),col=\(location.column),title=\(property(title))::\(data(Diagnostic.visible(diagnostic.message)))"
    }

    /// Every diagnostic as a Markdown table, for `$GITHUB_STEP_SUMMARY`: GitHub shows only
    /// ten annotations of each kind per step, and fifty per job.
    public static func summaryTable(_ diagnostics: [Diagnostic]) -> String {
        func cell(_ text: String) -> String {
            Diagnostic.visible(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        var out = "### quizdoc: \(errors) error\(errors == 1 ? "" : "s"), \(diagnostics.count - errors) warning\(diagnostics.count - errors == 1 ? "" : "s")\n\n"
        out += "| place | severity | rule | message |\n|---|---|---|---|\n"
        for diagnostic in diagnostics {
            out += "| `\(cell(diagnostic.location.description))` | \(diagnostic.severity.rawValue) | \(diagnostic.rule ?? "") | \(cell(diagnostic.message)) |\n"
        }
        return out + "\n"
    }
}
