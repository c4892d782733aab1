import Foundation
import VerbundStore

/// A dataset's bytes on the provider's disk, as the data plane serves them.
package struct DatasetFile: Sendable, Hashable {
    package let path: String
    /// SHA-256 of the whole file, lowercase hex (the catalog's `checksumSHA256`): ETag and `Content-Digest`.
    package let sha256: String
    /// IANA media type, e.g. `text/csv`.
    package let mediaType: String

    package init(path: String, sha256: String, mediaType: String = "application/octet-stream") {
        self.path = path
        self.sha256 = sha256.lowercased()
        self.mediaType = mediaType
    }
}

/// Where the data plane finds the file of a dataset (the seam to whoever publishes datasets, e.g. the catalog).
package protocol DatasetFileSource: Sendable {
    /// The file of dataset `id`, or nil when this connector does not publish it (a transfer for it is refused). Read
    /// inside the transaction that decides, so a dataset withdrawn meanwhile is not served.
    func file(forDataset id: String, in transaction: Transaction) throws -> DatasetFile?

    /// The file of version `sha256` of dataset `id` (the version a transfer was pinned to when it started), nil when
    /// that version is not kept; `version` nil means the current one.
    func file(forDataset id: String, version sha256: String?, in transaction: Transaction) throws -> DatasetFile?
}

extension DatasetFileSource {
    /// Sources that keep one version serve it only to transfers pinned to it.
    package func file(forDataset id: String, version sha256: String?, in transaction: Transaction) throws -> DatasetFile? {
        guard let file = try file(forDataset: id, in: transaction) else { return nil }
        return sha256 == nil || sha256?.lowercased() == file.sha256 ? file : nil
    }
}

/// A fixed set of dataset files (configuration, tests).
package struct DatasetFileList: DatasetFileSource {
    package let files: [String: DatasetFile]

    package init(_ files: [String: DatasetFile]) { self.files = files }

    package func file(forDataset id: String, in transaction: Transaction) throws -> DatasetFile? { files[id] }
}
