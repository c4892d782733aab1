import Foundation
import Synchronization
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust

/// `GET <endpoint>/data/:pid`: the `HttpData-PULL` data plane on the DSP listener (so the peer is an admitted member).
///
/// A request is served only when the transfer exists and is this member's (else 404), the bearer token matches in
/// constant time (else 401), the TLS peer is the agreement's assignee (else 403), the transfer is STARTED (409 while
/// requested or suspended, 410 once completed or terminated), the policy still holds (`.dataRequest`; a denial
/// terminates the transfer and answers 403 with the reasons), and the transfer has not sent its one copy (410 beyond
/// `DataPlaneGate.budget`; docs/policies.md, "What one use is"). The file streams from disk in constant memory with
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

    func register(into router: inout DSPRoutes) {
        router.get("/data/:pid") { request, _ in try serve(request) }
    }

    private func serve(_ dsp: DSPRequest) throws -> HTTPResponse {
        let pid = dsp.parameter("pid") ?? ""
        let memberId = dsp.member.id
        let recheck: @Sendable (DataResponseMeter) throws -> Void = { [context, policy] meter in
            let verdict: (reason: String, terminate: Bool)? = try context.database.transaction { tx in
                guard var current = try TransferTable.find(localPid: pid, in: tx) else { return ("the transfer is gone", false) }
                let sent = meter.flush()
                if sent > 0 {
                    current.bytes += Int64(sent)
                    try TransferTable.update(current, in: tx)
                }
                // Suspended or ended meanwhile: stop, without deciding anything about the transfer here.
                guard current.state == .started else { return ("the transfer is no longer running", false) }
                if case let .deny(reasons) = try policy.decide(agreementId: current.agreementId, memberId: memberId,
                                                               phase: .dataRequest, transfer: pid, context: context, in: tx) {
                    return (reasons.joined(separator: "; "), true)
                }
                return nil
            }
            guard let verdict else { return }
            if verdict.terminate { try stop(pid: pid, reason: verdict.reason) }
            throw DataPlaneGate.Cut(description: "transfer \(pid) stopped: \(verdict.reason)")
        }
        // Refusals commit too: a policy denial terminates the transfer in the same transaction. Admission, the count
        // of uses and the reservation of this response's bytes share one transaction, so neither a parallel request
        // of this transfer nor another transfer of the agreement can slip in between.
        var admission: Admitted?  // the response stays on this thread; only the refusal leaves the closure
        let refused = try context.database.transaction { tx -> DataRefusal? in
            do {
                admission = try admit(pid: pid, dsp: dsp, recheck: recheck, in: tx)
                return nil
            } catch let refusal as DataRefusal {
                return refusal
            }
        }
        guard let admitted = admission, refused == nil else {
            let refusal = refused ?? DataRefusal(.notFound, "no data at this address")
            context.logger.notice("transfer.data.refused", [
                "pid": .string(pid), "member": .string(memberId), "status": .int(refusal.status.code),
                "reason": .string(refusal.reason),
            ])
            context.metrics.increment(TransferMetrics.refusals, labels: ["status": String(refusal.status.code)])
            return refusal.response
        }
        let certificate = dsp.peer.certificate
        admitted.meter?.attach(abort: dsp.http.abortConnection) { [context] in
            if case let .failure(refusal) = context.trust.admit(certificate, at: context.clock()) {
                return "member \(memberId) is no longer admitted: \(refusal)"
            }
            return nil
        }
        context.logger.info("transfer.data.serving", [
            "pid": .string(pid), "member": .string(memberId), "status": .int(admitted.response.status.code),
            "bytes": .int(admitted.bytes),
        ])
        context.metrics.increment(TransferMetrics.bytes, labels: ["direction": "served"], by: Double(admitted.bytes))
        return admitted.response
    }

    /// A data request that passed every check: the response to stream and what it will count.
    struct Admitted {
        let response: HTTPResponse
        /// Bytes the response is to send (0 for HEAD).
        let bytes: Int
        let meter: DataResponseMeter?
    }

    /// The response for an admitted request: the whole file, a range of it, or 416; reserves its bytes from the
    /// transfer's budget of one copy (`DataPlaneGate.budget`) and records the first data served.
    private func respond(_ record: TransferRecord, dataset: DatasetFile, request: HTTPRequest,
                         recheck: @escaping @Sendable (DataResponseMeter) throws -> Void, in tx: Transaction) throws -> Admitted {
        let pid = record.localPid
        let etag = "\"sha256-\(dataset.sha256)\""
        let meterSlot = Mutex<DataResponseMeter?>(nil)
        let gateCheck = gate.readGate(pid: pid) { if let meter = meterSlot.withLock({ $0 }) { try recheck(meter) } }
        let file = try ReadableFile(path: dataset.path) { offset in
            meterSlot.withLock { $0 }?.reached(offset)
            try gateCheck(offset)
        }
        var headers: HTTPHeaders = ["Content-Type": dataset.mediaType, "Accept-Ranges": "bytes", "ETag": etag,
                                    "Cache-Control": "no-store"]
        let digest = "sha-256=:" + Self.base64(Hex.decode(dataset.sha256) ?? []) + ":"
        headers.add("Repr-Digest", digest)
        let response: HTTPResponse
        let served: Range<Int>
        switch HTTPByteRange.resolve(range: request.headers["range"], ifRange: request.headers["if-range"], etag: etag,
                                     length: file.size) {
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
            return Admitted(response: HTTPResponse(status: .rangeNotSatisfiable, headers: headers, body: .empty),
                            bytes: 0, meter: nil)
        }
        // HEAD gets the same head and no content.
        guard request.method != .head, !served.isEmpty else { return Admitted(response: response, bytes: 0, meter: nil) }
        let budget = gate.budget(size: file.size)
        let used = Int(record.bytes) + gate.reserved(pid)
        guard used + served.count <= budget else {
            throw DataRefusal(DataRefusal.gone, "this transfer has sent \(used) bytes of a \(file.size)-byte dataset and may "
                              + "send at most \(budget) (one copy and a resumption allowance); it serves no second copy, so "
                              + "request a new transfer under the contract")
        }
        gate.reserve(pid, bytes: served.count)
        let meter = DataResponseMeter(pid: pid, range: served, context: context, gate: gate)
        meterSlot.withLock { $0 = meter }
        var current = record
        if current.servedAt == nil {
            current.servedAt = context.clock()
            try TransferTable.update(current, in: tx)
        }
        try context.audit.record(AuditEvent(kind: "transfer.data.served", fields: [
            "pid": .string(pid), "peer": .string(record.peerMemberId), "agreementId": .string(record.agreementId),
            "dataset": .string(record.datasetId), "bytes": .integer(Int64(served.count)),
            "offset": .integer(Int64(served.lowerBound)),
            "size": .integer(Int64(file.size)), "sha256": .string(dataset.sha256), "status": .integer(Int64(response.status.code)),
        ]), in: tx)
        return Admitted(response: response, bytes: served.count, meter: meter)
    }

    /// Every check before the first byte, in the order that reveals least to a caller who should not know.
    private func admit(pid: String, dsp: DSPRequest, recheck: @escaping @Sendable (DataResponseMeter) throws -> Void,
                       in tx: Transaction) throws -> Admitted {
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
        // The version fixed when the transfer started, so a refresh meanwhile never changes the bytes under it.
        guard let file = try files.file(forDataset: record.datasetId, version: record.expectedSHA256, in: tx) else {
            throw DataRefusal(.notFound, "dataset \(record.datasetId) is not available at this connector any more")
        }
        return try respond(record, dataset: file, request: dsp.http, recheck: recheck, in: tx)
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
struct DataRefusal: Error, Sendable {
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
