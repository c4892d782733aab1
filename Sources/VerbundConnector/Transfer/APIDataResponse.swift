import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust

/// The answer to one admitted API data request: forwards it, waits for the upstream's head (502/504 as DSP JSON when
/// none comes), then streams the body in constant memory with only the safe header fields
/// (`UpstreamResponseHeaders`). While it flows, the `DataPlaneGate` re-checks the transfer and policy (a revoked or
/// suspended member, a terminated transfer or an ended contract cut it), and the upstream's own cap and deadline
/// bound it. At its end — complete or cut — one audit entry records the request, in one transaction with the
/// transfer's byte count.
struct APIDataResponse {
    let context: ConnectorContext
    let processor: TransferProcessor
    let policy: TransferPolicy
    let gate: DataPlaneGate
    let forwarder: UpstreamForwarder

    /// Longest a path or query is kept in the audit log and the log (longer ones are cut, with `…`).
    static let recordedLength = 512

    func respond(_ admitted: APIDataPlaneRoute.Admitted, dsp: DSPRequest) -> HTTPResponse {
        let record = admitted.record
        let upstream = admitted.upstream
        let method: HTTPMethod = dsp.http.method == .head ? .head : .get
        let shape = DSPErrorShape.transfer(providerPid: record.localPid, consumerPid: record.consumerPid)
        let began = ContinuousClock.now
        let relay: UpstreamRelay
        do {
            relay = try forwarder.start(upstream, method: method, subPath: admitted.subPath, query: admitted.query,
                                        consumerHeaders: dsp.http.headers)
        } catch {
            return failed(error, admitted: admitted, shape: shape, began: began)
        }
        let wait = Date().addingTimeInterval(Double(upstream.timeoutSeconds) + 2)
        let head: HTTPResponseHead
        switch relay.start(until: wait) {
        case let .failed(error):
            relay.cancel()
            return failed(UpstreamForwarder.failure(error, upstream: upstream), admitted: admitted, shape: shape, began: began)
        case let .head(started):
            head = started
        }
        if head.status.code == 401 || head.status.code == 407 {
            // The upstream refused the PROVIDER's credential; passing its 401 on would tell the consumer that its own
            // token is wrong (and carry the upstream's WWW-Authenticate challenge).
            relay.cancel()
            return failed(UpstreamForwarder.Failure(
                status: 502, reason: "the upstream refused the provider's credential for this API "
                    + "(HTTP \(head.status.code)); ask the provider to renew it"),
                admitted: admitted, shape: shape, began: began)
        }
        let headers = UpstreamResponseHeaders.forwarded(head.headers)
        // The upstream's length, sent on as Content-Length (a HEAD answer says what a GET would get; a GET's body must
        // then bring exactly that many bytes, or the connection ends and the consumer sees the cut).
        let length = headers["Content-Length"].flatMap { Int($0) }.flatMap { Int64($0) <= upstream.maxResponseBytes ? $0 : nil }
        if method == .head || head.status.forbidsContent {
            let error = relay.drain()
            finish(admitted, status: head.status.code, bytes: 0, sha256: Hex.encode(SHA256Stream().finalize()),
                   cut: error.map { "\($0)" }, began: began)
            guard method == .head, !head.status.forbidsContent else {
                return HTTPResponse(status: head.status, headers: headers, body: .empty)
            }
            var answer = HTTPResponse(status: head.status, headers: headers, body: .chunks { _ in })
            answer.announcedLength = length
            return answer
        }
        let pid = record.localPid
        let memberId = dsp.member.id
        let certificate = dsp.peer.certificate
        let requestRow = admitted.requestRow
        let gateCheck = gate.readGate(pid: pid) { [context, policy, processor, gate] in
            try Self.recheck(pid: pid, memberId: memberId, row: requestRow, context: context, policy: policy,
                             processor: processor, gate: gate)
        }
        let connection = dsp.http.abortConnection.map { abort in
            gate.attach(pid, abort: abort) { [context] in
                if case let .failure(refusal) = context.trust.admit(certificate, at: context.clock()) {
                    return "member \(memberId) is no longer admitted: \(refusal)"
                }
                return nil
            }
        }
        let status = head.status
        var answer = HTTPResponse(status: status, headers: headers, body: .chunks { [self] sink in
            var digest = SHA256Stream()
            var sent = 0
            var cut: String?
            var thrown: (any Error)?
            do {
                while true {
                    let (piece, error) = relay.next()
                    guard let piece else {
                        if let error {
                            let reason = "the upstream's answer was cut: \(UpstreamForwarder.failure(error, upstream: upstream).reason)"
                            cut = reason
                            throw DataPlaneGate.Cut(description: "transfer \(pid): \(reason)")
                        }
                        break
                    }
                    try gateCheck(sent)
                    try sink.write(piece)
                    digest.update(piece)
                    sent += piece.count
                }
            } catch {
                if cut == nil { cut = "\(error)" }
                thrown = error
            }
            relay.cancel()
            if let connection { gate.detach(pid, id: connection) }
            finish(admitted, status: status.code, bytes: sent, sha256: Hex.encode(digest.finalize()), cut: cut, began: began)
            if let thrown { throw thrown }
        })
        answer.announcedLength = length
        return answer
    }

    /// The read gate's full check: the transfer still runs and the policy still holds (the day's count without this
    /// request). A denial terminates the transfer and cuts every running response of it.
    private static func recheck(pid: String, memberId: String, row: Int64, context: ConnectorContext, policy: TransferPolicy,
                                processor: TransferProcessor, gate: DataPlaneGate) throws {
        let verdict: String? = try context.database.transaction { tx in
            guard var current = try TransferTable.find(localPid: pid, in: tx) else { return "the transfer is gone" }
            guard current.state == .started else { return "the transfer is no longer running" }
            let today = try UpstreamRequestTable.countToday(agreementId: current.agreementId, now: context.clock(),
                                                            excluding: row, in: tx)
            if case let .deny(reasons) = try policy.decide(agreementId: current.agreementId, memberId: memberId,
                                                           phase: .dataRequest, transfer: pid, requestsToday: today,
                                                           context: context, in: tx) {
                let reason = reasons.joined(separator: "; ")
                try processor.terminate(&current, code: "PolicyDenied", reason: reason, in: tx)
                return reason
            }
            return nil
        }
        guard let verdict else { return }
        gate.cut(pid, reason: verdict)
        throw DataPlaneGate.Cut(description: "transfer \(pid) stopped: \(verdict)")
    }

    private func failed(_ failure: UpstreamForwarder.Failure, admitted: APIDataPlaneRoute.Admitted, shape: DSPErrorShape,
                        began: ContinuousClock.Instant) -> HTTPResponse {
        finish(admitted, status: failure.status, bytes: 0, sha256: Hex.encode(SHA256Stream().finalize()),
               cut: failure.detail.map { "\(failure.reason) (\($0))" } ?? failure.reason, began: began)
        return DSPFailure(HTTPStatus(code: failure.status, reasonPhrase: HTTPStatus.phrase(failure.status)), shape: shape,
                          code: String(failure.status), reasons: [failure.reason]).response
    }

    /// The audit entry of one forwarded request, with the transfer's byte count and the request row marked recorded;
    /// log and metrics. The entry does not hold up the connection: it shares the commit of the next admission (or is
    /// written within `DeferredAuditEvents.delay`), and a request whose entry a crash lost is recorded as such at the
    /// next start (`APIRequestRecovery`).
    private func finish(_ admitted: APIDataPlaneRoute.Admitted, status: Int, bytes: Int, sha256: String, cut: String?,
                        began: ContinuousClock.Instant) {
        let record = admitted.record
        let path = Self.bounded(admitted.subPath.isEmpty ? "/" : admitted.subPath)
        let query = Self.bounded(admitted.query ?? "")
        let event = Self.event(record: record, path: path, query: query, status: status, bytes: bytes, sha256: sha256,
                               cut: cut.map(Self.bounded))
        let row = admitted.requestRow
        context.audit.recordSoon(event) { tx in
            if bytes > 0, var current = try TransferTable.find(localPid: record.localPid, in: tx) {
                current.bytes += Int64(bytes)
                try TransferTable.update(current, in: tx)
            }
            try UpstreamRequestTable.markRecorded(row, in: tx)
        }
        let outcome = cut == nil ? "complete" : (status >= 500 && bytes == 0 ? String(status) : "cut")
        context.metrics.increment(TransferMetrics.upstreamRequests, labels: ["outcome": outcome])
        context.metrics.increment(TransferMetrics.bytes, labels: ["direction": "served"], by: Double(bytes))
        context.logger.info("transfer.api.forwarded", [
            "pid": .string(record.localPid), "path": .string(path), "status": .int(status), "bytes": .int(bytes),
            "ms": .int(Int((ContinuousClock.now - began) / .milliseconds(1))),
        ].merging(cut.map { ["reason": LogValue.string(Self.bounded($0))] } ?? [:]) { $1 })
    }

    /// The log entry of one forwarded request (`transfer.api.request`); `reason` says why it is not complete.
    static func event(record: TransferRecord, path: String, query: String, status: Int, bytes: Int, sha256: String?,
                      cut: String?) -> AuditEvent {
        var fields: [String: JSONValue] = [
            "pid": .string(record.localPid), "peer": .string(record.peerMemberId), "agreementId": .string(record.agreementId),
            "dataset": .string(record.datasetId), "path": .string(path), "query": .string(query),
            "status": .integer(Int64(status)), "bytes": .integer(Int64(bytes)), "complete": .bool(cut == nil),
        ]
        if let sha256 { fields["sha256"] = .string(sha256) }
        if let cut { fields["reason"] = .string(cut) }
        return AuditEvent(kind: "transfer.api.request", fields: fields)
    }

    /// A hostile value as stored: at most `recordedLength` characters, control characters escaped.
    static func bounded(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(recordedLength) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > recordedLength ? out + "…" : out
    }
}
