import Foundation
import VerbundAudit
import VerbundTrust

/// A signed tree head as the management API shows it (`GET /api/audit/sth`).
public struct TreeHeadReport: Codable, Sendable, Equatable {
    public let treeSize: Int
    public let rootHash: String
    public let timestamp: Date
    /// Subject of the certificate that signed it.
    public let signer: String
    /// The compact JWS itself (save it as `sth.jws` for `verbund audit log verify`).
    public let jws: String

    init(_ sth: SignedTreeHead) {
        treeSize = sth.treeSize
        rootHash = Hex.encode(sth.rootHash)
        timestamp = sth.head.timestamp
        signer = sth.signer.subject
        jws = sth.compact
    }
}
