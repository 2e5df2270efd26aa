import Foundation

/// One file a stage makes, on its way to an `OutputSink`.
public struct OutputFile: Hashable, Sendable {
    /// Relative to the project root, with `/` separators, e.g. `docs-out/quizzes/phase-26-quantization.md`.
    public var path: String
    /// Its bytes as the stage made them (a page or mirror rendered into an array is handed
    /// over as it is, not copied into a `Data`).
    public var contents: [UInt8]
    /// The stamp the file at `path` had when the build read `contents` from it, when these
    /// are its bytes as read (a translation lock kept as it was): a sink that finds the file
    /// with this stamp still has nothing to compare or write.
    var stampAsRead: FileStamp?

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }

    public init(path: String, data: Data) {
        self.init(path: path, contents: [UInt8](data))
    }

    public init(path: String, text: String) {
        self.init(path: path, contents: Array(text.utf8))
    }

    /// Whether `bytes` (a file as it is on disk) are its contents, compared by `memcmp`
    /// (an array's `==` compares one element at a time).
    func isContents(of bytes: [UInt8]?) -> Bool {
        guard let bytes, bytes.count == contents.count else { return false }
        guard !bytes.isEmpty else { return true }
        return bytes.withUnsafeBytes { old in contents.withUnsafeBytes { new in memcmp(old.baseAddress!, new.baseAddress!, old.count) == 0 } }
    }
}
