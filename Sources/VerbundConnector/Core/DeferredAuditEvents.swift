import Dispatch
import Synchronization
import VerbundStore

/// Log entries that need not hold up the request that caused them (issue 11: the record of a forwarded API request,
/// written after its answer was sent).
///
/// An event waits here with the writes that belong with it (`along`) and is appended inside the next transaction
/// opened through `AuditTrail.transaction` — sharing that transaction's commit, so a stream of requests costs one
/// `fsync` each instead of two — or, if none comes within `delay`, in a transaction of its own. Whoever reads the log
/// (export, evidence, tree-head signing, status) calls `AuditTrail.flushDeferred()` first, so a read never misses an
/// event whose cause is already over. What is still waiting when the process dies is lost from here; the caller keeps
/// a durable trace of its own (for API requests: the admission row, recorded as "outcome unknown" at the next start);
/// the same holds for an event whose writes fail: it is dropped, not retried forever.
package final class DeferredAuditEvents: Sendable {
    package struct Pending: Sendable {
        let event: AuditEvent
        let along: @Sendable (Transaction) throws -> Void
    }

    private let pending = Mutex<[Pending]>([])
    private let flushScheduled = Mutex(false)
    private let queue = DispatchQueue(label: "verbund.audit.deferred")
    /// How long an event may wait for another transaction to carry it.
    package let delay: Duration

    package init(delay: Duration = .milliseconds(20)) {
        self.delay = delay
    }

    /// Queues `event`; `flush` runs after `delay` unless a transaction carried it before.
    func add(_ event: Pending, flush: @escaping @Sendable () -> Void) {
        pending.withLock { $0.append(event) }
        let schedule = flushScheduled.withLock { scheduled -> Bool in
            defer { scheduled = true }
            return !scheduled
        }
        guard schedule else { return }
        let nanoseconds = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
            flushScheduled.withLock { $0 = false }
            flush()
        }
    }

    /// Everything waiting now, in the order it came; the caller writes it or gives it back.
    func take() -> [Pending] {
        pending.withLock { waiting in
            defer { waiting.removeAll() }
            return waiting
        }
    }

    /// Events a failed transaction could not write wait again, ahead of newer ones.
    func giveBack(_ events: [Pending]) {
        guard !events.isEmpty else { return }
        pending.withLock { $0.insert(contentsOf: events, at: 0) }
    }

    /// Events waiting now.
    package var count: Int { pending.withLock { $0.count } }
}
