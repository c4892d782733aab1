import CSQLite

/// One prepared SQL statement (`sqlite3_stmt`), finalized when the value goes away.
///
/// A statement belongs to the connection it was prepared on and, like that connection, to one
/// thread at a time: use it only inside the `Database` closure that handed out its transaction.
package final class Statement {
    private let handle: OpaquePointer
    /// The SQL text this statement was prepared from (for error messages).
    package let sql: String
    /// For statements handed to callers: the transaction they belong to. Using the statement after
    /// that closure returned would run it inside whichever transaction holds the connection then.
    var scope: Transaction.Scope?

    /// Prepares exactly one statement; SQL holding several statements is rejected so that a
    /// forgotten `;` cannot silently drop the rest (use `Transaction.executeScript` for scripts).
    init(connection db: OpaquePointer, sql: String, persistent: Bool) throws(SQLiteError) {
        self.sql = sql
        var statement: OpaquePointer?
        var trailing = false
        let flags = UInt32(persistent ? SQLITE_PREPARE_PERSISTENT : 0)
        let code = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(db, text, -1, flags, &statement, &tail)
            if rc == SQLITE_OK, let tail { trailing = Statement.hasStatementText(tail) }
            return rc
        }
        guard code == SQLITE_OK else {
            sqlite3_finalize(statement)
            throw SQLiteError.last(on: db, code: code, operation: "preparing a statement", sql: sql)
        }
        guard let statement else {
            throw SQLiteError.misuse("the text holds no SQL statement", operation: "preparing a statement", sql: sql)
        }
        guard !trailing else {
            sqlite3_finalize(statement)
            throw SQLiteError.misuse("the text holds more than one SQL statement", operation: "preparing a statement",
                                     sql: sql)
        }
        handle = statement
    }

    deinit { sqlite3_finalize(handle) }

    /// True if `text` holds anything but whitespace and `;` (comments count as text: they are rare
    /// after a statement and rejecting them errs on the safe side).
    private static func hasStatementText(_ text: UnsafePointer<CChar>) -> Bool {
        var cursor = text
        while cursor.pointee != 0 {
            switch UInt8(bitPattern: cursor.pointee) {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ";"): break
            default: return true
            }
            cursor += 1
        }
        return false
    }

    private func checkScope() throws(SQLiteError) {
        if let scope, !scope.isActive {
            throw SQLiteError.misuse("the statement was used after its transaction's closure returned",
                                     operation: "using a statement", sql: sql)
        }
    }

    // MARK: Binding

    /// Number of `?` parameters in the statement.
    package var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Resets the statement and binds `values` to its parameters, in order.
    package func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        try checkScope()
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard values.count == parameterCount else {
            throw SQLiteError.misuse("the statement takes \(parameterCount) parameters but \(values.count) were given",
                                     operation: "binding parameters", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value to the 1-based parameter `index`.
    package func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        try checkScope()
        let transient = shim_sqlite_transient()
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let number):
            code = sqlite3_bind_int64(handle, index, number)
        case .real(let number):
            code = sqlite3_bind_double(handle, index, number)
        case .text(var text):
            // Explicit length keeps embedded NULs; an empty buffer may have no address, and a nil
            // pointer would bind NULL instead of "".
            code = text.withUTF8 { bytes in
                guard let base = bytes.baseAddress, bytes.count > 0 else {
                    return sqlite3_bind_text(handle, index, "", 0, transient)
                }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(bytes.count), transient, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress, raw.count > 0 else { return sqlite3_bind_zeroblob(handle, index, 0) }
                return sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(raw.count), transient)
            }
        }
        guard code == SQLITE_OK else {
            throw SQLiteError.last(on: sqlite3_db_handle(handle), code: code,
                                   operation: "binding parameter \(index)", sql: sql)
        }
    }

    // MARK: Stepping

    /// Advances to the next row; false when the statement has finished.
    @discardableResult
    package func step() throws(SQLiteError) -> Bool {
        try checkScope()
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError.last(on: sqlite3_db_handle(handle), code: code, operation: "executing a statement",
                                         sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Makes the statement ready to run again (keeps bindings).
    package func reset() {
        sqlite3_reset(handle)
    }

    /// Binds, runs to completion and returns the number of rows changed.
    @discardableResult
    package func run(_ values: [SQLiteValue] = []) throws(SQLiteError) -> Int {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() {}
        return Int(sqlite3_changes64(sqlite3_db_handle(handle)))
    }

    /// Binds, runs and collects every row.
    package func rows(_ values: [SQLiteValue] = []) throws(SQLiteError) -> [Row] {
        try bind(values)
        defer { sqlite3_reset(handle) }
        let names = columnNames
        var rows: [Row] = []
        while try step() {
            rows.append(Row(columns: names, values: currentValues()))
        }
        return rows
    }

    // MARK: Columns

    /// Number of result columns.
    package var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// Result column names as the SQL names them (`AS` aliases included).
    package var columnNames: [String] {
        (0..<Int32(columnCount)).map { index in
            sqlite3_column_name(handle, index).map { String(cString: $0) } ?? "column \(index)"
        }
    }

    /// The value of column `index` (0-based) in the current row.
    package func value(at index: Int) -> SQLiteValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let bytes = sqlite3_column_blob(handle, column), count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    /// Every column of the current row.
    package func currentValues() -> [SQLiteValue] {
        (0..<columnCount).map { value(at: $0) }
    }
}

@available(*, unavailable, message: "a statement belongs to one connection and one thread")
extension Statement: Sendable {}
