import Foundation
import Synchronization
import Testing
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// The hand-over between the thread reading an upstream and the consumer's connection holds at most `capacity` pieces:
/// the reader blocks when they are full (memory stays flat whatever the answer's size), and either side can stop the
/// other.
@Suite(.offCooperativePool) struct UpstreamRelayTests {
    final class ReaderState: Sendable {
        let pushed = Mutex(0)
        let stopped = Mutex(false)
        var count: Int { pushed.withLock { $0 } }
        var hasStopped: Bool { stopped.withLock { $0 } }
    }

    static let head = HTTPResponseHead(status: .ok, headers: ["Content-Type": "application/octet-stream"])

    @Test func theReaderWaitsWhileTheQueueIsFullAndStopsWhenTheConsumerLeaves() throws {
        let relay = UpstreamRelay(capacity: 4)
        let state = ReaderState()
        let reader = Thread {
            do {
                for _ in 0..<1000 {
                    try relay.push(Self.head, [UInt8](repeating: 7, count: 64 * 1024))
                    state.pushed.withLock { $0 += 1 }
                }
            } catch {
                state.stopped.withLock { $0 = error is UpstreamRelay.Cancelled }
            }
        }
        reader.start()
        guard case .head = relay.start(until: Date().addingTimeInterval(5)) else {
            Issue.record("no head")
            return
        }
        let deadline = Date().addingTimeInterval(10)
        while state.count < 4 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.3)
        // Four pieces wait; the fifth push blocks until the writer takes one.
        #expect(state.count == 4)
        #expect(relay.next().piece?.count == 64 * 1024)
        while state.count < 5 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.1)
        #expect(state.count == 5)
        // The consumer leaves: the blocked reader's push throws.
        relay.cancel()
        while !state.hasStopped && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(state.hasStopped)
    }

    @Test func aFailureAfterTheHeadEndsTheWriterWithTheError() {
        let relay = UpstreamRelay(capacity: 2)
        try? relay.push(Self.head, [1, 2, 3])
        relay.finish(head: nil, error: .transport(peer: "upstream", underlying: .timedOut("body")))
        #expect(relay.next().piece == [1, 2, 3])
        let end = relay.next()
        #expect(end.piece == nil && end.error?.isTimeout == true)
    }

    @Test func noHeadBeforeTheDeadlineIsATimeout() {
        let relay = UpstreamRelay()
        let began = Date()
        guard case let .failed(error) = relay.start(until: Date().addingTimeInterval(0.2)) else {
            Issue.record("a head appeared")
            return
        }
        #expect(error.isTimeout && Date().timeIntervalSince(began) < 2)
    }
}
