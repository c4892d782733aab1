import Foundation

/// Why an outbox operation was refused.
package enum OutboxError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidMessage(id: String, reason: String)
    case unknownMessage(id: String)
    case alreadyDelivered(id: String)
    case corruptRow(id: String, reason: String)

    package var description: String {
        switch self {
        case .invalidMessage(let id, let reason): "outbox message '\(id)' was not enqueued: \(reason)"
        case .unknownMessage(let id): "the outbox holds no message '\(id)'"
        case .alreadyDelivered(let id): "outbox message '\(id)' was already delivered"
        case .corruptRow(let id, let reason): "outbox message '\(id)' is unreadable: \(reason)"
        }
    }
}

/// The transactional outbox (docs/design.md §5 "Nothing is lost"): a state change and the messages it
/// causes are written in one transaction with `enqueue(_:in:)`; a dispatcher polls `due`, sends,
/// and calls `markDelivered` or `reschedule`. After a crash, undelivered messages are simply due
/// again, so delivery is at-least-once and peers deduplicate by message id.
///
/// Time is always passed in; nothing here reads the clock.
package struct OutboxStore: Sendable {
    package let database: Database

    package init(database: Database) {
        self.database = database
    }

    private static let columns = """
        id, destination, method, path, body, created_at_ms, next_attempt_at_ms, attempts, last_error, delivered_at_ms
        """

    // MARK: Writing inside the caller's transaction

    /// Adds a message in the caller's transaction; it becomes visible to `due` only when that commits.
    package func enqueue(_ message: OutboxMessage, in tx: Transaction) throws {
        if let reason = message.validationProblem { throw OutboxError.invalidMessage(id: message.id, reason: reason) }
        try tx.execute("INSERT INTO outbox (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            .text(message.id), .text(message.destination.absoluteString), .text(message.method), .text(message.path),
            .blob(message.body), .integer(StoredTime.milliseconds(message.createdAt)),
            .integer(StoredTime.milliseconds(message.nextAttemptAt)), .integer(Int64(message.attempts)),
            SQLiteValue(message.lastError), SQLiteValue(message.deliveredAt.map(StoredTime.milliseconds)),
        ])
    }

    /// Adds a new message due immediately (`nextAttemptAt = createdAt = now`).
    package func enqueue(in tx: Transaction, id: String, destination: URL, method: String, path: String,
                        body: [UInt8], now: Date) throws {
        try enqueue(OutboxMessage(id: id, destination: destination, method: method, path: path, body: body,
                                  createdAt: now, nextAttemptAt: now), in: tx)
    }

    /// Records the peer's acknowledgement. Marking twice is harmless (returns false the second time).
    @discardableResult
    package func markDelivered(id: String, at time: Date, in tx: Transaction) throws -> Bool {
        let changed = try tx.execute("UPDATE outbox SET delivered_at_ms = ? WHERE id = ? AND delivered_at_ms IS NULL",
                                     [.integer(StoredTime.milliseconds(time)), .text(id)])
        if changed == 1 { return true }
        guard try tx.queryFirst("SELECT 1 FROM outbox WHERE id = ?", [.text(id)]) != nil else {
            throw OutboxError.unknownMessage(id: id)
        }
        return false
    }

    /// Records a failed attempt: one more attempt, the reason, and when to try again.
    package func reschedule(id: String, nextAttempt: Date, lastError: String, in tx: Transaction) throws {
        let changed = try tx.execute("""
            UPDATE outbox SET attempts = attempts + 1, next_attempt_at_ms = ?, last_error = ?
            WHERE id = ? AND delivered_at_ms IS NULL
            """, [.integer(StoredTime.milliseconds(nextAttempt)), .text(lastError), .text(id)])
        guard changed == 0 else { return }
        guard try tx.queryFirst("SELECT 1 FROM outbox WHERE id = ?", [.text(id)]) != nil else {
            throw OutboxError.unknownMessage(id: id)
        }
        throw OutboxError.alreadyDelivered(id: id)
    }

    /// Records a failed attempt and schedules the next one with `backoff`; returns the new time.
    /// `jitter` is the [0, 1] input of `RetryBackoff.delay(forAttempt:jitter:)`.
    @discardableResult
    package func recordFailure(id: String, error: String, now: Date, backoff: RetryBackoff = .standard,
                              jitter: Double, in tx: Transaction) throws -> Date {
        guard let row = try tx.queryFirst("SELECT attempts FROM outbox WHERE id = ?", [.text(id)]) else {
            throw OutboxError.unknownMessage(id: id)
        }
        let attempt = try row.int("attempts") + 1
        let delay = backoff.delay(forAttempt: attempt, jitter: jitter)
        let next = now.addingTimeInterval(delay.inSeconds)
        try reschedule(id: id, nextAttempt: next, lastError: error, in: tx)
        return next
    }

    // MARK: Convenience: each call in its own transaction

    package func markDelivered(id: String, at time: Date) throws {
        try database.transaction { tx in _ = try markDelivered(id: id, at: time, in: tx) }
    }

    package func reschedule(id: String, nextAttempt: Date, lastError: String) throws {
        try database.transaction { tx in
            try reschedule(id: id, nextAttempt: nextAttempt, lastError: lastError, in: tx)
        }
    }

    @discardableResult
    package func recordFailure(id: String, error: String, now: Date, backoff: RetryBackoff = .standard,
                              jitter: Double) throws -> Date {
        try database.transaction { tx in
            try recordFailure(id: id, error: error, now: now, backoff: backoff, jitter: jitter, in: tx)
        }
    }

    /// Takes up to `limit` due messages for delivery: returns them and moves their next attempt to
    /// `now + lease`, so a second dispatcher (or the next poll) does not send them again meanwhile.
    /// The dispatcher then calls `markDelivered` or `recordFailure`; if it dies first, the
    /// messages fall due again when the lease ends.
    package func claimDue(now: Date, limit: Int, lease: Duration) throws -> [OutboxMessage] {
        let until = StoredTime.milliseconds(now.addingTimeInterval(max(lease.inSeconds, 0)))
        return try database.transaction { tx in
            let messages = try due(now: now, limit: limit, in: tx)
            for message in messages {
                try tx.execute("UPDATE outbox SET next_attempt_at_ms = ? WHERE id = ?",
                               [.integer(until), .text(message.id)])
            }
            return messages
        }
    }

    // MARK: Reading

    /// Undelivered messages whose next attempt is at or before `now`, oldest schedule first; messages with the same
    /// schedule in the order they were enqueued (`rowid` grows with every insert).
    package func due(now: Date, limit: Int) throws -> [OutboxMessage] {
        try database.read { tx in try due(now: now, limit: limit, in: tx) }
    }

    /// `due(now:limit:)` inside the caller's transaction; messages to the destinations in `skipping` are left out (a
    /// dispatcher skips peers whose delivery slots are all taken, so their backlog does not fill the batch).
    package func due(now: Date, limit: Int, skipping: Set<String> = [], in tx: Transaction) throws -> [OutboxMessage] {
        let skipped = skipping.sorted()
        let exclusion = skipped.isEmpty ? "" : " AND destination NOT IN (" + skipped.map { _ in "?" }.joined(separator: ", ") + ")"
        return try tx.query("""
            SELECT \(Self.columns) FROM outbox
            WHERE delivered_at_ms IS NULL AND next_attempt_at_ms <= ?\(exclusion)
            ORDER BY next_attempt_at_ms, created_at_ms, rowid LIMIT ?
            """, [.integer(StoredTime.milliseconds(now))] + skipped.map { .text($0) } + [.integer(Int64(max(limit, 0)))])
            .map(Self.message)
    }

    /// One message by id, delivered or not.
    package func message(id: String) throws -> OutboxMessage? {
        try database.read { tx in
            try tx.queryFirst("SELECT \(Self.columns) FROM outbox WHERE id = ?", [.text(id)]).map(Self.message)
        }
    }

    /// Number of messages not yet delivered (a health metric).
    package func pendingCount() throws -> Int {
        try database.read { tx in
            try tx.queryFirst("SELECT count(*) FROM outbox WHERE delivered_at_ms IS NULL")?.int("count(*)") ?? 0
        }
    }

    /// Deletes delivered messages acknowledged before `time`; returns how many.
    @discardableResult
    package func purgeDelivered(before time: Date) throws -> Int {
        try database.transaction { tx in
            try tx.execute("DELETE FROM outbox WHERE delivered_at_ms IS NOT NULL AND delivered_at_ms < ?",
                           [.integer(StoredTime.milliseconds(time))])
        }
    }

    private static func message(_ row: Row) throws -> OutboxMessage {
        let id = try row.string("id")
        let text = try row.string("destination")
        guard let destination = URL(string: text) else {
            throw OutboxError.corruptRow(id: id, reason: "destination '\(text)' is not a URL")
        }
        return OutboxMessage(
            id: id, destination: destination, method: try row.string("method"), path: try row.string("path"),
            body: try row.blob("body"), createdAt: StoredTime.date(try row.int64("created_at_ms")),
            nextAttemptAt: StoredTime.date(try row.int64("next_attempt_at_ms")), attempts: try row.int("attempts"),
            lastError: try row.optionalString("last_error"),
            deliveredAt: try row.optionalInt64("delivered_at_ms").map(StoredTime.date))
    }
}
