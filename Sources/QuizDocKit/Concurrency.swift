import Foundation
import Synchronization

/// Maps `items` through `transform` in parallel and returns the results in the order of
/// `items`: one task per core, each taking the next item until none is left. An edit hands
/// it 1,000 phases of a few microseconds each, so no task is made per item. The items
/// `takenFirst` says are long are taken before the others: an edit's one phase to make, taken
/// last, was a stretch of a millisecond or two with one core idle.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], takenFirst: ((T) -> Bool)? = nil,
                                           _ transform: @escaping @Sendable (T) -> R) async -> [R] {
    let width = min(max(1, ProcessInfo.processInfo.activeProcessorCount), items.count)
    guard width > 1 else { return items.map(transform) }
    let order = takenFirst.map { isLong in takingOrder(items.count) { isLong(items[$0]) } }
    let results = ResultSlots<R>(count: items.count)
    let next = NextIndex()
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<width {
            group.addTask {
                while case let taken = next.take(), taken < items.count {
                    let index = order?[taken] ?? taken
                    results.put(transform(items[index]), at: index)
                }
            }
        }
    }
    return results.take()
}

/// The indices `0..<count` with those `isLong` says first, each part in its order.
func takingOrder(_ count: Int, isLong: (Int) -> Bool) -> [Int] {
    var first: [Int] = [], then: [Int] = []
    then.reserveCapacity(count)
    for index in 0..<count {
        if isLong(index) { first.append(index) } else { then.append(index) }
    }
    return first + then
}

/// The next item's index, for the tasks of `parallelMap`.
private final class NextIndex: Sendable {
    private let value = Atomic<Int>(0)

    func take() -> Int {
        value.wrappingAdd(1, ordering: .relaxed).oldValue
    }
}

/// One slot per item, each written once by the task that took the item, and read once every
/// task has ended (the task group's end orders the writes before the reads).
private final class ResultSlots<R>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    // Moved in and out, not copied: a result may be a large value (a phase's input holds
    // a few dozen references, each retained and released again by a copy).
    func put(_ result: consuming R, at index: Int) {
        slots[index] = result
    }

    func take() -> [R] {
        slots.indices.map { slots[$0].take()! }
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
