import CSQLite

/// A failed SQLite call: the primary and extended result codes, SQLite's own message,
/// what Verbund was doing and the SQL that failed.
package struct SQLiteError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, …).
    package let resultCode: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …); equals `resultCode` when SQLite gives none.
    package let extendedResultCode: Int32
    /// `sqlite3_errmsg` text, or a Verbund message for errors detected before SQLite was called.
    package let message: String
    /// What was being done, e.g. "preparing a statement" or "opening /var/lib/verbund/state.sqlite".
    package let operation: String
    /// The SQL statement involved, if any.
    package let sql: String?

    package init(resultCode: Int32, extendedResultCode: Int32? = nil, message: String, operation: String,
                sql: String? = nil) {
        self.resultCode = resultCode
        self.extendedResultCode = extendedResultCode ?? resultCode
        self.message = message
        self.operation = operation
        self.sql = sql
    }

    /// Reads code, extended code and message from a connection right after a failed call.
    static func last(on db: OpaquePointer?, code: Int32, operation: String, sql: String?) -> SQLiteError {
        guard let db else {
            return SQLiteError(resultCode: code & 0xff, extendedResultCode: code, message: errorString(code),
                               operation: operation, sql: sql)
        }
        let extended = sqlite3_extended_errcode(db)
        return SQLiteError(resultCode: code & 0xff, extendedResultCode: extended == 0 ? code : extended,
                           message: String(cString: sqlite3_errmsg(db)), operation: operation, sql: sql)
    }

    /// An API misuse detected by Verbund itself (wrong parameter count, transaction used after it ended, …).
    static func misuse(_ message: String, operation: String, sql: String? = nil) -> SQLiteError {
        SQLiteError(resultCode: SQLITE_MISUSE, message: message, operation: operation, sql: sql)
    }

    /// A column held a different type than the caller asked for.
    static func mismatch(_ message: String) -> SQLiteError {
        SQLiteError(resultCode: SQLITE_MISMATCH, message: message, operation: "reading a result column")
    }

    /// True for any `SQLITE_CONSTRAINT` (unique, foreign key, check, not null, trigger RAISE(ABORT)).
    package var isConstraintViolation: Bool { resultCode == SQLITE_CONSTRAINT }

    /// True when another connection holds the lock longer than the busy timeout.
    package var isBusy: Bool { resultCode == SQLITE_BUSY || resultCode == SQLITE_LOCKED }

    /// SQLite's short name for the extended code, e.g. "constraint failed".
    package var codeDescription: String { Self.errorString(extendedResultCode) }

    package var description: String {
        var text = "SQLite error \(resultCode)/\(extendedResultCode) (\(codeDescription))"
        text += " while \(operation): \(message)"
        if let sql { text += " [SQL: \(sql)]" }
        if let advice { text += ". \(advice)" }
        return text
    }

    /// What an operator can do about the error, where there is something to do.
    package var advice: String? {
        switch resultCode {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return "Another process holds the database lock; "
                + "check that only one verbund daemon uses this data directory"
        case SQLITE_CANTOPEN:
            return "Check that the directory exists and that the daemon's user may read and write it"
        case SQLITE_READONLY, SQLITE_PERM:
            return "The database file or its directory is not writable by the daemon's user"
        case SQLITE_FULL:
            return "The disk is full; free space and restart"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return "The file is not a Verbund database or is damaged; restore it from a backup"
        case SQLITE_IOERR:
            return "The operating system reported an I/O error; check the disk and the system log"
        default:
            return nil
        }
    }

    static func errorString(_ code: Int32) -> String {
        String(cString: sqlite3_errstr(code))
    }
}
