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

    package init(database: Database, clock: @escaping @Sendable () -> Date) {
        self.log = MerkleLog(database: database)
        self.clock = clock
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

    /// Number of entries in the log.
    package func size() throws -> Int { try log.size() }

    /// The `kind` of every entry from `index` on, in log order (for operators' tools and tests).
    package func kinds(from index: Int = 0) throws -> [String] {
        try log.database.read { tx in
            try log.entries(index..<(try log.size(in: tx)), in: tx).map { entry in
                try entry.value()["kind"]?.stringValue ?? ""
            }
        }
    }
}
