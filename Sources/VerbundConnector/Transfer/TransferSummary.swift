import Foundation
import VerbundDataspace

/// A transfer process as the management API and `verbund transfers` show it. The data token is never shown.
package struct TransferSummary: Codable, Sendable, Hashable {
    package let pid: String
    package let role: String
    package let peer: String
    package let agreementId: String
    package let dataset: String
    package let format: String
    package let state: String
    package let providerPid: String?
    package let consumerPid: String
    package let reason: String?
    package let bytes: Int64
    package let sha256: String?
    package let expectedSha256: String?
    package let createdAt: Date
    package let updatedAt: Date
    /// Where this connector writes the data (a push target, or the file a pull download last wrote).
    package let out: String?
    /// `file` or `api`, as the provider's data address announced it (nil before the start): an API transfer is used
    /// with `verbund get` / `GET /api/transfers/:pid/data/…`, not downloaded.
    package let kind: String?

    init(_ record: TransferRecord) {
        pid = record.localPid
        role = record.role.rawValue
        peer = record.peerMemberId
        agreementId = record.agreementId
        dataset = record.datasetId
        format = record.format
        state = record.state?.rawValue ?? "NONE"
        providerPid = record.providerPid
        consumerPid = record.consumerPid
        reason = record.reason
        bytes = record.bytes
        sha256 = record.sha256
        expectedSha256 = record.expectedSHA256
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        out = record.outPath
        kind = record.dataAddress.map { DatasetKind(addressValue: $0[property: DatasetKind.addressProperty])?.rawValue ?? "unknown" }
    }
}

/// One line of the download progress stream (`POST /api/transfers/:pid/download`, NDJSON).
package struct DownloadEvent: Codable, Sendable, Hashable {
    /// `progress`, `verified` or `failed`.
    package let event: String
    package let bytes: Int64?
    package let total: Int64?
    package let sha256: String?
    package let error: String?
    /// For `failed`: whether running the fetch again may succeed (and resume).
    package let retryable: Bool?
    /// For the first `progress` of a continued download: the byte it continues at (the file held that many).
    package let resumedAt: Int64?

    package init(event: String, bytes: Int64? = nil, total: Int64? = nil, sha256: String? = nil, error: String? = nil,
                retryable: Bool? = nil, resumedAt: Int64? = nil) {
        self.event = event
        self.bytes = bytes
        self.total = total
        self.sha256 = sha256
        self.error = error
        self.retryable = retryable
        self.resumedAt = resumedAt
    }
}
