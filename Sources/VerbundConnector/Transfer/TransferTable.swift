import Foundation
import VerbundDataspace
import VerbundStore

/// Reads and writes `transfer_process` rows inside the caller's transaction.
enum TransferTable {
    static func insert(_ record: TransferRecord, in tx: Transaction) throws {
        try tx.execute("""
            INSERT INTO transfer_process (local_pid, role, peer_member_id, consumer_pid, agreement_id, dataset_id, format,
                callback_address, machine, state, data_address, token, reason, etag, expected_sha256, sha256, bytes,
                created_at_ms, updated_at_ms, out_path)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(record.localPid), .text(record.role.rawValue), .text(record.peerMemberId), .text(record.consumerPid),
                  .text(record.agreementId), .text(record.datasetId), .text(record.format), .text(record.callbackAddress),
                  .text(try encode(record.machine)), optional(record.state?.rawValue),
                  optional(try record.dataAddress.map(encode)), optional(record.token), optional(record.reason),
                  optional(record.etag), optional(record.expectedSHA256), optional(record.sha256), .integer(record.bytes),
                  .integer(milliseconds(record.createdAt)), .integer(milliseconds(record.updatedAt)), optional(record.outPath)])
    }

    static func update(_ record: TransferRecord, in tx: Transaction) throws {
        try tx.execute("""
            UPDATE transfer_process SET machine = ?, state = ?, data_address = ?, token = ?, reason = ?, etag = ?,
                expected_sha256 = ?, sha256 = ?, bytes = ?, updated_at_ms = ?, served_at_ms = ?, out_path = ?
            WHERE local_pid = ?
            """, [.text(try encode(record.machine)), optional(record.state?.rawValue),
                  optional(try record.dataAddress.map(encode)), optional(record.token), optional(record.reason),
                  optional(record.etag), optional(record.expectedSHA256), optional(record.sha256), .integer(record.bytes),
                  .integer(milliseconds(record.updatedAt)),
                  record.servedAt.map { .integer(milliseconds($0)) } ?? .null, optional(record.outPath), .text(record.localPid)])
    }

    static func find(localPid: String, in tx: Transaction) throws -> TransferRecord? {
        try tx.queryFirst("SELECT * FROM transfer_process WHERE local_pid = ?", [.text(localPid)]).map(record)
    }

    /// The provider's process for a consumer's `consumerPid` (idempotent requests).
    static func find(role: DSPRole, peer: String, consumerPid: String, in tx: Transaction) throws -> TransferRecord? {
        try tx.queryFirst("SELECT * FROM transfer_process WHERE role = ? AND peer_member_id = ? AND consumer_pid = ?",
                          [.text(role.rawValue), .text(peer), .text(consumerPid)]).map(record)
    }

    /// Every process, newest first.
    static func all(in tx: Transaction) throws -> [TransferRecord] {
        try tx.query("SELECT * FROM transfer_process ORDER BY created_at_ms DESC, local_pid").map(record)
    }

    /// One page of `all`.
    static func page(limit: Int, offset: Int, in tx: Transaction) throws -> [TransferRecord] {
        try tx.query(pageQuery, [.integer(Int64(limit)), .integer(Int64(offset))]).map(record)
    }

    /// The query of `page`: chosen on the keys by walking the index `transfer_process_created` (migration 36), then
    /// only the page's rows are read whole (as `NegotiationTable.all`).
    static let pageQuery = """
        SELECT * FROM transfer_process WHERE local_pid IN
          (SELECT local_pid FROM transfer_process ORDER BY created_at_ms DESC, local_pid LIMIT ? OFFSET ?)
        ORDER BY created_at_ms DESC, local_pid
        """

    static func count(in tx: Transaction) throws -> Int {
        try tx.queryFirst("SELECT COUNT(*) AS n FROM transfer_process")?.int("n") ?? 0
    }

    /// Processes not yet COMPLETED or TERMINATED.
    static func running(in tx: Transaction) throws -> [TransferRecord] {
        try tx.query("""
            SELECT * FROM transfer_process WHERE state IS NULL OR state NOT IN ('COMPLETED', 'TERMINATED')
            ORDER BY created_at_ms
            """).map(record)
    }

    /// ODRL `count`: the uses of the agreement other than `excluded` (docs/policies.md, "What one use is"). A
    /// provider transfer is a use when it completed, when it is still running (so parallel transfers cannot
    /// together exceed the limit before any of them ends), or when it ever sent data, whatever state it ended in — a
    /// consumer that downloads and then terminates instead of completing has used the contract all the same. Only a
    /// transfer that ended without sending a byte (refused, denied, terminated before data) is no use.
    static func usedCount(agreementId: String, excluding excluded: String?, in tx: Transaction) throws -> Int {
        let row = try tx.queryFirst("""
            SELECT COUNT(*) AS n FROM transfer_process
            WHERE role = 'provider' AND agreement_id = ? AND local_pid != ?
              AND (state IS NULL OR state != 'TERMINATED' OR served_at_ms IS NOT NULL)
            """, [.text(agreementId), .text(excluded ?? "")])
        return try row?.int("n") ?? 0
    }

    private static func record(_ row: Row) throws -> TransferRecord {
        guard let role = DSPRole(rawValue: try row.string("role")) else {
            throw TransferStoreError("transfer \(try row.string("local_pid")) has an unknown role")
        }
        return TransferRecord(
            localPid: try row.string("local_pid"), role: role, peerMemberId: try row.string("peer_member_id"),
            agreementId: try row.string("agreement_id"), datasetId: try row.string("dataset_id"),
            format: try row.string("format"), callbackAddress: try row.string("callback_address"),
            machine: try decode(TransferProcessMachine.self, try row.string("machine")),
            dataAddress: try row.optionalString("data_address").map { try decode(DataAddress.self, $0) },
            token: try row.optionalString("token"), outPath: try row.optionalString("out_path"), reason: try row.optionalString("reason"),
            etag: try row.optionalString("etag"), expectedSHA256: try row.optionalString("expected_sha256"),
            sha256: try row.optionalString("sha256"), bytes: try row.int64("bytes"),
            servedAt: try row.optionalInt64("served_at_ms").map(date),
            createdAt: date(try row.int64("created_at_ms")), updatedAt: date(try row.int64("updated_at_ms")))
    }

    private static func encode<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try DSPJSON.encode(value), as: UTF8.self)
    }

    /// Decoded machines and data addresses by their stored text (`DecodedColumnCache`): the API data plane reads the
    /// same transfer at every request.
    static let columns = DecodedColumnCache()

    private static func decode<Value: Decodable & Sendable>(_ type: Value.Type, _ text: String) throws -> Value {
        try columns.value(of: type, text: text) { try DSPJSON.decode(type, from: Data(text.utf8)) }
    }

    private static func optional(_ text: String?) -> SQLiteValue { text.map { .text($0) } ?? .null }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

/// A stored transfer row that cannot be read back.
struct TransferStoreError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
