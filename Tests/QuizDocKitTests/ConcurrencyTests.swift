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

    /// The items said to be long are taken before the others, each part in the items'
    /// order, and the results still come back in the items' order.
    @Test(arguments: [1, 2, 3, 1_000])
    func longItemsAreTakenFirst(count: Int) async {
        let isLong = { (item: Int) in item % 7 == 3 || item == count - 1 }
        let order = takingOrder(count, isLong: isLong)
        let long = (0..<count).filter(isLong)
        #expect(order == long + (0..<count).filter { !isLong($0) })
        let results = await parallelMap(Array(0..<count), takenFirst: isLong) { "item \($0)" }
        #expect(results == (0..<count).map { "item \($0)" })
    }
}
