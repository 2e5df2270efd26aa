import YAMLReader

/// The one way quizdoc reads YAML, for quiz files and strings files alike: bytes → checked
/// UTF-8 text (`SourceText`) → refused features and tree in one pass (`YAMLComposer`), whose
/// problems become located diagnostics here. Problems go to the bag; nil then.
enum YAMLDocument {
    static func compose(_ bytes: [UInt8], path: String, emptyMessage: String, bag: inout DiagnosticBag) -> YAMLNode? {
        // Most files: valid UTF-8 in the plain subset, read straight from their bytes.
        if let root = YAMLComposer.composePlain(bytes, maxDepth: Limits.yamlDepth) { return root }
        let text: String
        switch SourceText.decode(bytes, path: path) {
        case .success(let decoded): text = decoded
        case .failure(let problem): bag.append(contentsOf: [problem]); return nil
        }
        switch YAMLComposer.compose(text, maxDepth: Limits.yamlDepth) {
        case .success(let root):
            return root
        case .failure(let refusal):
            for problem in refusal.problems {
                bag.error(SourceLocation(path: path, line: problem.line, column: problem.column),
                          message(problem.kind, emptyMessage: emptyMessage))
            }
            return nil
        }
    }

    static func message(_ kind: YAMLProblem.Kind, emptyMessage: String) -> String {
        switch kind {
        case .empty:
            return emptyMessage
        case .secondDocument:
            return "a quiz file holds one YAML document; remove the second '---' and what follows, or move it to its own file"
        case .anchor(let name):
            return "anchors (&\(name)) are not supported in quiz files; write the value out in full"
        case .alias(let name):
            return "aliases (*\(name)) are not supported in quiz files; write the value out in full"
        case .tag(let tag):
            return "YAML tags (\(tag)) are not supported in quiz files; remove the tag"
        case .complexKey:
            return "complex mapping keys are not supported; use a plain word as the key"
        case .duplicateKey(let key, let line, let column):
            return "duplicate key '\(key)' (first at line \(line), column \(column)); remove one of them"
        case .tooDeep(let limit):
            return "the YAML is nested more than \(limit) levels deep; a quiz needs five"
        case .unclosedQuote:
            return "this quoted text is never closed; add the closing quote"
        case .syntax(let problem, let context, let contextLine, let contextColumn):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context) at line \(contextLine), column \(contextColumn))"
            }
            if problem.contains("tab") {
                message += "; indent with spaces, not tabs"
            } else if problem.contains("quoted scalar") {
                message += "; close the quote"
            } else if problem.contains("indentation") || problem.contains("mapping values") || problem.contains("block") {
                message += "; check the indentation of this line and the one before"
            }
            return message
        }
    }
}
