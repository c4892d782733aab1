import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
import VerbundStore

/// Which entries of the connector's log to list (`GET /api/audit/entries`, the console's Protokoll): by kind (exact, or
/// a dotted prefix such as `negotiation` for every `negotiation.…`), by an identifier the entry names (dataset,
/// agreement, process), and by time (UTC days, `until` inclusive). Parsed from hostile query text with bounds, and
/// turned into one SQL statement with parameters, so the filtering happens in the database, not in memory.
package struct AuditLogFilter: Sendable, Equatable {
    package var kind: String?
    package var id: String?
    /// Milliseconds since the epoch: `from` inclusive, `before` exclusive.
    package var from: Int64?
    package var before: Int64?

    package static let maximumKind = 100
    package static let maximumID = 1000
    /// The entry fields an identifier is looked for in (docs/management-api.md, "Log entries").
    package static let idFields = ["dataset", "agreementId", "pid", "consumerPid", "providerPid", "negotiation", "id"]

    package init(kind: String? = nil, id: String? = nil, from: Int64? = nil, before: Int64? = nil) {
        self.kind = kind
        self.id = id
        self.from = from
        self.before = before
    }

    /// The filter a query asks for (`kind`, `id`, `from`, `until` as `YYYY-MM-DD`); 400 with what is wrong for anything
    /// else, an empty value included (leave the parameter out instead).
    package static func requested(_ query: [HTTPRequestTarget.QueryItem]) throws(HTTPError) -> AuditLogFilter {
        func value(_ name: String) -> String? {
            query.first { $0.name == name }?.value
        }
        var filter = AuditLogFilter()
        if let kind = value("kind") {
            guard !kind.isEmpty, kind.utf8.count <= maximumKind, kind.unicodeScalars.allSatisfy({ isKindCharacter($0) }),
                  !kind.hasPrefix("."), !kind.hasSuffix(".") else {
                throw HTTPError(.badRequest, "kind must be 1 to \(maximumKind) characters a-z 0-9 . _ - (e.g. negotiation or transfer.completed)")
            }
            filter.kind = kind
        }
        if let id = value("id") {
            guard !id.isEmpty, id.utf8.count <= maximumID, !id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw HTTPError(.badRequest, "id must be 1 to \(maximumID) bytes without control characters")
            }
            filter.id = id
        }
        if let from = value("from") {
            guard let day = Self.day(from) else { throw HTTPError(.badRequest, "from must be a day YYYY-MM-DD (UTC)") }
            filter.from = day
        }
        if let until = value("until") {
            guard let day = Self.day(until) else { throw HTTPError(.badRequest, "until must be a day YYYY-MM-DD (UTC)") }
            filter.before = day + 86_400_000
        }
        if let from = filter.from, let before = filter.before, before <= from {
            throw HTTPError(.badRequest, "until is before from")
        }
        return filter
    }

    static func isKindCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar)
    }

    /// Midnight UTC of a `YYYY-MM-DD` day in milliseconds.
    static func day(_ text: String) -> Int64? {
        guard text.utf8.count == 10, let date = XSDDateTime.parse(text + "T00:00:00Z"), XSDDateTime.formatDay(date) == text else {
            return nil
        }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The `WHERE` clause over `j` (an entry's JSON text) and its parameters, after `size`, which bounds the entries to
    /// those a signed tree head covers.
    func clause(size: Int) -> (sql: String, parameters: [SQLiteValue]) {
        var conditions = ["leaf_index < ?"]
        var parameters: [SQLiteValue] = [.integer(Int64(size))]
        if let kind {
            conditions.append("(json_extract(j, '$.kind') = ? OR substr(json_extract(j, '$.kind'), 1, ?) = ?)")
            parameters += [.text(kind), .integer(Int64(kind.utf8.count + 1)), .text(kind + ".")]
        }
        if let id {
            conditions.append("? IN (" + Self.idFields.map { "json_extract(j, '$.fields.\($0)')" }.joined(separator: ", ") + ")")
            parameters.append(.text(id))
        }
        if let from {
            conditions.append("json_extract(j, '$.at') >= ?")
            parameters.append(.integer(from))
        }
        if let before {
            conditions.append("json_extract(j, '$.at') < ?")
            parameters.append(.integer(before))
        }
        return (conditions.joined(separator: " AND "), parameters)
    }

    /// One page of the matching entries, newest first, and how many match.
    func page(size: Int, limit: Int, offset: Int, in tx: Transaction) throws -> (entries: [(index: Int, json: String)], total: Int) {
        let (condition, parameters) = clause(size: size)
        let source = "(SELECT leaf_index, CAST(entry AS TEXT) AS j FROM audit_log_leaf)"
        let total = try tx.queryFirst("SELECT COUNT(*) AS n FROM \(source) WHERE \(condition)", parameters)?.int("n") ?? 0
        let rows = try tx.query("SELECT leaf_index, j FROM \(source) WHERE \(condition) ORDER BY leaf_index DESC LIMIT ? OFFSET ?",
                                parameters + [.integer(Int64(limit)), .integer(Int64(offset))])
        return (try rows.map { (try $0.int("leaf_index"), try $0.string("j")) }, total)
    }
}
