import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust

/// Open data on the public listener (docs/operator.md, "Open data"): `GET /open/<dataset-id>` (and HEAD) serves the
/// current snapshot of a dataset published with `open`, to anyone, without a contract. Anything else — unknown,
/// not open, an API dataset, removed — is `404`, so the listener says nothing about datasets that are not open.
///
/// The file streams from disk in constant memory with `Content-Length`, a strong `ETag` from its sha-256, `Range`/
/// `If-Range` (RFC 9110 §14, §13.1.5), `Content-Digest` on a 200 (RFC 9530 §2) and `Repr-Digest` on 200 and 206
/// (RFC 9530 §3). Each download (a GET answered with the file from its first byte: the whole file or a range starting
/// at 0) adds one to the dataset's count and one entry `catalog.open.download` to the tamper-evident log, in one
/// transaction; neither keeps the client's address or anything else about who downloaded.
struct OpenDataRoutes {
    static let prefix = OpenDownload.prefix

    let context: ConnectorContext

    func register(into router: inout Router) {
        router.get(Self.prefix + ":id") { request, _ in try answer(request, id: request.parameter("id") ?? "") }
    }

    /// The open dataset's file as served now — the connector's own snapshot of its current version, never the source
    /// file, which may have changed since (as the data plane serves it, `CatalogDatasetFiles`) — nil when `id` is not
    /// an open file dataset.
    static func file(id: String, in tx: Transaction) throws -> DatasetFile? {
        guard !id.isEmpty, id.utf8.count <= 1000 else { return nil }
        guard try tx.queryFirst("""
            SELECT 1 FROM catalog_dataset WHERE id = ? AND open_data = 1 AND upstream IS NULL AND version IS NOT NULL
            """, [.text(id)]) != nil else { return nil }
        return try CatalogDatasetFiles().file(forDataset: id, in: tx)
    }

    private func answer(_ request: HTTPRequest, id: String) throws -> HTTPResponse {
        guard let dataset = try context.database.read({ tx in try Self.file(id: id, in: tx) }) else {
            return PublicResponse.text("no open dataset at this address", status: .notFound)
        }
        let file: ReadableFile
        do {
            file = try ReadableFile(path: dataset.path)
        } catch {
            context.logger.error("catalog.open.unreadable", ["dataset": .string(id), "error": .string("\(error)")])
            return PublicResponse.text("the dataset cannot be read now; try again later", status: .serviceUnavailable)
        }
        let etag = "\"sha256-\(dataset.sha256)\""
        var headers: HTTPHeaders = ["Content-Type": dataset.mediaType, "Accept-Ranges": "bytes", "ETag": etag]
        let digest = "sha-256=:" + Data(Hex.decode(dataset.sha256) ?? []).base64EncodedString() + ":"
        headers.add("Repr-Digest", digest)
        var response: HTTPResponse
        let first: Int, bytes: Int
        switch HTTPByteRange.resolve(range: request.headers["range"], ifRange: request.headers["if-range"], etag: etag,
                                     length: file.size) {
        case .full:
            headers.add("Content-Digest", digest)
            response = HTTPResponse(status: .ok, headers: headers, body: .file(file, nil))
            first = 0
            bytes = file.size
        case let .partial(range):
            headers.add("Content-Range", HTTPByteRange.contentRange(range, length: file.size))
            response = HTTPResponse(status: .partialContent, headers: headers, body: .file(file, range))
            first = range.lowerBound
            bytes = range.count
        case .unsatisfiable:
            headers.remove("Content-Type")
            headers.add("Content-Range", HTTPByteRange.unsatisfiedContentRange(length: file.size))
            response = HTTPResponse(status: .rangeNotSatisfiable, headers: headers, body: .empty)
            first = -1
            bytes = 0
        }
        PublicResponse.secure(&response)
        if request.method == .get, first == 0 { try count(id: id, version: dataset.sha256, bytes: bytes) }
        return response
    }

    /// One more download of `id`: the count and the log entry commit together; nothing about the client is kept.
    private func count(id: String, version: String, bytes: Int) throws {
        try context.database.transaction { tx in
            try tx.execute("UPDATE catalog_dataset SET open_downloads = open_downloads + 1 WHERE id = ? AND open_data = 1",
                           [.text(id)])
            try context.audit.record(AuditEvent(kind: "catalog.open.download", fields: [
                "dataset": .string(id), "version": .string(version), "bytes": .integer(Int64(bytes)),
            ]), in: tx)
        }
        context.metrics.increment(CatalogMetrics.openDownloads)
    }
}

/// Where open data is downloaded: the public listener's `/open/<id>` (`OpenDataRoutes`), as the harvest endpoint and
/// `verbund datasets export` list it.
package enum OpenDownload {
    static let prefix = "/open/"

    /// The public download URL of open dataset `id` under `base` (the public listener's absolute base, no trailing
    /// `/`): the id as one path segment, percent-encoded beyond RFC 3986's unreserved characters and `:@`.
    package static func url(base: String, id: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:@")
        return base + prefix + (id.addingPercentEncoding(withAllowedCharacters: allowed) ?? id)
    }

    /// The download URL of each open file dataset among `datasets`, by id.
    package static func urls(_ datasets: [PublishedDataset], base: String) -> [String: String] {
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        return Dictionary(datasets.filter { $0.open && $0.upstream == nil }.map { ($0.id, url(base: root, id: $0.id)) },
                          uniquingKeysWith: { first, _ in first })
    }
}
