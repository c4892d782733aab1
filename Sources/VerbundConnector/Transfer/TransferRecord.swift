import Foundation
import VerbundDataspace

/// One side's transfer process as stored: the DSP machine plus what the data plane needs (token, data address,
/// digests, bytes moved).
package struct TransferRecord: Sendable, Hashable {
    /// This side's process id (`providerPid` when `role` is provider, `consumerPid` when consumer).
    package let localPid: String
    package let role: DSPRole
    /// The member on the other side.
    package let peerMemberId: String
    package let agreementId: String
    package let datasetId: String
    /// `HttpData-PULL` or `HttpData-PUSH`.
    package let format: String
    /// The consumer's DSP callback address (`<endpoint>/callback`).
    package let callbackAddress: String
    package var machine: TransferProcessMachine
    /// Provider: the address it sent in its start message; consumer: the address it received.
    package var dataAddress: DataAddress?
    /// The transfer-bound bearer token of the data plane: the provider's for pull, the consumer's for push.
    package var token: String?
    /// Consumer, push only: the file the delivered data is written to.
    package var outPath: String?
    /// Why the transfer was last suspended or terminated, as a person reads it.
    package var reason: String?
    /// Consumer: the ETag of the representation being downloaded (for `If-Range` on resume).
    package var etag: String?
    /// Consumer: the sha-256 (hex) the provider announced; provider: the dataset's stored sha-256.
    package var expectedSHA256: String?
    /// The sha-256 (hex) of the data as received and verified (consumer) or served whole (provider).
    package var sha256: String?
    /// Provider: bytes sent on the data plane (pull: as written to the consumer's connection; push: pieces
    /// delivered); consumer: bytes of the verified file.
    package var bytes: Int64
    /// Provider: when the transfer first began to send data (nil: it never did, so it is no use of the contract
    /// once it ended).
    package var servedAt: Date?
    package let createdAt: Date
    package var updatedAt: Date

    package var state: TransferState? { machine.state }
    package var providerPid: String? { machine.providerPid }
    package var consumerPid: String { machine.consumerPid ?? localPid }

    package init(localPid: String, role: DSPRole, peerMemberId: String, agreementId: String, datasetId: String,
                format: String, callbackAddress: String, machine: TransferProcessMachine, dataAddress: DataAddress? = nil,
                token: String? = nil, outPath: String? = nil, reason: String? = nil, etag: String? = nil, expectedSHA256: String? = nil,
                sha256: String? = nil, bytes: Int64 = 0, servedAt: Date? = nil, createdAt: Date, updatedAt: Date) {
        self.localPid = localPid
        self.role = role
        self.peerMemberId = peerMemberId
        self.agreementId = agreementId
        self.datasetId = datasetId
        self.format = format
        self.callbackAddress = callbackAddress
        self.machine = machine
        self.dataAddress = dataAddress
        self.token = token
        self.outPath = outPath
        self.reason = reason
        self.etag = etag
        self.expectedSHA256 = expectedSHA256
        self.sha256 = sha256
        self.bytes = bytes
        self.servedAt = servedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The DSP answer about this process (`TransferProcess`), once both pids are known.
    package var process: TransferProcess? { machine.process }
}

/// The transfer formats Verbund speaks (DSP 2025-1, Transfer Process Protocol, Transfer Request Message: `format`).
package enum TransferFormat {
    package static let pull = "HttpData-PULL"
    package static let push = "HttpData-PUSH"
    /// The `endpointType` of the data addresses Verbund writes.
    package static let endpointType = "https://w3id.org/idsa/v4.1/HTTP"
    /// The endpoint property of a pull data address in which the provider declares the dataset's size in bytes; the
    /// consumer downloads no more than that.
    package static let byteSizeProperty = "https://w3id.org/verbund/byteSize"
    /// The endpoint property naming the version of a file dataset the transfer serves (the SHA-256 of its snapshot,
    /// fixed when the transfer started; docs/operator.md, "Files that change").
    package static let datasetVersionProperty = "https://w3id.org/verbund/datasetVersion"
}
