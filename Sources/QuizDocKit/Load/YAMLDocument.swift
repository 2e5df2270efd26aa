import Yams

/// The one way quizdoc reads YAML, for quiz files and strings files alike: bytes → checked
/// UTF-8 text (`SourceText`) → refused features (`YAMLGate`) → tree (`Yams.compose` with the
/// `.basic` resolver, so every scalar is a string). Problems go to the bag; nil then.
enum YAMLDocument {
    static func compose(_ bytes: [UInt8], path: String, emptyMessage: String, bag: inout DiagnosticBag) -> Node? {
        let text: String
        switch SourceText.decode(bytes, path: path) {
        case .success(let decoded): text = decoded
        case .failure(let problem): bag.append(contentsOf: [problem]); return nil
        }
        let gate = YAMLGate.check(text, path: path, emptyMessage: emptyMessage)
        guard gate.isEmpty else { bag.append(contentsOf: gate); return nil }
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else {
                bag.error(.file(path), emptyMessage)
                return nil
            }
            return node
        } catch {
            bag.error(.file(path), "YAML error: \(error)")
            return nil
        }
    }
}
