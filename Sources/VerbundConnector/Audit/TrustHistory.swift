import Foundation
import VerbundFederation
import VerbundStore
import VerbundTrust

/// The registries and CRLs this connector accepted, with when (table `audit_trust_history`): an evidence bundle
/// carries the ones in force when a contract was signed, not the ones held at export time.
struct TrustHistory: Sendable {
    enum Kind: String, Sendable { case registry, crl }

    struct Record: Sendable {
        let number: Int64
        let content: String
        let acceptedAt: Date
    }

    let database: Database

    /// Keeps `registry` (compact JWS) unless its serial is already kept.
    func keep(registry: SignedRegistry, at time: Date) throws {
        try keep(.registry, number: Int64(clamping: registry.registry.serial), content: registry.compact, at: time)
    }

    /// Keeps `crl` (PEM) unless its number is already kept.
    func keep(crl: CertificateRevocationList, at time: Date) throws {
        try keep(.crl, number: Int64(clamping: crl.number ?? 0), content: crl.pem, at: time)
    }

    private func keep(_ kind: Kind, number: Int64, content: String, at time: Date) throws {
        try database.transaction { tx in
            try tx.execute("""
                INSERT OR IGNORE INTO audit_trust_history (kind, number, content, sha256, accepted_at_ms)
                VALUES (?, ?, ?, ?, ?)
                """, [.text(kind.rawValue), .integer(number), .text(content), .text(SHA256.hexHash(Array(content.utf8))),
                      .integer(time.auditMilliseconds)])
        }
    }

    /// The newest one accepted at or before `time`; if none was (history began later), the oldest kept.
    func inForce(_ kind: Kind, at time: Date, in tx: Transaction) throws -> Record? {
        let row = try tx.queryFirst("""
            SELECT number, content, accepted_at_ms FROM audit_trust_history
            WHERE kind = ? AND accepted_at_ms <= ? ORDER BY accepted_at_ms DESC, number DESC LIMIT 1
            """, [.text(kind.rawValue), .integer(time.auditMilliseconds)])
            ?? tx.queryFirst("""
                SELECT number, content, accepted_at_ms FROM audit_trust_history
                WHERE kind = ? ORDER BY accepted_at_ms, number LIMIT 1
                """, [.text(kind.rawValue)])
        guard let row else { return nil }
        return Record(number: try row.int64("number"), content: try row.string("content"),
                      acceptedAt: Date(auditMilliseconds: try row.int64("accepted_at_ms")))
    }
}

extension Date {
    /// Whole milliseconds since the Unix epoch (the unit of every `_ms` column).
    var auditMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    init(auditMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
