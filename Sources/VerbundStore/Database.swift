import CSQLite
import Glibc
import Synchronization

/// A SQLite database file shared by every thread of the daemon.
///
/// One connection sits behind a `Mutex`: callers get it for the duration of a `transaction` or
/// `read` closure, so statements never interleave and the type is `Sendable` without escape
/// hatches in its public surface. The connection runs in WAL mode with `synchronous=FULL`
/// (a commit that returned is on disk), `foreign_keys=ON` and a busy timeout for other processes.
///
/// Closures must not call back into the same `Database` (the lock is not recursive); use the
/// `Transaction` they are given. Such a nested call throws `SQLITE_MISUSE` instead of deadlocking.
package final class Database: Sendable {
    /// Connection settings.
    package struct Configuration: Sendable {
        /// How long to wait for another process's lock before failing with `SQLITE_BUSY`.
        package var busyTimeout: Duration

        package init(busyTimeout: Duration = .seconds(5)) {
            self.busyTimeout = busyTimeout
        }
    }

    /// The file path, or `:memory:`.
    package let path: String
    private let connection: Mutex<SQLiteConnection?>
    /// The thread inside a closure right now (0 if none), to refuse nested calls.
    private let owner = Atomic<UInt>(0)

    /// Opens (creating if needed, with mode 0600) the database at `path`.
    package init(path: String, configuration: Configuration = Configuration()) throws(SQLiteError) {
        self.path = path
        connection = Mutex(try SQLiteConnection(path: path, configuration: configuration))
    }

    /// Closes the connection; later calls throw `SQLITE_MISUSE`. An open transaction cannot exist
    /// here (closures hold the lock), so nothing uncommitted is lost by closing.
    package func close() {
        let closing = connection.withLock { state -> SQLiteConnection? in
            let current = state
            state = nil
            return current
        }
        _ = closing  // released here, outside the lock
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`, so the write lock is taken up front
    /// and a later statement cannot fail with a deadlock). Commits if `body` returns, rolls back
    /// if it throws, and rethrows its error.
    @discardableResult
    package func transaction<T: Sendable>(_ body: (Transaction) throws -> T) throws -> T {
        try withConnection(readOnly: false, body)
    }

    /// Runs `body` in a read transaction: one consistent snapshot, writes refused (`query_only`).
    @discardableResult
    package func read<T: Sendable>(_ body: (Transaction) throws -> T) throws -> T {
        try withConnection(readOnly: true, body)
    }

    private func withConnection<T: Sendable>(readOnly: Bool, _ body: (Transaction) throws -> T) throws -> T {
        let me = UInt(pthread_self())
        // Only this thread can have stored its own id, so this check cannot race with another thread.
        guard owner.load(ordering: .acquiring) != me else {
            throw SQLiteError.misuse("a transaction was started inside another transaction's closure on \(path); "
                                     + "use the Transaction passed to the closure", operation: "starting a transaction")
        }
        return try connection.withLock { state throws -> T in
            owner.store(me, ordering: .releasing)
            defer { owner.store(0, ordering: .releasing) }
            guard let db = state else {
                throw SQLiteError.misuse("the database \(path) is closed", operation: "starting a transaction")
            }
            if readOnly {
                try db.cached("PRAGMA query_only = 1").run()
            }
            // Registered before BEGIN so that a failed BEGIN cannot leave the connection read-only.
            let scope = Transaction.Scope(readOnly: readOnly)
            defer {
                scope.isActive = false
                if readOnly { _ = try? db.cached("PRAGMA query_only = 0").run() }
            }
            try db.cached(readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE").run()
            do {
                let result = try body(Transaction(connection: db, scope: scope))
                guard db.inTransaction else {
                    throw SQLiteError.misuse(
                        "the transaction ended inside its closure (COMMIT or ROLLBACK in the body)",
                        operation: "committing")
                }
                try db.cached("COMMIT").run()
                return result
            } catch {
                // SQLite may already have rolled back by itself (e.g. SQLITE_FULL); ROLLBACK would then fail.
                if db.inTransaction { _ = try? db.cached("ROLLBACK").run() }
                throw error
            }
        }
    }
}
