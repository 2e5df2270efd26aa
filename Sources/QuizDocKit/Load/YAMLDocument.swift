/// The one way quizdoc reads YAML, for quiz files and strings files alike: bytes → checked
/// UTF-8 text (`SourceText`) → refused features and tree in one pass (`YAMLComposer`).
/// Problems go to the bag; nil then.
enum YAMLDocument {
    static func compose(_ bytes: [UInt8], path: String, emptyMessage: String, bag: inout DiagnosticBag) -> YAMLNode? {
        let text: String
        switch SourceText.decode(bytes, path: path) {
        case .success(let decoded): text = decoded
        case .failure(let problem): bag.append(contentsOf: [problem]); return nil
        }
        return YAMLComposer.compose(text, path: path, emptyMessage: emptyMessage, bag: &bag)
    }
}
