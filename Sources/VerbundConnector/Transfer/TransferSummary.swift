import Foundation

/// A transfer process as the management API and `verbund transfers` show it. The data token is never shown.
public struct TransferSummary: Codable, Sendable, Hashable {
    public let pid: String
    public let role: String
    public let peer: String
    public let agreementId: String
    public let dataset: String
    public let format: String
    public let state: String
    public let providerPid: String?
    public let consumerPid: String
    public let reason: String?
    public let bytes: Int64
    public let sha256: String?
    public let expectedSha256: String?
    public let createdAt: Date
    public let updatedAt: Date

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
    }
}

/// One line of the download progress stream (`POST /api/transfers/:pid/download`, NDJSON).
public struct DownloadEvent: Codable, Sendable, Hashable {
    /// `progress`, `verified` or `failed`.
    public let event: String
    public let bytes: Int64?
    public let total: Int64?
    public let sha256: String?
    public let error: String?
    /// For `failed`: whether running the fetch again may succeed (and resume).
    public let retryable: Bool?

    public init(event: String, bytes: Int64? = nil, total: Int64? = nil, sha256: String? = nil, error: String? = nil,
                retryable: Bool? = nil) {
        self.event = event
        self.bytes = bytes
        self.total = total
        self.sha256 = sha256
        self.error = error
        self.retryable = retryable
    }
}
