import Foundation
import VerbundHTTP
import VerbundTransport

/// Hands an upstream's answer from the thread reading it to the thread writing it to the consumer, in constant memory:
/// at most `capacity` pieces (64 KiB each, the client's read size) wait between them; the reader blocks when they are
/// full, so a slow consumer slows the upstream read instead of filling memory. Either side may stop the other:
/// `cancel` (the consumer left) makes the reader's next `push` throw; the reader's `finish` ends the writer's `next`.
final class UpstreamRelay: @unchecked Sendable {
    /// The consumer went away; the upstream read stops.
    struct Cancelled: Error {}

    enum Start {
        case head(HTTPResponseHead)
        /// The exchange failed before a head arrived.
        case failed(HTTPClientError)
    }

    private let condition = NSCondition()
    private let capacity: Int
    // Guarded by `condition`.
    private var head: HTTPResponseHead?
    private var pieces: [[UInt8]] = []
    private var outcome: Result<Void, HTTPClientError>?
    private var cancelled = false

    init(capacity: Int = 4) { self.capacity = max(1, capacity) }

    // MARK: Reader side (the upstream thread)

    /// Queues one body piece; blocks while the queue is full; throws when the consumer side cancelled.
    func push(_ responseHead: HTTPResponseHead, _ piece: [UInt8]) throws {
        condition.lock()
        defer { condition.unlock() }
        if head == nil { head = responseHead }
        while pieces.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        pieces.append(piece)
        condition.broadcast()
    }

    /// The exchange ended: with its head (a body-less answer pushes none before) or an error.
    func finish(head responseHead: HTTPResponseHead?, error: HTTPClientError?) {
        condition.lock()
        if head == nil, let responseHead { head = responseHead }
        outcome = error.map { .failure($0) } ?? .success(())
        condition.broadcast()
        condition.unlock()
    }

    // MARK: Writer side (the consumer's connection)

    /// Waits for the head, or the failure before it, until `deadline` (then a timeout failure).
    func start(until deadline: Date) -> Start {
        condition.lock()
        defer { condition.unlock() }
        while head == nil && outcome == nil {
            if !condition.wait(until: deadline) { break }
        }
        if let head { return .head(head) }
        if case let .failure(error)? = outcome { return .failed(error) }
        return .failed(.transport(peer: "upstream", underlying: .timedOut("no response head before the deadline")))
    }

    /// The next piece; nil at the end, with `error` set when the exchange failed after its head (the answer is cut).
    func next() -> (piece: [UInt8]?, error: HTTPClientError?) {
        condition.lock()
        defer { condition.unlock() }
        while pieces.isEmpty && outcome == nil { condition.wait() }
        if !pieces.isEmpty {
            let piece = pieces.removeFirst()
            condition.broadcast()
            return (piece, nil)
        }
        if case let .failure(error)? = outcome { return (nil, error) }
        return (nil, nil)
    }

    /// Waits for the end of the exchange (a HEAD or body-less answer), dropping any body.
    func drain() -> HTTPClientError? {
        while true {
            let (piece, error) = next()
            if piece == nil { return error }
        }
    }

    /// The consumer side stops; a blocked or later `push` throws.
    func cancel() {
        condition.lock()
        cancelled = true
        pieces.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
