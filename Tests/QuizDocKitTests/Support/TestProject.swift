import Foundation
@testable import QuizDocKit

/// The repository this test file lives in.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A throwaway project folder: the repository's templates, plus the files a test writes.
struct TestProject {
    let root: URL

    init(files: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("quizdoc-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data/quizzes"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("templates"),
                                         to: root.appendingPathComponent("templates"))
        for (path, text) in files {
            try write(path, text)
        }
    }

    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// The quiz files of `CorpusGenerator`, each passed through `edit`.
    func writeCorpus(phases: Int, questionsPerPhase: Int = 20, edit: (String) -> String = { $0 }) throws {
        for file in CorpusGenerator(phases: phases, questionsPerPhase: questionsPerPhase).files() {
            try write("data/quizzes/\(file.name)", edit(file.yaml))
        }
    }

    /// Swaps `one` and `other` in the file at `path` (every `one` for `other`, or back when
    /// `other` is there): an edit a test makes and unmakes.
    func toggle(_ path: String, _ one: String, _ other: String) throws {
        let text = read(path) ?? ""
        try write(path, text.contains(other) ? text.replacingOccurrences(of: other, with: one)
                                             : text.replacingOccurrences(of: one, with: other))
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every file under the root, with its bytes: compare two snapshots to prove nothing changed.
    func snapshot(_ folder: String = "") -> [String: Data] {
        var result: [String: Data] = [:]
        let base = folder.isEmpty ? root : root.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return result }
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let url = base.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[path] = FileManager.default.contents(atPath: url.path) ?? Data()
            } else if isDirectory.boolValue {
                result[path + "/"] = Data()
            }
        }
        return result
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

/// A minimal valid quiz, for tests that change one thing in it.
func validQuiz(phase: String = "07", extra: String = "") -> String {
    """
    phase: \(Int(phase)!)
    title: {en: Testing, es: Pruebas}
    questions:
      - id: q-\(phase)-01
        kind: single
        title: {en: A title, es: Un título}
        prompt: {en: A prompt., es: Un enunciado.}
        choices:
          - {en: One, es: Uno}
          - {en: Two, es: Dos}
        correct: [2]
        answer: {en: Because., es: Porque.}
    \(extra)
    """
}

/// Loads one quiz text as `data/quizzes/<fileName>` and returns the sorted diagnostics.
func diagnostics(for yaml: String, fileName: String = "phase-07-testing.yaml", strict: Bool = false) async throws -> [Diagnostic] {
    let project = try TestProject(files: ["data/quizzes/\(fileName)": yaml])
    defer { project.remove() }
    return await Pipeline.generate(root: project.root, options: BuildOptions(strict: strict)).diagnostics
}

/// The English strings, loaded from the repository's templates.
func repositoryLanguages() -> [Language] {
    var bag = DiagnosticBag()
    return LanguageLoader.load(root: repositoryRoot, bag: &bag)
}
