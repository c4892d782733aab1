/// A value SQLite stores: one of its five storage classes (https://sqlite.org/datatype3.html §2).
package enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The storage class name SQLite uses in messages and `typeof()`.
    package var typeName: String {
        switch self {
        case .null: "NULL"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        }
    }
}

extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
    ExpressibleByNilLiteral {
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(stringLiteral value: String) { self = .text(value) }
    package init(floatLiteral value: Double) { self = .real(value) }
    package init(nilLiteral: ()) { self = .null }
}

extension SQLiteValue {
    package init(_ value: Int) { self = .integer(Int64(value)) }
    package init(_ value: Int64) { self = .integer(value) }
    package init(_ value: Double) { self = .real(value) }
    package init(_ value: String) { self = .text(value) }
    package init(_ value: [UInt8]) { self = .blob(value) }
    package init(_ value: Bool) { self = .integer(value ? 1 : 0) }

    /// `.null` for nil, otherwise the wrapped value.
    package init(_ value: String?) { self = value.map(SQLiteValue.text) ?? .null }
    package init(_ value: Int64?) { self = value.map(SQLiteValue.integer) ?? .null }
    package init(_ value: [UInt8]?) { self = value.map(SQLiteValue.blob) ?? .null }
}
