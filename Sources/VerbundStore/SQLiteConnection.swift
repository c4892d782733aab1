import CSQLite
import Glibc

/// Owns one `sqlite3` handle and its statement cache.
///
/// `@unchecked Sendable` because `Database` keeps it inside a `Mutex` and touches it only while
/// holding that lock; nothing else ever sees it.
final class SQLiteConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private var cache: [String: Statement] = [:]
    /// Cached statements kept at most; the connector uses a few dozen distinct statements.
    private static let cacheLimit = 128

    init(path: String, configuration: Database.Configuration) throws(SQLiteError) {
        let inMemory = path == ":memory:"
        if !inMemory {
            try Self.createPrivately(path)
        }
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let error = SQLiteError.last(on: db, code: code, operation: "opening \(path)", sql: nil)
            sqlite3_close_v2(db)  // SQLite allocates a handle even when opening fails
            throw error
        }
        handle = db
        // From here on deinit closes the handle if configuration fails.
        sqlite3_busy_timeout(db, Int32(clamping: Int64(configuration.busyTimeout.inSeconds * 1000)))
        let dqs = shim_sqlite3_disable_double_quoted_strings(db)
        guard dqs == SQLITE_OK else {
            throw SQLiteError.last(on: db, code: dqs, operation: "configuring \(path)", sql: nil)
        }
        if !inMemory {
            // WAL: readers never block the writer, and a commit is one append to the log.
            let mode = try prepare("PRAGMA journal_mode = WAL").rows().first?[0]
            guard mode == .text("wal") else {
                let found = mode.map { "\($0)" } ?? "unknown"
                throw SQLiteError(resultCode: SQLITE_ERROR, message: "journal mode is \(found), expected wal",
                                  operation: "enabling write-ahead logging on \(path)", sql: "PRAGMA journal_mode = WAL")
            }
        }
        // FULL: in WAL mode every commit is fsynced, so an acknowledged write survives kill -9 and power loss.
        try prepare("PRAGMA synchronous = FULL").run()
        try prepare("PRAGMA foreign_keys = ON").run()
        try prepare("PRAGMA trusted_schema = OFF").run()
    }

    deinit {
        cache.removeAll()
        // close_v2 defers the close until every statement a caller still holds is finalized.
        sqlite3_close_v2(handle)
    }

    /// Creates a new database file readable by its owner only: the state holds contracts and tokens.
    /// SQLite gives the -wal and -shm files the same permissions.
    private static func createPrivately(_ path: String) throws(SQLiteError) {
        let fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        let error = errno
        guard error == EEXIST else {
            throw SQLiteError(resultCode: SQLITE_CANTOPEN, message: String(cString: strerror(error)),
                              operation: "creating \(path)")
        }
    }

    /// A fresh statement the caller owns.
    func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try Statement(connection: handle, sql: sql, persistent: false)
    }

    /// A statement from the cache, prepared once per connection.
    func cached(_ sql: String) throws(SQLiteError) -> Statement {
        if let statement = cache[sql] { return statement }
        let statement = try Statement(connection: handle, sql: sql, persistent: true)
        if cache.count >= Self.cacheLimit { cache.removeAll() }
        cache[sql] = statement
        return statement
    }

    /// True while a transaction is open (SQLite is not in autocommit mode).
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs every statement of a script in order (migrations). Errors name the failing statement.
    func executeScript(_ script: String) throws(SQLiteError) {
        var failure: SQLiteError?
        script.withCString { start in
            var cursor: UnsafePointer<CChar>? = start
            while let current = cursor, current.pointee != 0 {
                var statement: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let code = sqlite3_prepare_v3(handle, current, -1, 0, &statement, &tail)
                let end = tail ?? current
                let text = Self.text(from: current, to: code == SQLITE_OK ? end : nil)
                guard code == SQLITE_OK else {
                    failure = .last(on: handle, code: code, operation: "preparing a script statement", sql: text)
                    sqlite3_finalize(statement)
                    return
                }
                guard let statement else { break }  // only whitespace or comments remain
                var step = sqlite3_step(statement)
                while step == SQLITE_ROW { step = sqlite3_step(statement) }
                if step != SQLITE_DONE {
                    failure = .last(on: handle, code: step, operation: "executing a script statement", sql: text)
                    sqlite3_finalize(statement)
                    return
                }
                sqlite3_finalize(statement)
                cursor = end
            }
        }
        if let failure { throw failure }
    }

    /// The statement text between two pointers, trimmed; up to 300 bytes if the end is unknown.
    private static func text(from start: UnsafePointer<CChar>, to end: UnsafePointer<CChar>?) -> String {
        let count = end.map { $0 - start } ?? min(strlen(start), 300)
        let bytes = UnsafeRawBufferPointer(start: start, count: count)
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
