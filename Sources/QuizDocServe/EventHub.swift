import FlyingSocks
import Foundation
import Synchronization

/// Server-Sent Events to every open page (plain HTTP, so they pass proxies and tunnels that
/// drop WebSockets). A page that connects while the last build failed gets the errors at
/// once, so the overlay is there whenever the input is broken.
final class EventHub: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<[UInt8]>.Continuation] = [:]
        var next = 0
        /// The `errors` event of a failed last build, replayed to new pages; nil when it built.
        var failure: [UInt8]?
    }

    private let state = Mutex(State())

    static func event(_ name: String, _ data: String) -> [UInt8] {
        let lines = data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined()
        return Array("event: \(name)\n\(lines)\n".utf8)
    }

    /// A new page's stream; it ends when the page goes away or the hub closes.
    func subscribe() -> EventStream {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .bufferingNewest(64))
        let id = state.withLock { state -> Int in
            state.next += 1
            state.subscribers[state.next] = continuation
            continuation.yield(Array(": quizdoc live preview\nretry: 500\n\n".utf8))
            if let failure = state.failure { continuation.yield(failure) }
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return EventStream(stream: stream)
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    func send(_ name: String, _ data: String) {
        let bytes = Self.event(name, data)
        state.withLock { state in
            state.failure = name == "errors" ? bytes : nil
            for continuation in state.subscribers.values { continuation.yield(bytes) }
        }
    }

    /// Ends every stream, so that the server can stop without waiting for open pages.
    func close() {
        let all = state.withLock { state -> [AsyncStream<[UInt8]>.Continuation] in
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }
}

/// One page's events as the bytes of a chunked HTTP body.
struct EventStream: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: [UInt8] = []

        mutating func next() async throws -> UInt8? {
            if pending.isEmpty { pending = await base.next() ?? [] }
            return pending.isEmpty ? nil : pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if !pending.isEmpty {
                defer { pending = [] }
                return pending
            }
            return await base.next()
        }
    }
}
