import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust

/// `PUT <endpoint>/push/:cpid`: the consumer's receiving end of `HttpData-PUSH`, on its DSP listener.
///
/// The provider delivers the file in pieces, each a partial PUT (RFC 9110 §14.5) with `Content-Range`, the piece's
/// `Content-Digest` and the whole file's `Repr-Digest` (RFC 9530 §2, §3). A piece must continue where the file on disk
/// ends; otherwise the answer is 409 with `Upload-Offset` (the resumable-upload draft's field), so a provider that
/// restarted continues from there. After the last piece the whole file is hashed: on a match the consumer records it
/// and sends the completion; on a mismatch the file is removed and the answer is 400.
struct TransferPushRoute: Sendable {
    static let path = "/push"
    /// Largest piece accepted; the provider sends `TransferPusher.pieceSize`.
    static let pieceLimit = 16 << 20

    let context: ConnectorContext
    let processor: TransferProcessor

    func register(into router: inout DSPRoutes) {
        router.put(Self.path + "/:cpid", bodyLimit: Self.pieceLimit) { request, body in try receive(request, body) }
    }

    private func receive(_ dsp: DSPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let cpid = dsp.parameter("cpid") ?? ""
        let record = try context.database.read { tx in try TransferTable.find(localPid: cpid, in: tx) }
        guard let record, record.role == .consumer, record.format == TransferFormat.push,
              record.peerMemberId == dsp.member.id, let token = record.token, let out = record.outPath else {
            return .text("no push target at this address\n", status: .notFound)
        }
        guard let presented = DataToken.bearer(dsp.http.headers["Authorization"]), DataToken.matches(presented, token) else {
            var refused = HTTPResponse.text("this push target needs the bearer token of its transfer\n", status: .unauthorized)
            refused.headers.add("WWW-Authenticate", "Bearer realm=\"verbund-push\"")
            return refused
        }
        guard record.state == .started else {
            return .text("the transfer is \(record.state?.rawValue ?? "not started")\n", status: .conflict)
        }
        guard let range = PushRange(dsp.http.headers["Content-Range"]) else {
            return .text("a push piece needs Content-Range: bytes FIRST-LAST/TOTAL\n", status: .badRequest)
        }
        guard let pieceDigest = TransferDownload.sha256(fromDigest: dsp.http.headers["Content-Digest"]),
              let wholeDigest = TransferDownload.sha256(fromDigest: dsp.http.headers["Repr-Digest"]) else {
            return .text("a push piece needs Content-Digest and Repr-Digest with sha-256\n", status: .badRequest)
        }
        let have = range.first == 0 ? 0 : DownloadFile.size(at: out)
        guard range.first == have else {
            var conflict = HTTPResponse.text("this piece starts at \(range.first), but \(have) bytes are here\n", status: .conflict)
            conflict.headers.add("Upload-Offset", String(have))
            return conflict
        }
        // The piece is bounded by the route's limit, so it is checked whole before a byte reaches the file.
        let piece = try body.readAll()
        guard piece.count == range.count, SHA256.hexHash(piece) == pieceDigest else {
            return .text("the piece does not match its Content-Range length or Content-Digest\n", status: .badRequest)
        }
        let file = try DownloadFile(path: out, append: range.first > 0)
        try file.write(piece)
        try file.sync()
        guard range.last + 1 == range.total else { return HTTPResponse(status: .noContent) }
        return try finish(cpid, out: out, expected: wholeDigest)
    }

    private func finish(_ cpid: String, out: String, expected: String) throws -> HTTPResponse {
        let actual = try DownloadFile.sha256(at: out)
        let size = Int64(DownloadFile.size(at: out))
        let mismatch: String? = try context.database.transaction { tx in
            guard var record = try TransferTable.find(localPid: cpid, in: tx) else { return "the transfer is gone" }
            record.expectedSHA256 = expected
            guard actual == expected else {
                try? FileManager.default.removeItem(atPath: out)
                try TransferTable.update(record, in: tx)
                return "the data's sha-256 \(actual) does not match Repr-Digest \(expected); send it again"
            }
            record.sha256 = actual
            record.bytes = size
            record.updatedAt = context.clock()
            try TransferTable.update(record, in: tx)
            try context.audit.record(AuditEvent(kind: "transfer.received", fields: [
                "pid": .string(cpid), "peer": .string(record.peerMemberId), "agreementId": .string(record.agreementId),
                "dataset": .string(record.datasetId), "bytes": .integer(size), "sha256": .string(actual), "format": "push",
            ]), in: tx)
            context.metrics.increment(TransferMetrics.bytes, labels: ["direction": "received"], by: Double(size))
            if let providerPid = record.providerPid {
                let completion = TransferMessage.completion(TransferCompletionMessage(
                    id: TransferProcessor.newId(), providerPid: providerPid, consumerPid: record.consumerPid))
                try processor.send(completion, record: &record, applyNow: false, in: tx)
            }
            return nil
        }
        if let mismatch { return .text(mismatch + "\n", status: .badRequest) }
        return HTTPResponse(status: .noContent)
    }
}

/// `Content-Range: bytes FIRST-LAST/TOTAL` of a partial PUT (RFC 9110 §14.4), with a known total.
struct PushRange: Equatable {
    let first: Int
    let last: Int
    let total: Int

    var count: Int { last - first + 1 }

    init?(_ field: String?) {
        guard let field, field.hasPrefix("bytes ") else { return nil }
        let spec = field.dropFirst(6)
        let halves = spec.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, let total = Int(halves[1]) else { return nil }
        let bounds = halves[0].split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let first = Int(bounds[0]), let last = Int(bounds[1]),
              first >= 0, last >= first, last < total else { return nil }
        self.first = first
        self.last = last
        self.total = total
    }

    init(first: Int, last: Int, total: Int) {
        self.first = first
        self.last = last
        self.total = total
    }

    var field: String { "bytes \(first)-\(last)/\(total)" }
}
