/// The handle a `Database.transaction` or `Database.read` closure receives.
///
/// Valid only inside that closure, on that thread: it is not `Sendable`, and using it after the
/// closure returned throws `SQLITE_MISUSE`. Every state change and the outbox messages and log
/// entries it causes go through the same `Transaction`, so they commit or vanish together.
package struct Transaction {
    let connection: SQLiteConnection
    let scope: Scope

    /// Tracks whether the enclosing closure is still running.
    final class Scope {
        var isActive = true
        let readOnly: Bool
        /// Run on the closure's thread once its changes are committed (never after a rollback).
        var afterCommit: [@Sendable () -> Void] = []
        init(readOnly: Bool) { self.readOnly = readOnly }
    }

    init(connection: SQLiteConnection, scope: Scope) {
        self.connection = connection
        self.scope = scope
    }

    /// Runs `action` once this transaction's changes are committed — on disk and visible to every reader — on the
    /// thread that ran the closure; never if it rolls back. For telling another thread to look at what was written
    /// (a dispatcher's wake-up): a group's commit may come after the closure returned.
    package func afterCommit(_ action: @escaping @Sendable () -> Void) {
        scope.afterCommit.append(action)
    }

    /// True inside `Database.read` (the connection refuses writes there).
    package var isReadOnly: Bool { scope.readOnly }

    private func checkActive(_ sql: String) throws(SQLiteError) {
        guard scope.isActive else {
            throw SQLiteError.misuse("the transaction was used after its closure returned",
                                     operation: "using a transaction", sql: sql)
        }
    }

    /// Runs one statement (prepared once and cached) and returns the number of rows it changed.
    @discardableResult
    package func execute(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        try checkActive(sql)
        return try connection.cached(sql).run(values)
    }

    /// Runs one query and returns all its rows.
    package func query(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [Row] {
        try checkActive(sql)
        return try connection.cached(sql).rows(values)
    }

    /// The first row of a query, or nil if it returns none.
    package func queryFirst(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> Row? {
        try query(sql, values).first
    }

    /// A fresh statement for streaming large results row by row; do not keep it past the closure.
    package func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try checkActive(sql)
        let statement = try connection.prepare(sql)
        statement.scope = scope
        return statement
    }

    /// Runs a script of several statements separated by `;` (schema migrations).
    package func executeScript(_ sql: String) throws(SQLiteError) {
        try checkActive(sql)
        try connection.executeScript(sql)
    }

    /// The rowid of the most recent successful INSERT on this connection.
    package var lastInsertRowID: Int64 { connection.lastInsertRowID }
}

@available(*, unavailable, message: "a transaction belongs to the thread running its closure")
extension Transaction: Sendable {}
