import Foundation

/// Maps `items` through `transform` in parallel, one task per core at a time, and returns
/// the results in the order of `items`.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) async -> [R] {
    await withTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var next = 0
        func start() {
            let index = next
            group.addTask { (index, transform(items[index])) }
            next += 1
        }
        while next < min(width, items.count) { start() }
        while let (index, result) = await group.next() {
            results[index] = result
            if next < items.count { start() }
        }
        return results.map { $0! }
    }
}

/// Counts finished phases and reports them, from any task.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    func step() {
        guard let report else { return }
        let count = lock.withLock { () -> Int in done += 1; return done }
        report(count, total)
    }
}
