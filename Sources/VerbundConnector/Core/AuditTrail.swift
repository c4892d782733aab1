import Foundation
import VerbundAudit
import VerbundStore

/// The connector's side of the tamper-evident log (docs/design.md §17 "Audit"): every decision and state change is appended
/// as an `AuditEvent` inside the transaction that makes the change, so the change and its record commit together.
///
/// Signed tree heads are layered on top by the audit module; this type only appends and reads.
package struct AuditTrail: Sendable {
    package let log: MerkleLog
    private let clock: @Sendable () -> Date
    /// Events appended with the next transaction instead of one of their own (`recordSoon`).
    package let deferred: DeferredAuditEvents

    package init(database: Database, clock: @escaping @Sendable () -> Date, deferred: DeferredAuditEvents = DeferredAuditEvents()) {
        self.log = MerkleLog(database: database)
        self.clock = clock
        self.deferred = deferred
    }

    /// Appends `event` in `tx`; visible (and part of the tree) when `tx` commits.
    @discardableResult
    package func record(_ event: AuditEvent, in tx: Transaction) throws -> LogEntry {
        let milliseconds = Int64((clock().timeIntervalSince1970 * 1000).rounded(.down))
        return try log.append(event.entry(atMilliseconds: milliseconds), in: tx)
    }

    /// Appends `event` in a transaction of its own (events that change no other state, e.g. a refused registry).
    @discardableResult
    package func record(_ event: AuditEvent) throws -> LogEntry {
        try log.database.transaction { tx in try record(event, in: tx) }
    }

    /// Appends `event`, with the writes of `along`, in the next transaction opened through `transaction(_:)` or within
    /// `deferred.delay` in one of its own (`DeferredAuditEvents`): for records written after their cause is over,
    /// whose caller must not wait for a commit.
    package func recordSoon(_ event: AuditEvent, along: @escaping @Sendable (Transaction) throws -> Void = { _ in }) {
        let trail = self
        deferred.add(DeferredAuditEvents.Pending(event: event, along: along)) { try? trail.flushDeferred() }
    }

    /// A write transaction that first appends the events waiting in `recordSoon`; they share its commit. If it fails,
    /// they wait again.
    package func transaction<T: Sendable>(_ body: (Transaction) throws -> T) throws -> T {
        let carried = deferred.take()
        do {
            return try log.database.transaction { tx in
                for waiting in carried { try write(waiting, in: tx) }
                return try body(tx)
            }
        } catch {
            deferred.giveBack(carried)
            throw error
        }
    }

    /// One waiting event and its writes in a savepoint: one that cannot be written is dropped (its caller's durable
    /// trace stays, e.g. an API request row is recorded as "outcome unknown" at the next start) instead of failing
    /// every later transaction that would carry it.
    private func write(_ waiting: DeferredAuditEvents.Pending, in tx: Transaction) throws {
        try tx.execute("SAVEPOINT deferred_event")
        do {
            try waiting.along(tx)
            try record(waiting.event, in: tx)
        } catch {
            try tx.execute("ROLLBACK TO deferred_event")
        }
        try tx.execute("RELEASE deferred_event")
    }

    /// Appends every event waiting in `recordSoon` now; readers of the log call it first.
    package func flushDeferred() throws {
        guard deferred.count > 0 else { return }
        try transaction { _ in }
    }

    /// Number of entries in the log (after the waiting events).
    package func size() throws -> Int {
        try flushDeferred()
        return try log.size()
    }

    /// The `kind` of every entry from `index` on, in log order (for operators' tools and tests).
    package func kinds(from index: Int = 0) throws -> [String] {
        try flushDeferred()
        return try log.database.read { tx in
            try log.entries(index..<(try log.size(in: tx)), in: tx).map { entry in
                try entry.value()["kind"]?.stringValue ?? ""
            }
        }
    }
}
