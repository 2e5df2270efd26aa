import Foundation

/// One file a stage makes, on its way to an `OutputSink`.
public struct OutputFile: Hashable, Sendable {
    /// Relative to the project root, with `/` separators, e.g. `docs-out/quizzes/phase-26-quantization.md`.
    public var path: String
    public var contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }

    public init(path: String, text: String) {
        self.init(path: path, contents: Data(text.utf8))
    }
}
