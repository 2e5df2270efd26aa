import Synchronization
import Testing
@testable import QuizDocKit

@Suite struct ConcurrencyTests {
    /// Every item is transformed exactly once, whichever task takes it, and the results
    /// come back in the items' order.
    @Test(arguments: [0, 1, 2, 3, 1_000])
    func parallelMapKeepsOrderAndTransformsEachItemOnce(count: Int) async {
        let calls = Mutex([Int](repeating: 0, count: count))
        let results = await parallelMap(Array(0..<count)) { item -> String in
            calls.withLock { $0[item] += 1 }
            return "item \(item)"
        }
        #expect(results == (0..<count).map { "item \($0)" })
        #expect(calls.withLock { $0 }.allSatisfy { $0 == 1 })
    }
}
