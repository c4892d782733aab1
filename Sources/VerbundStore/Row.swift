/// One result row, copied out of SQLite so it outlives the statement.
package struct Row: Sendable, Hashable {
    /// Column names, in result order.
    package let columns: [String]
    /// Values, in result order.
    package let values: [SQLiteValue]

    package init(columns: [String], values: [SQLiteValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value at a 0-based position.
    package subscript(index: Int) -> SQLiteValue { values[index] }

    /// The value of the named column.
    package func value(_ column: String) throws(SQLiteError) -> SQLiteValue {
        guard let index = columns.firstIndex(of: column) else {
            let known = columns.joined(separator: ", ")
            throw SQLiteError.mismatch("the result has no column '\(column)' (columns: \(known))")
        }
        return values[index]
    }

    package func int64(_ column: String) throws(SQLiteError) -> Int64 {
        guard case .integer(let number) = try value(column) else { throw wrongType(column, expected: "INTEGER") }
        return number
    }

    package func int(_ column: String) throws(SQLiteError) -> Int {
        Int(try int64(column))
    }

    package func double(_ column: String) throws(SQLiteError) -> Double {
        switch try value(column) {
        case .real(let number): return number
        case .integer(let number): return Double(number)
        default: throw wrongType(column, expected: "REAL")
        }
    }

    package func string(_ column: String) throws(SQLiteError) -> String {
        guard case .text(let text) = try value(column) else { throw wrongType(column, expected: "TEXT") }
        return text
    }

    package func blob(_ column: String) throws(SQLiteError) -> [UInt8] {
        guard case .blob(let bytes) = try value(column) else { throw wrongType(column, expected: "BLOB") }
        return bytes
    }

    /// nil for NULL, otherwise the text.
    package func optionalString(_ column: String) throws(SQLiteError) -> String? {
        if case .null = try value(column) { return nil }
        return try string(column)
    }

    /// nil for NULL, otherwise the integer.
    package func optionalInt64(_ column: String) throws(SQLiteError) -> Int64? {
        if case .null = try value(column) { return nil }
        return try int64(column)
    }

    private func wrongType(_ column: String, expected: String) -> SQLiteError {
        let found = (try? value(column).typeName) ?? "missing"
        return SQLiteError.mismatch("column '\(column)' holds \(found), expected \(expected)")
    }
}
