import Testing
@testable import QuizDocKit

/// The spare's stale paths answer as a set of them would, looked through one by one (a
/// handful) or hashed (more), for paths spelled alike.
struct FewPathsTests {
    @Test func aFewOrManyPathsAnswerAsASet() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["quizzes/", "es/", "phase-", "1", "10", "é", "🙂", ".html", "search/en/p", ".js", ""]
        func path() -> String { (0..<Int.random(in: 0...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() }
        for count in [0, 1, 2, 6, 16, 17, 40] {
            let paths = (0..<count).map { _ in path() }
            let few = FewPaths(paths), set = Set(paths)
            for candidate in paths + (0..<300).map({ _ in path() }) {
                #expect(few.contains(candidate) == set.contains(candidate), "\(count): \(candidate)")
            }
        }
    }
}
