import Testing
@testable import QuizDocKit

@Suite struct PlanLookTests {
    /// The plan's look at the committed files is cut into parts that cover every file once,
    /// in order, two parts at least (two cores share even a small course's look), none
    /// longer than the part size.
    @Test(arguments: [0, 1, 2, 191, 192, 193, 385, 3_000])
    func partsCoverEveryFileOnceInOrder(count: Int) {
        let files = 7..<(7 + count)
        let parts = BuildCache.parts(files, partSize: 192)
        #expect(parts.count == max(2, (count + 191) / 192))
        #expect(parts.flatMap { Array($0) } == Array(files))
        #expect(parts.allSatisfy { $0.count <= 192 })
        // Even: no part more than one file longer than another.
        #expect(parts.map(\.count).max()! - parts.map(\.count).min()! <= 1)
    }
}
