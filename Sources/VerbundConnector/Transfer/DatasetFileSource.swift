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
}

/// A fixed set of dataset files (configuration, tests).
package struct DatasetFileList: DatasetFileSource {
    package let files: [String: DatasetFile]

    package init(_ files: [String: DatasetFile]) { self.files = files }

    package func file(forDataset id: String, in transaction: Transaction) throws -> DatasetFile? { files[id] }
}
