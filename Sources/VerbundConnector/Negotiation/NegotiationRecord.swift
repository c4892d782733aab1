import Foundation
import VerbundDataspace
import VerbundStore

/// One negotiation as this connector stores it: the state machine (the committed state, which includes our pending
/// message once it is on the wire), what we sent that the peer has not acknowledged yet, and what the negotiation is about (dataset, offer, purpose, agreement
/// and the parties' signatures).
struct NegotiationRecord: Sendable {
    /// Our own process id (`providerPid` when we provide, `consumerPid` when we consume).
    var localPid: String
    var role: DSPRole
    var peerMemberId: String
    var machine: ContractNegotiationMachine
    var dataset: String
    /// The offer asked for, with its `target`.
    var offer: Offer
    var purpose: String?
    /// Provider side: the consumer's callback address from its initial request.
    var callbackAddress: String?
    /// Provider side: the initial request, so a resent one is answered again instead of starting a second negotiation.
    var initialRequest: ContractRequestMessage?
    var pending: NegotiationMessage?
    var pendingOutboxId: String?
    /// While `pending` is on the wire: the machine before its announced state was committed (`machine` already holds
    /// that state, so the peer's next step is never refused). Nil while `pending` is queued or refused for now.
    var pendingSentFrom: ContractNegotiationMachine?
    var agreement: Agreement?
    /// Compact JWS (RFC 7515 §7.1) of each party over `agreement.signingPayload()`.
    var providerSignature: String?
    var consumerSignature: String?
    /// The general JSON JWS with every signature, set when the negotiation is finalized.
    var contractJWS: String?
    /// Why the negotiation ended or was refused, in words a person can read.
    var reason: String?
    var createdAt: Date
    var updatedAt: Date
    var finalizedAt: Date?

    var state: NegotiationState? { machine.state }
    var peerRole: DSPRole { role.peer }
    /// The peer's process id, once known.
    var peerPid: String? { role == .provider ? machine.consumerPid : machine.providerPid }
    var providerPid: String? { machine.providerPid }
    var consumerPid: String? { machine.consumerPid }

    /// The state shown to people: the committed DSP state, or `INITIAL` while our first message is still queued.
    var displayState: String { state?.rawValue ?? "INITIAL" }

    /// `dual` when both parties signed, `single` when only one did (a plain DSP peer), nil before any signature.
    var signing: String? {
        switch (providerSignature, consumerSignature) {
        case (.some, .some): return "dual"
        case (nil, nil): return nil
        default: return "single"
        }
    }
}

/// SQL of the `negotiation` table.
enum NegotiationTable {
    static func insert(_ record: NegotiationRecord, in tx: Transaction) throws {
        try tx.execute("""
            INSERT INTO negotiation (local_pid, role, peer_member_id, peer_pid, state, machine, dataset, offer, purpose,
                callback_address, initial_request, pending, pending_outbox_id, agreement_id, agreement, provider_signature,
                consumer_signature, contract_jws, reason, created_at_ms, updated_at_ms, finalized_at_ms, pending_sent_from)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, try values(record))
    }

    static func update(_ record: NegotiationRecord, in tx: Transaction) throws {
        var all = try values(record)
        let key = all.removeFirst()
        try tx.execute("""
            UPDATE negotiation SET role = ?, peer_member_id = ?, peer_pid = ?, state = ?, machine = ?, dataset = ?,
                offer = ?, purpose = ?, callback_address = ?, initial_request = ?, pending = ?, pending_outbox_id = ?,
                agreement_id = ?, agreement = ?, provider_signature = ?, consumer_signature = ?, contract_jws = ?,
                reason = ?, created_at_ms = ?, updated_at_ms = ?, finalized_at_ms = ?, pending_sent_from = ?
            WHERE local_pid = ?
            """, all + [key])
    }

    static func find(localPid: String, role: DSPRole? = nil, in tx: Transaction) throws -> NegotiationRecord? {
        let rows: [Row]
        if let role {
            rows = try tx.query("SELECT * FROM negotiation WHERE local_pid = ? AND role = ?", [.text(localPid), .text(role.rawValue)])
        } else {
            rows = try tx.query("SELECT * FROM negotiation WHERE local_pid = ?", [.text(localPid)])
        }
        return try rows.first.map(record)
    }

    static func find(role: DSPRole, peer: String, peerPid: String, in tx: Transaction) throws -> NegotiationRecord? {
        try tx.queryFirst("SELECT * FROM negotiation WHERE role = ? AND peer_member_id = ? AND peer_pid = ?",
                          [.text(role.rawValue), .text(peer), .text(peerPid)]).map(record)
    }

    static func find(agreementId: String, in tx: Transaction) throws -> NegotiationRecord? {
        try tx.queryFirst("SELECT * FROM negotiation WHERE agreement_id = ?", [.text(agreementId)]).map(record)
    }

    /// Newest first; `finalizedOnly` lists contracts.
    static func all(finalizedOnly: Bool = false, limit: Int = 1000, offset: Int = 0, in tx: Transaction) throws -> [NegotiationRecord] {
        try tx.query(pageQuery(finalizedOnly: finalizedOnly), [.integer(Int64(limit)), .integer(Int64(offset))]).map(record)
    }

    /// The query of `all`, parameters `LIMIT ? OFFSET ?`. The page is chosen on the keys alone, walking the index
    /// `negotiation_created` (or the partial `negotiation_contract_created`, whose filter is exactly `finalizedOnly`'s;
    /// migration 22), then only its rows are read whole: sorting every full row (with its agreement and state machine)
    /// made a page of 10 000 contracts cost 200 ms, and a sort of the keys alone still 66 ms (docs/performance.md,
    /// "Console pages").
    static func pageQuery(finalizedOnly: Bool) -> String {
        let filter = finalizedOnly ? "WHERE state = 'FINALIZED' AND agreement IS NOT NULL" : ""
        return """
            SELECT * FROM negotiation WHERE local_pid IN
              (SELECT local_pid FROM negotiation \(filter) ORDER BY created_at_ms DESC, local_pid LIMIT ? OFFSET ?)
            ORDER BY created_at_ms DESC, local_pid
            """
    }

    /// How many negotiations (or contracts) `all` could list.
    static func count(finalizedOnly: Bool = false, in tx: Transaction) throws -> Int {
        let filter = finalizedOnly ? "WHERE state = 'FINALIZED' AND agreement IS NOT NULL" : ""
        return try tx.queryFirst("SELECT COUNT(*) AS n FROM negotiation \(filter)")?.int("n") ?? 0
    }

    /// Negotiations not yet FINALIZED or TERMINATED.
    static func unfinished(in tx: Transaction) throws -> [NegotiationRecord] {
        try tx.query("SELECT * FROM negotiation WHERE state IS NULL OR state NOT IN ('FINALIZED', 'TERMINATED')").map(record)
    }

    /// Negotiations per state (unfinished ones without a state as `INITIAL`).
    static func countByState(in tx: Transaction) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try tx.query("SELECT COALESCE(state, 'INITIAL') AS state, COUNT(*) AS n FROM negotiation GROUP BY 1") {
            counts[try row.string("state")] = try row.int("n")
        }
        return counts
    }

    private static func values(_ record: NegotiationRecord) throws -> [SQLiteValue] {
        [
            .text(record.localPid), .text(record.role.rawValue), .text(record.peerMemberId), SQLiteValue(record.peerPid),
            SQLiteValue(record.state?.rawValue), .text(try json(record.machine)), .text(record.dataset),
            .text(try json(record.offer)), SQLiteValue(record.purpose), SQLiteValue(record.callbackAddress),
            SQLiteValue(try record.initialRequest.map(json)), SQLiteValue(try record.pending.map(json)),
            SQLiteValue(record.pendingOutboxId), SQLiteValue(record.agreement?.id), SQLiteValue(try record.agreement.map(json)),
            SQLiteValue(record.providerSignature), SQLiteValue(record.consumerSignature), SQLiteValue(record.contractJWS),
            SQLiteValue(record.reason), .integer(milliseconds(record.createdAt)), .integer(milliseconds(record.updatedAt)),
            SQLiteValue(record.finalizedAt.map(milliseconds)), SQLiteValue(try record.pendingSentFrom.map(json)),
        ]
    }

    private static func record(_ row: Row) throws -> NegotiationRecord {
        guard let role = DSPRole(rawValue: try row.string("role")) else {
            throw NegotiationStoreError("negotiation \(try row.string("local_pid")) has an unknown role")
        }
        return NegotiationRecord(
            localPid: try row.string("local_pid"), role: role, peerMemberId: try row.string("peer_member_id"),
            machine: try decode(ContractNegotiationMachine.self, try row.string("machine")),
            dataset: try row.string("dataset"), offer: try decode(Offer.self, try row.string("offer")),
            purpose: try row.optionalString("purpose"), callbackAddress: try row.optionalString("callback_address"),
            initialRequest: try row.optionalString("initial_request").map { try decode(ContractRequestMessage.self, $0) },
            pending: try row.optionalString("pending").map { try decode(NegotiationMessage.self, $0) },
            pendingOutboxId: try row.optionalString("pending_outbox_id"),
            pendingSentFrom: try row.optionalString("pending_sent_from").map { try decode(ContractNegotiationMachine.self, $0) },
            agreement: try row.optionalString("agreement").map { try decode(Agreement.self, $0) },
            providerSignature: try row.optionalString("provider_signature"),
            consumerSignature: try row.optionalString("consumer_signature"),
            contractJWS: try row.optionalString("contract_jws"), reason: try row.optionalString("reason"),
            createdAt: date(try row.int64("created_at_ms")), updatedAt: date(try row.int64("updated_at_ms")),
            finalizedAt: try row.optionalInt64("finalized_at_ms").map(date))
    }

    /// Decoded offers, agreements, requests and machines by their stored text (`DecodedColumnCache`).
    static let columns = DecodedColumnCache()

    private static func json<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try DSPJSON.encode(value), as: UTF8.self)
    }

    private static func decode<Value: Decodable & Sendable>(_ type: Value.Type, _ text: String) throws -> Value {
        try columns.value(of: type, text: text) { try DSPJSON.decode(type, from: Data(text.utf8)) }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

/// A stored negotiation that cannot be read back (a bug or a hand-edited database).
struct NegotiationStoreError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
