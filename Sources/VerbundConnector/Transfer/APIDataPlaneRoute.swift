import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport

/// `GET|HEAD <endpoint>/data/:pid/*` (and `/data/:pid`, the base) for transfers of API datasets: the request is checked
/// as the file data plane checks it (transfer of this member, bearer token, state), then against the dataset's
/// allow-list (403/405), then against the agreement's policy at this moment with the day's request count
/// (`requestsPerDay`: 429 when only the budget is spent; any other denial terminates the transfer, 403), recorded as
/// one request (`UpstreamRequestTable`, committed before forwarding) and forwarded (`UpstreamForwarder`). The answer
/// streams back through `APIDataResponse`, which re-checks while it flows and queues the audit entry at its end. Refusals are DSP
/// `TransferError` JSON with the status as `code` (docs/operator.md, "Datasets backed by an API").
struct APIDataPlaneRoute: Sendable {
    let context: ConnectorContext
    let processor: TransferProcessor
    let policy: TransferPolicy
    let upstreams: any DatasetUpstreamSource
    let gate: DataPlaneGate
    let forwarder: UpstreamForwarder

    func register(into router: inout DSPRoutes) {
        router.get("/data/:pid/*") { request, _ in try serve(request) }
    }

    /// Whether transfer `pid` is one of an API dataset (its data address says so); `/data/:pid` is then its base path.
    func handles(pid: String) throws -> Bool {
        try context.database.read { tx in
            guard let record = try TransferTable.find(localPid: pid, in: tx), record.role == .provider else { return false }
            return record.dataAddress?[property: DatasetKind.addressProperty] == DatasetKind.api.rawValue
        }
    }

    /// An admitted request: what to forward and what it counts as.
    struct Admitted {
        let record: TransferRecord
        let upstream: DatasetUpstream
        let subPath: String
        let query: String?
        let requestRow: Int64
    }

    func serve(_ dsp: DSPRequest) throws -> HTTPResponse {
        let pid = dsp.parameter("pid") ?? ""
        var admitted: Admitted?
        // The admission commits before anything is forwarded (the budget counts it even if the connector dies now);
        // the outcome entries of earlier requests share this commit (`APIDataResponse.finish`).
        let refusal = try context.audit.transaction { tx -> DSPFailure? in
            do {
                admitted = try admit(pid: pid, dsp: dsp, in: tx)
                return nil
            } catch let failure as DSPFailure {
                return failure
            }
        }
        guard let admitted, refusal == nil else {
            let failure = refusal ?? DSPFailure(.notFound, shape: .transfer(providerPid: pid, consumerPid: ""), code: "404",
                                                reasons: ["no data at this address"])
            context.logger.notice("transfer.api.refused", [
                "pid": .string(pid), "member": .string(dsp.member.id), "status": .int(failure.status.code),
                "reason": .string(failure.reasons.joined(separator: "; ")),
            ])
            context.metrics.increment(TransferMetrics.refusals, labels: ["status": String(failure.status.code)])
            return failure.response
        }
        return APIDataResponse(context: context, processor: processor, policy: policy, gate: gate, forwarder: forwarder)
            .respond(admitted, dsp: dsp)
    }

    /// Every check before forwarding, in the order that reveals least to a caller who should not know.
    private func admit(pid: String, dsp: DSPRequest, in tx: Transaction) throws -> Admitted {
        func refuse(_ status: Int, _ reason: String, consumerPid: String = "") -> DSPFailure {
            DSPFailure(HTTPStatus(code: status, reasonPhrase: HTTPStatus.phrase(status)),
                       shape: .transfer(providerPid: pid, consumerPid: consumerPid), code: String(status), reasons: [reason])
        }
        guard let record = try TransferTable.find(localPid: pid, in: tx), record.role == .provider,
              record.format == TransferFormat.pull, let token = record.token,
              record.dataAddress?[property: DatasetKind.addressProperty] == DatasetKind.api.rawValue else {
            throw refuse(404, "no data at this address")
        }
        guard let presented = DataToken.bearer(dsp.http.headers["Authorization"]), DataToken.matches(presented, token) else {
            throw refuse(401, "this data address needs the bearer token of its transfer")
        }
        let consumerPid = record.consumerPid
        guard record.peerMemberId == dsp.member.id else {
            throw refuse(403, "this transfer belongs to another member; the token was not issued to \(dsp.member.id)", consumerPid: consumerPid)
        }
        switch record.state {
        case .started?: break
        case .requested?, nil: throw refuse(409, "the transfer has not started yet; retry shortly", consumerPid: consumerPid)
        case .suspended?: throw refuse(409, "the transfer is suspended: \(record.reason ?? "no reason given")", consumerPid: consumerPid)
        case .completed?: throw refuse(410, "the transfer is completed; request a new transfer", consumerPid: consumerPid)
        case .terminated?:
            throw refuse(410, "the transfer was terminated: \(record.reason ?? "no reason given")", consumerPid: consumerPid)
        }
        guard let upstream = try upstreams.upstream(forDataset: record.datasetId, in: tx) else {
            throw refuse(404, "dataset \(record.datasetId) is not available at this connector any more", consumerPid: consumerPid)
        }
        let (subPath, query) = Self.rawSubPath(target: dsp.http.head.target, pid: pid)
        guard let subPath else { throw refuse(404, "no data at this address", consumerPid: consumerPid) }
        let method = dsp.http.method == .head ? "HEAD" : "GET"
        if case let .refuse(status, reason) = upstream.allowList.decide(method: method, subPath: subPath, query: query) {
            throw refuse(status, reason, consumerPid: consumerPid)
        }
        let now = context.clock()
        let today = try UpstreamRequestTable.countToday(agreementId: record.agreementId, now: now, in: tx)
        if case let .deny(reasons) = try policy.decide(agreementId: record.agreementId, memberId: dsp.member.id,
                                                       phase: .dataRequest, transfer: pid, requestsToday: today,
                                                       context: context, in: tx) {
            // Within the budget the contract still holds: only the day's requests are spent (429, the transfer stays).
            if case .permit = try policy.decide(agreementId: record.agreementId, memberId: dsp.member.id, phase: .dataRequest,
                                                transfer: pid, requestsToday: 0, context: context, in: tx) {
                throw refuse(429, reasons.joined(separator: "; "), consumerPid: consumerPid)
            }
            var ended = record
            try processor.terminate(&ended, code: "PolicyDenied", reason: reasons.joined(separator: "; "), in: tx)
            throw refuse(403, reasons.joined(separator: "; "), consumerPid: consumerPid)
        }
        let row = try UpstreamRequestTable.insert(pid: pid, agreementId: record.agreementId,
                                                  path: APIDataResponse.bounded(subPath.isEmpty ? "/" : subPath),
                                                  query: APIDataResponse.bounded(query ?? ""), at: now, in: tx)
        var current = record
        if current.servedAt == nil {
            current.servedAt = now
            try TransferTable.update(current, in: tx)
        }
        return Admitted(record: current, upstream: upstream, subPath: subPath, query: query, requestRow: row)
    }

    /// The raw (still percent-encoded) path after `/data/<pid>` and the raw query of a request target; the sub-path is
    /// nil when the target does not carry the pid literally (then nothing is forwarded).
    static func rawSubPath(target: String, pid: String) -> (subPath: String?, query: String?) {
        let path: Substring
        var query: String?
        if let mark = target.firstIndex(of: "?") {
            path = target[..<mark]
            query = String(target[target.index(after: mark)...])
        } else {
            path = target[...]
        }
        let marker = "/data/" + pid
        guard let found = path.range(of: marker) else { return (nil, query) }
        let rest = path[found.upperBound...]
        guard rest.isEmpty || rest.hasPrefix("/") else { return (nil, query) }
        if query?.isEmpty == true { query = nil }
        return (String(rest), query)
    }
}

extension HTTPStatus {
    /// Reason phrases of the statuses the API data plane answers with (RFC 9110 §15, RFC 6585 §4).
    static func phrase(_ code: Int) -> String {
        switch code {
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 429: return "Too Many Requests"
        case 502: return "Bad Gateway"
        case 504: return "Gateway Timeout"
        default: return "Error"
        }
    }
}
