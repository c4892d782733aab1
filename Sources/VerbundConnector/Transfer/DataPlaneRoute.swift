import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust

/// `GET <endpoint>/data/:pid`: the `HttpData-PULL` data plane on the DSP listener (so the peer is an admitted member).
///
/// A request is served only when the transfer exists and is this member's (else 404), the bearer token matches in
/// constant time (else 401), the TLS peer is the agreement's assignee (else 403), the transfer is STARTED (409 while
/// requested or suspended, 410 once completed or terminated), and the policy still holds (`.dataRequest`; a denial
/// terminates the transfer and answers 403 with the reasons). The file streams from disk in constant memory with
/// `Content-Length`, a strong `ETag` from its sha-256, `Range`/`If-Range` (RFC 9110 §14, §13.1.5), and the digest of
/// the whole representation: `Content-Digest` on a 200 (RFC 9530 §2) and `Repr-Digest` on 200 and 206 (RFC 9530 §3;
/// a 206's content is only part of it). While bytes flow the `DataPlaneGate` re-checks, so revocation, suspension,
/// termination or an expiring contract cut the stream.
struct DataPlaneRoute: Sendable {
    let context: ConnectorContext
    let processor: TransferProcessor
    let policy: TransferPolicy
    let files: any DatasetFileSource
    let gate: DataPlaneGate

    func register(into router: inout Router) {
        router.get("/data/:pid") { request, _ in try serve(request) }
    }

    private func serve(_ request: HTTPRequest) throws -> HTTPResponse {
        let dsp = try DSPRequest(request)
        let pid = dsp.parameter("pid") ?? ""
        let memberId = dsp.member.id
        // Refusals commit too: a policy denial terminates the transfer in the same transaction.
        let outcome = try context.database.transaction { tx -> Result<Admitted, DataRefusal> in
            do { return .success(try admit(pid: pid, dsp: dsp, in: tx)) } catch let refusal as DataRefusal { return .failure(refusal) }
        }
        guard case let .success(admitted) = outcome else {
            guard case let .failure(refusal) = outcome else { return DataRefusal(.notFound, "").response }
            context.logger.notice("transfer.data.refused", [
                "pid": .string(pid), "member": .string(memberId), "status": .int(refusal.status.code),
                "reason": .string(refusal.reason),
            ])
            context.metrics.increment(TransferMetrics.refusals, labels: ["status": String(refusal.status.code)])
            return refusal.response
        }
        let (record, dataset) = (admitted.record, admitted.file)
        let etag = "\"sha256-\(dataset.sha256)\""
        let recheck: @Sendable () throws -> Void = { [context, policy] in
            let reason: String? = try context.database.read { tx in
                guard let current = try TransferTable.find(localPid: pid, in: tx), current.state == .started else {
                    return "the transfer is no longer running"
                }
                if case let .deny(reasons) = try policy.decide(agreementId: current.agreementId, memberId: memberId,
                                                               phase: .dataRequest, transfer: pid, context: context, in: tx) {
                    return reasons.joined(separator: "; ")
                }
                return nil
            }
            if let reason { try stop(pid: pid, reason: reason) }
        }
        let file = try ReadableFile(path: dataset.path, readGate: gate.readGate(pid: pid, recheck: recheck))
        var headers: HTTPHeaders = ["Content-Type": dataset.mediaType, "Accept-Ranges": "bytes", "ETag": etag,
                                    "Cache-Control": "no-store"]
        let digest = "sha-256=:" + Self.base64(Hex.decode(dataset.sha256) ?? []) + ":"
        headers.add("Repr-Digest", digest)
        let resolution = HTTPByteRange.resolve(range: request.headers["range"], ifRange: request.headers["if-range"],
                                               etag: etag, length: file.size)
        let response: HTTPResponse
        let served: Range<Int>
        switch resolution {
        case .full:
            headers.add("Content-Digest", digest)
            response = HTTPResponse(status: .ok, headers: headers, body: .file(file, nil))
            served = 0..<file.size
        case let .partial(range):
            headers.add("Content-Range", HTTPByteRange.contentRange(range, length: file.size))
            response = HTTPResponse(status: .partialContent, headers: headers, body: .file(file, range))
            served = range.lowerBound..<(range.upperBound + 1)
        case .unsatisfiable:
            headers.remove("Content-Type")
            headers.add("Content-Range", HTTPByteRange.unsatisfiedContentRange(length: file.size))
            return HTTPResponse(status: .rangeNotSatisfiable, headers: headers, body: .empty)
        }
        // HEAD gets the same head and no content.
        let bytes = request.method == .head ? 0 : served.count
        context.logger.info("transfer.data.serving", [
            "pid": .string(pid), "member": .string(memberId), "status": .int(response.status.code), "bytes": .int(bytes),
        ])
        context.metrics.increment(TransferMetrics.bytes, labels: ["direction": "served"], by: Double(bytes))
        try context.database.transaction { tx in
            guard var current = try TransferTable.find(localPid: pid, in: tx) else { return }
            current.bytes += Int64(bytes)
            try TransferTable.update(current, in: tx)
            try context.audit.record(AuditEvent(kind: "transfer.data.served", fields: [
                "pid": .string(pid), "peer": .string(memberId), "agreementId": .string(record.agreementId),
                "dataset": .string(record.datasetId), "bytes": .integer(Int64(bytes)),
                "offset": .integer(Int64(served.lowerBound)),
                "size": .integer(Int64(file.size)), "sha256": .string(dataset.sha256), "status": .integer(Int64(response.status.code)),
            ]), in: tx)
        }
        return response
    }

    /// Every check before the first byte, in the order that reveals least to a caller who should not know.
    struct Admitted: Sendable {
        let record: TransferRecord
        let file: DatasetFile
    }

    private func admit(pid: String, dsp: DSPRequest, in tx: Transaction) throws -> Admitted {
        guard let record = try TransferTable.find(localPid: pid, in: tx), record.role == .provider,
              record.format == TransferFormat.pull, let token = record.token else {
            throw DataRefusal(.notFound, "no data at this address")
        }
        guard let presented = DataToken.bearer(dsp.http.headers["Authorization"]), DataToken.matches(presented, token) else {
            throw DataRefusal(.unauthorized, "this data address needs the bearer token of its transfer")
        }
        guard record.peerMemberId == dsp.member.id else {
            throw DataRefusal(.forbidden, "this transfer belongs to another member; the token was not issued to \(dsp.member.id)")
        }
        switch record.state {
        case .started?: break
        case .requested?, nil: throw DataRefusal(.conflict, "the transfer has not started yet; retry shortly")
        case .suspended?: throw DataRefusal(.conflict, "the transfer is suspended: \(record.reason ?? "no reason given")")
        case .completed?: throw DataRefusal(DataRefusal.gone, "the transfer is completed; request a new transfer")
        case .terminated?: throw DataRefusal(DataRefusal.gone, "the transfer was terminated: \(record.reason ?? "no reason given")")
        }
        switch try policy.decide(agreementId: record.agreementId, memberId: dsp.member.id, phase: .dataRequest,
                                 transfer: record.localPid, context: context, in: tx) {
        case let .deny(reasons):
            var ended = record
            try processor.terminate(&ended, code: "PolicyDenied", reason: reasons.joined(separator: "; "), in: tx)
            throw DataRefusal(.forbidden, reasons.joined(separator: "; "))
        case .permit:
            break
        }
        guard let file = try files.file(forDataset: record.datasetId, in: tx) else {
            throw DataRefusal(.notFound, "dataset \(record.datasetId) is not available at this connector any more")
        }
        return Admitted(record: record, file: file)
    }

    /// Terminates a transfer whose right to the data ended while it was streaming, then cuts the stream.
    private func stop(pid: String, reason: String) throws {
        try context.database.transaction { tx in
            guard var record = try TransferTable.find(localPid: pid, in: tx) else { return }
            try processor.terminate(&record, code: "PolicyDenied", reason: reason, in: tx)
        }
        gate.cut(pid, reason: reason)
        throw DataPlaneGate.Cut(description: "transfer \(pid) stopped: \(reason)")
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}

/// Why a data request gets no data, as the answer says it.
struct DataRefusal: Error {
    static let gone = HTTPStatus(code: 410, reasonPhrase: "Gone")

    let status: HTTPStatus
    let reason: String

    init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    var response: HTTPResponse {
        var response = HTTPResponse.text(reason + "\n", status: status)
        if status == .unauthorized { response.headers.add("WWW-Authenticate", "Bearer realm=\"verbund-data\"") }  // RFC 6750 §3
        return response
    }
}
