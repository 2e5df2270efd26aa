import Foundation
import Testing

/// Compares `actual` with the golden file `Golden/<name>`. With `QUIZDOC_RECORD=1` in the
/// environment, or when the golden file is missing, it (re)records it and fails, so a
/// recording is always looked at before it is trusted.
func assertGolden(_ actual: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let url = repositoryRoot.appendingPathComponent("Tests/QuizDocKitTests/Golden/\(name)")
    let expected = FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) }
    if ProcessInfo.processInfo.environment["QUIZDOC_RECORD"] == "1" || expected == nil {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(actual.utf8).write(to: url)
        Issue.record("recorded golden file \(name); check it and run the tests again", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        let diff = UnifiedDiffForTests.make(expected ?? "", actual, name: name)
        Issue.record("output differs from golden \(name) (QUIZDOC_RECORD=1 re-records):\n\(diff)", sourceLocation: sourceLocation)
    }
}

import TextDiff

enum UnifiedDiffForTests {
    static func make(_ old: String, _ new: String, name: String) -> String {
        UnifiedDiff.make(from: old, to: new, oldName: "golden/\(name)", newName: "actual/\(name)")
    }
}
