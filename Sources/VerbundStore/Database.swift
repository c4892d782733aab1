import CSQLite
import Glibc
import Synchronization

/// A SQLite database file shared by every thread of the daemon.
///
/// Two connections, each behind its own `Mutex`, so statements never interleave and the type is `Sendable` without
/// escape hatches in its public surface:
/// - the **writer** runs every `transaction`. Writers that find others waiting for the writer lock share one SQLite
///   transaction (`CommitGroup`): each runs its closure in a savepoint of it, the last one commits, and every member
///   returns only after that commit — one `fsync` for the group instead of one each, and nothing is acknowledged
///   before it is on disk;
/// - the **reader** runs every `read` (WAL lets it read while the writer writes), so reads never queue behind commits
///   and only ever see committed data — never a group's changes before its commit.
/// Both run in WAL mode with `synchronous=FULL` (a commit that returned is on disk), `foreign_keys=ON` and a busy
/// timeout for other processes. An in-memory database (`:memory:`) has one connection for both and no groups.
///
/// Closures must not call back into the same `Database` (the locks are not recursive); use the
/// `Transaction` they are given. Such a nested call throws `SQLITE_MISUSE` instead of deadlocking.
package final class Database: Sendable {
    /// Connection settings.
    package struct Configuration: Sendable {
        /// How long to wait for another process's lock before failing with `SQLITE_BUSY`.
        package var busyTimeout: Duration
        /// When a group of write transactions commits.
        package var commitGroups = CommitGroup.Limits()

        package init(busyTimeout: Duration = .seconds(5)) {
            self.busyTimeout = busyTimeout
        }
    }

    private struct Writer {
        var connection: SQLiteConnection?
        /// The open group transaction, if members are waiting for its commit.
        var group: CommitGroup?
    }

    /// The file path, or `:memory:`.
    package let path: String
    private let writer: Mutex<Writer>
    /// Holds nil for `:memory:`, whose data only the writer's connection sees (`separateReader` false).
    private let reader: Mutex<SQLiteConnection?>
    private let separateReader: Bool
    private let groups: CommitGroup.Limits
    /// Writers waiting for the writer lock: while there are some, a finished member leaves its group open for them.
    private let waitingWriters = Atomic<Int>(0)
    /// The thread inside a writer or reader closure right now (0 if none), to refuse nested calls.
    private let writerOwner = Atomic<UInt>(0)
    private let commits = Atomic<Int>(0)
    private let readerOwner = Atomic<UInt>(0)

    /// Opens (creating if needed, with mode 0600) the database at `path`.
    package init(path: String, configuration: Configuration = Configuration()) throws(SQLiteError) {
        self.path = path
        groups = configuration.commitGroups
        writer = Mutex(Writer(connection: try SQLiteConnection(path: path, configuration: configuration), group: nil))
        separateReader = path != ":memory:"
        if separateReader {
            let connection = try SQLiteConnection(path: path, configuration: configuration)
            try connection.cached("PRAGMA query_only = 1").run()
            reader = Mutex(connection)
        } else {
            reader = Mutex(nil)
        }
    }

    /// Commits a group still waiting for a member, then closes both connections; later calls throw `SQLITE_MISUSE`.
    /// An open transaction of a running closure cannot exist here (closures hold the locks).
    package func close() {
        let closing = writer.withLock { state -> SQLiteConnection? in
            if let group = state.group, let db = state.connection {
                state.group = nil
                group.finish(commit(db))
            }
            let current = state.connection
            state.connection = nil
            return current
        }
        let closingReader = reader.withLock { state -> SQLiteConnection? in
            let current = state
            state = nil
            return current
        }
        _ = (closing, closingReader)  // released here, outside the locks
    }

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE`, so the write lock is taken up front
    /// and a later statement cannot fail with a deadlock). Returns once its changes are committed; rolls back
    /// its changes if it throws, and rethrows its error.
    @discardableResult
    package func transaction<T: Sendable>(_ body: (Transaction) throws -> T) throws -> T {
        try refuseNesting(operation: "starting a transaction")
        guard separateReader else { return try alone(readOnly: false, body) }
        waitingWriters.add(1, ordering: .relaxed)
        var joined = true
        defer { if joined { waitingWriters.subtract(1, ordering: .relaxed) } }
        let (value, group, committed): (T, CommitGroup?, [@Sendable () -> Void]) = try writer.withLock { state throws -> (T, CommitGroup?, [@Sendable () -> Void]) in
            waitingWriters.subtract(1, ordering: .relaxed)
            joined = false
            writerOwner.store(UInt(pthread_self()), ordering: .releasing)
            defer { writerOwner.store(0, ordering: .releasing) }
            guard let db = state.connection else {
                throw SQLiteError.misuse("the database \(path) is closed", operation: "starting a transaction")
            }
            return try member(of: &state, db: db, body)
        }
        try group?.wait()
        for action in committed { action() }
        return value
    }

    /// Runs `body` in a savepoint of the open group transaction (opening one if there is none), then either commits
    /// the group or leaves it open for the writers waiting to join (returning it to wait on). A member that throws
    /// takes only its own changes back; the group still commits (or waits) for the others.
    private func member<T: Sendable>(of state: inout Writer, db: SQLiteConnection,
                                     _ body: (Transaction) throws -> T) throws -> (T, CommitGroup?, [@Sendable () -> Void]) {
        let group: CommitGroup
        if let open = state.group {
            group = open
        } else {
            try db.cached("BEGIN IMMEDIATE").run()
            group = CommitGroup(opened: .now)
            state.group = group
        }
        let outcome: Result<T, any Error>
        let scope = Transaction.Scope(readOnly: false)
        do {
            try db.cached("SAVEPOINT member").run()
            defer { scope.isActive = false }
            let value = try body(Transaction(connection: db, scope: scope))
            guard db.inTransaction else {
                throw SQLiteError.misuse("the transaction ended inside its closure (COMMIT or ROLLBACK in the body)",
                                         operation: "committing")
            }
            try db.cached("RELEASE member").run()
            group.members += 1
            outcome = .success(value)
        } catch {
            outcome = .failure(error)
            if db.inTransaction {
                _ = try? db.cached("ROLLBACK TO member").run()
                _ = try? db.cached("RELEASE member").run()
            } else {
                // SQLite rolled back the whole transaction by itself (e.g. SQLITE_FULL): the group is lost.
                state.group = nil
                group.finish(.failure(error as? SQLiteError ?? SQLiteError.misuse("\(error)", operation: "committing")))
                throw error
            }
        }
        if group.members == 0 {
            // Nobody's changes are in it: end it without an fsync.
            state.group = nil
            _ = try? db.cached("ROLLBACK").run()
            group.finish(.success(()))
        } else if groups.commitsNow(members: group.members, opened: group.opened, now: .now,
                                    waiting: waitingWriters.load(ordering: .relaxed)) {
            state.group = nil
            let committed = commit(db)
            group.finish(committed)
            let value = try outcome.get()
            try committed.get()
            return (value, nil, scope.afterCommit)
        }
        return (try outcome.get(), group, scope.afterCommit)
    }

    /// Writers waiting for the writer lock right now, and group commits so far (each one `fsync`): what grouping
    /// saves is the number of write transactions minus `groupCommits`.
    package var waitingWriterCount: Int { waitingWriters.load(ordering: .relaxed) }
    package var groupCommits: Int { commits.load(ordering: .relaxed) }

    private func commit(_ db: SQLiteConnection) -> Result<Void, SQLiteError> {
        do {
            try db.cached("COMMIT").run()
            commits.add(1, ordering: .relaxed)
            return .success(())
        } catch {
            if db.inTransaction { _ = try? db.cached("ROLLBACK").run() }
            return .failure(error)
        }
    }

    /// Runs `body` in a read transaction: one consistent snapshot of committed data, writes refused (`query_only`).
    @discardableResult
    package func read<T: Sendable>(_ body: (Transaction) throws -> T) throws -> T {
        try refuseNesting(operation: "starting a read")
        guard separateReader else { return try alone(readOnly: true, body) }
        return try reader.withLock { state throws -> T in
            readerOwner.store(UInt(pthread_self()), ordering: .releasing)
            defer { readerOwner.store(0, ordering: .releasing) }
            guard let db = state else {
                throw SQLiteError.misuse("the database \(path) is closed", operation: "starting a read")
            }
            return try Self.run(db, readOnly: true, body)
        }
    }

    /// Only this thread can have stored its own id, so these checks cannot race with another thread.
    private func refuseNesting(operation: String) throws(SQLiteError) {
        let me = UInt(pthread_self())
        guard writerOwner.load(ordering: .acquiring) != me, readerOwner.load(ordering: .acquiring) != me else {
            throw SQLiteError.misuse("a transaction was started inside another transaction's closure on \(path); "
                                     + "use the Transaction passed to the closure", operation: operation)
        }
    }

    /// `:memory:`: reads and writes on the one connection, a commit each.
    private func alone<T: Sendable>(readOnly: Bool, _ body: (Transaction) throws -> T) throws -> T {
        try writer.withLock { state throws -> T in
            writerOwner.store(UInt(pthread_self()), ordering: .releasing)
            defer { writerOwner.store(0, ordering: .releasing) }
            guard let db = state.connection else {
                throw SQLiteError.misuse("the database \(path) is closed", operation: "starting a transaction")
            }
            if readOnly { try db.cached("PRAGMA query_only = 1").run() }
            defer { if readOnly { _ = try? db.cached("PRAGMA query_only = 0").run() } }
            return try Self.run(db, readOnly: readOnly, body)
        }
    }

    /// One transaction of its own on `db`: commits if `body` returns, rolls back if it throws.
    private static func run<T: Sendable>(_ db: SQLiteConnection, readOnly: Bool, _ body: (Transaction) throws -> T) throws -> T {
        let scope = Transaction.Scope(readOnly: readOnly)
        defer { scope.isActive = false }
        try db.cached(readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE").run()
        do {
            let result = try body(Transaction(connection: db, scope: scope))
            guard db.inTransaction else {
                throw SQLiteError.misuse("the transaction ended inside its closure (COMMIT or ROLLBACK in the body)",
                                         operation: "committing")
            }
            try db.cached("COMMIT").run()
            for action in scope.afterCommit { action() }
            return result
        } catch {
            // SQLite may already have rolled back by itself (e.g. SQLITE_FULL); ROLLBACK would then fail.
            if db.inTransaction { _ = try? db.cached("ROLLBACK").run() }
            throw error
        }
    }
}
