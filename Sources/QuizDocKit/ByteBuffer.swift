import CByteScan

/// Bytes appended in room made by doubling and kept past what they fill (never written nor
/// read there: zeroing it cost more than the appends, as in Mustache's `OutputBuffer`): a
/// run is copied in place, and emptying the buffer keeps its room. The standard library's
/// append of a buffer goes through its path for any sequence (some 60 instructions a call
/// besides the copy) and `removeAll(keepingCapacity:)` through `replaceSubrange`, for the
/// words of every search text and the parts of every mirror.
struct ByteBuffer: Sendable {
    private var storage: [UInt8]
    private(set) var count = 0

    /// `prefaulted`: the room backed by the kernel in one call (`quizdoc_prefault`, for room
    /// of 256 KB or more) rather than a page at a time as it fills.
    init(capacity: Int = 64, prefaulted: Bool = false) {
        storage = Self.room(max(capacity, 16))
        if prefaulted { _ = storage.withUnsafeMutableBufferPointer { quizdoc_prefault($0.baseAddress, $0.count) } }
    }

    var isEmpty: Bool { count == 0 }

    var last: UInt8? { count > 0 ? storage[count - 1] : nil }

    mutating func append(_ byte: UInt8) {
        if count == storage.count { grow(to: count + 1) }
        storage[count] = byte
        count += 1
    }

    mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let source = run.baseAddress else { return }
        if count + run.count > storage.count { grow(to: count + run.count) }
        let start = count
        storage.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: start).update(from: source, count: run.count) }
        count += run.count
    }

    /// A text's UTF-8, over its contiguous bytes.
    mutating func append(_ text: String) {
        text.withUTF8Bytes { append($0) }
    }

    mutating func removeLast() {
        removeLast(1)
    }

    mutating func removeLast(_ removed: Int) {
        precondition(removed >= 0 && removed <= count, "removeLast past the buffer's start")
        count -= removed
    }

    mutating func removeAll() {
        count = 0
    }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[..<count])) }
    }

    /// The bytes as an array of their own, the buffer left empty (without room).
    mutating func take() -> [UInt8] {
        var bytes = storage
        storage = []
        bytes.removeLast(bytes.count - count)
        count = 0
        return bytes
    }

    private static func room(_ size: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
    }

    private mutating func grow(to needed: Int) {
        var grown = Self.room(max(needed, 2 * storage.count, 16))
        let used = count
        if used > 0 {
            storage.withUnsafeBufferPointer { old in
                grown.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: old.baseAddress!, count: used) }
            }
        }
        storage = grown
    }
}
