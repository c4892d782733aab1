import Foundation
import VerbundAudit
import VerbundTrust

/// A signed tree head as the management API shows it (`GET /api/audit/sth`).
package struct TreeHeadReport: Codable, Sendable, Equatable {
    package let treeSize: Int
    package let rootHash: String
    package let timestamp: Date
    /// Subject of the certificate that signed it.
    package let signer: String
    /// The compact JWS itself (save it as `sth.jws` for `verbund audit log verify`).
    package let jws: String

    init(_ sth: SignedTreeHead) {
        treeSize = sth.treeSize
        rootHash = Hex.encode(sth.rootHash)
        timestamp = sth.head.timestamp
        signer = sth.signer.subject
        jws = sth.compact
    }
}
