import Foundation
import VerbundDataspace
import VerbundTrust

extension DatasetPublication {
    /// The record of an API dataset (`upstream` set, no `file`): the metadata and policy checked as for a file, the
    /// upstream declaration validated (`DatasetUpstream.validate`), the credential file read once to prove it is
    /// owner-only and well-formed (its contents are dropped here and read again at each request), and the TLS
    /// material (CA file, client certificate, owner-only key that belongs to it) built into a context. No size, digest
    /// or version: each answer is the upstream's.
    package func apiRecord(publisher: DatasetRecord.Publisher, spatial: [String], now: Date,
                           newID: () -> String = { "urn:uuid:" + UUID().uuidString.lowercased() })
        throws(CatalogPublishError) -> DatasetRecord {
        guard let upstream else { throw .invalidField(name: "upstream", reason: "an API dataset needs an upstream") }
        guard file.isEmpty else {
            throw .invalidField(name: "file", reason: "a dataset is either a file or an API (upstream), not both")
        }
        guard open != true else {
            throw .invalidField(name: "open", reason: "an API dataset cannot be open data: only a file has one copy the public "
                + "listener can serve; publish a file (e.g. an export of the API) as open data instead")
        }
        guard refreshEvery == nil else {
            throw .invalidField(name: "refreshEvery", reason: "an API dataset is read live at each request; it has no refresh")
        }
        try upstream.validate()
        if let path = upstream.credentialFile, let kind = upstream.credentialKind {
            do {
                _ = try UpstreamAuthorization.value(kind: kind, contents: try UpstreamCredentialFile.read(path), file: path)
            } catch let error as UpstreamCredentialFile.Failure {
                throw .invalidField(name: "upstream.credentialFile", reason: error.description)
            } catch {
                throw .invalidField(name: "upstream.credentialFile", reason: "\(error)")
            }
        }
        if upstream.parsedBase?.secure == true {
            // The CA file, client certificate and key are read and put together as the forwarder will; the key's
            // contents are dropped here and read again when the daemon first connects.
            do {
                _ = try UpstreamTLS.context(upstream)
            } catch {
                throw .invalidField(name: error.field, reason: error.description)
            }
        }
        var record = try self.record(publisher: publisher, spatial: spatial, now: now, newID: newID,
                                     digest: { _ throws(CatalogPublishError) in (0, "") })
        record.byteSize = nil
        record.checksumSHA256 = nil
        record.version = nil
        record.mediaType = mediaType
        record.kind = .api
        return record
    }
}
