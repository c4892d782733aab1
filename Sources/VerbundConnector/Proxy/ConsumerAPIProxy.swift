import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport

/// Using a partner's API through this connector (issue 11, docs/operator.md "Using a partner's API"):
/// `GET|HEAD /api/transfers/:pid/data/*` on the management listener (loopback by default) forwards a local
/// application's request to the provider's data plane of the API transfer `pid` — with this connector's mTLS identity
/// and the transfer's token, which the application never sees — and streams the answer back in constant memory.
///
/// What is forwarded: the method (GET or HEAD), the sub-path and query exactly as the application sent them (the
/// provider checks them against the dataset's allow-list), and the request fields in `ProxyRequestFields`; what comes
/// back: the provider's status and the fields `UpstreamResponseHeaders` lets through, so a provider's refusal (a DSP
/// `TransferError`) reaches the application as the provider sent it. Each request is bounded: the head must arrive
/// within `headWait`, the whole answer within `exchangeDeadline` and `maxResponseBytes`.
struct ConsumerAPIProxy: Sendable {
    let context: ConnectorContext
    /// How long a transfer that was just requested may take to start before the application gets a 409.
    var startWait: Duration = .seconds(15)

    static let headWait: Duration = .seconds(65)
    static let exchangeDeadline: Duration = .seconds(15 * 60)
    static let maxResponseBytes = 4 << 30

    /// The route patterns (base and below it); both need `manageTransfers` (`ManagementRoutePermissions`).
    static let patterns = ["/api/transfers/:pid/data", "/api/transfers/:pid/data/*"]

    func register(into router: inout Router) {
        for pattern in Self.patterns {
            router.get(pattern) { request, _ in try forward(request) }
        }
    }

    private func forward(_ request: HTTPRequest) throws -> HTTPResponse {
        let pid = request.parameter("pid") ?? ""
        let record = try startedAPITransfer(pid)
        guard let address = record.dataAddress, let endpoint = address.endpoint, let token = address[property: "authorization"] else {
            throw HTTPError(.conflict, "transfer \(pid) has no data address yet; retry in a moment")
        }
        let suffix = try Self.suffix(of: request.head.target)
        var fields = ProxyRequestFields.forwarded(request.headers)
        fields.set("Authorization", "Bearer \(token)")
        let headers = fields
        let method: HTTPMethod = request.method == .head ? .head : .get
        let relay = UpstreamRelay()
        let peerClient = context.peerClient
        let provider = record.peerMemberId
        let thread = Thread {
            var last: HTTPResponseHead?
            do throws(PeerError) {
                let head = try peerClient.stream(toURL: endpoint, member: provider, method: method, headers: headers,
                                                 suffix: suffix, maxBodyBytes: Self.maxResponseBytes,
                                                 deadline: Self.exchangeDeadline) { head, piece in
                    last = head
                    try relay.push(head, piece)
                }
                relay.finish(head: head, error: nil)
            } catch {
                relay.finish(head: last, error: Self.clientError(error))
            }
        }
        thread.name = "verbund.proxy"
        thread.start()

        let began = ContinuousClock.now
        let head: HTTPResponseHead
        switch relay.start(until: Date().addingTimeInterval(Double(Self.headWait.components.seconds))) {
        case let .failed(error):
            relay.cancel()
            let timedOut = error.isTimeout
            log(pid: pid, suffix: suffix, status: timedOut ? 504 : 502, bytes: 0, began: began, problem: "\(error)")
            throw HTTPError(HTTPStatus(code: timedOut ? 504 : 502, reasonPhrase: HTTPStatus.phrase(timedOut ? 504 : 502)), timedOut
                ? "\(provider) did not answer within \(Self.headWait.components.seconds) s; try again later"
                : "\(provider) could not be reached for transfer \(pid): \(error); `verbund peers` shows what this "
                    + "connector knows of it")
        case let .head(started):
            head = started
        }
        let answered = UpstreamResponseHeaders.forwarded(head.headers)
        // The provider's length goes on as Content-Length: a HEAD says what a GET would get, and a GET whose body
        // comes up short ends the connection, so the application sees the cut.
        let length = answered["Content-Length"].flatMap { Int($0) }.flatMap { $0 <= Self.maxResponseBytes ? $0 : nil }
        if method == .head || head.status.forbidsContent {
            _ = relay.drain()
            log(pid: pid, suffix: suffix, status: head.status.code, bytes: 0, began: began, problem: nil)
            guard method == .head, !head.status.forbidsContent else {
                return HTTPResponse(status: head.status, headers: answered, body: .empty)
            }
            var answer = HTTPResponse(status: head.status, headers: answered, body: .chunks { _ in })
            answer.announcedLength = length
            return answer
        }
        var answer = HTTPResponse(status: head.status, headers: answered, body: .chunks { [self] sink in
            var sent = 0
            defer { relay.cancel() }
            while true {
                let (piece, error) = relay.next()
                guard let piece else {
                    log(pid: pid, suffix: suffix, status: head.status.code, bytes: sent, began: began,
                        problem: error.map { "\($0)" })
                    // A cut answer must not look complete: throwing aborts the chunked body without its last chunk.
                    if let error { throw error }
                    return
                }
                do {
                    try sink.write(piece)
                } catch {
                    log(pid: pid, suffix: suffix, status: head.status.code, bytes: sent, began: began,
                        problem: "the local application left")
                    throw error
                }
                sent += piece.count
            }
        })
        answer.announcedLength = length
        return answer
    }

    /// The consumer transfer `pid` of an API dataset, started (waiting `startWait` for a just-requested one).
    private func startedAPITransfer(_ pid: String) throws -> TransferRecord {
        let deadline = ContinuousClock.now + startWait
        while true {
            guard let record = try context.database.read({ tx in try TransferTable.find(localPid: pid, in: tx) }),
                  record.role == .consumer else {
                throw HTTPError(.notFound, "this connector has no transfer \(pid) as consumer; start one with "
                                + "`verbund get --agreement ID /path` or POST /api/transfers")
            }
            guard record.format == TransferFormat.pull else {
                throw HTTPError(.conflict, "transfer \(pid) is \(record.format); only \(TransferFormat.pull) transfers of API "
                                + "datasets are forwarded")
            }
            switch record.state {
            case .started?:
                let kind = DatasetKind(addressValue: record.dataAddress?[property: DatasetKind.addressProperty])
                guard kind == .api else {
                    throw HTTPError(.conflict, "transfer \(pid) is of a file dataset: download it with `verbund fetch "
                                    + "--agreement \(record.agreementId) --out FILE` (POST /api/transfers/\(pid)/download)")
                }
                return record
            case .requested?, nil:
                guard ContinuousClock.now < deadline else {
                    throw HTTPError(.conflict, "\(record.peerMemberId) has not started transfer \(pid) yet; retry shortly")
                }
                Thread.sleep(forTimeInterval: 0.1)
            case let state?:
                let advice = state == .suspended
                    ? "resume it with `verbund transfers resume \(pid)`"
                    : "start a new transfer under agreement \(record.agreementId) if the contract allows one"
                throw HTTPError(.conflict, "transfer \(pid) is \(state.rawValue)" + (record.reason.map { " (\($0))" } ?? "")
                                + "; " + advice)
            }
        }
    }

    /// The raw sub-path and query after `/api/transfers/<pid>/data` of a request target (the pid segment as sent,
    /// percent-encoded or not), as the provider gets them.
    static func suffix(of target: String) throws -> String {
        let prefix = "/api/transfers/"
        let refusal = HTTPError(.notFound, "no route \(target)")
        guard target.hasPrefix(prefix) else { throw refusal }
        let afterPrefix = target.dropFirst(prefix.count)
        guard let slash = afterPrefix.firstIndex(of: "/") else { throw refusal }
        let rest = afterPrefix[slash...]
        guard rest.hasPrefix("/data") else { throw refusal }
        let suffix = rest.dropFirst("/data".count)
        guard suffix.isEmpty || suffix.hasPrefix("/") || suffix.hasPrefix("?") else { throw refusal }
        return String(suffix)
    }

    private static func clientError(_ error: PeerError) -> HTTPClientError {
        if case let .exchange(underlying) = error { return underlying }
        // Refused before anything was sent (the provider is not an active member, …): the words say why.
        return .transport(peer: "provider", underlying: .peerRefused(error.description))
    }

    private func log(pid: String, suffix: String, status: Int, bytes: Int, began: ContinuousClock.Instant, problem: String?) {
        var fields: [String: LogValue] = [
            "pid": .string(pid), "path": .string(APIDataResponse.bounded(suffix.isEmpty ? "/" : suffix)),
            "status": .int(status), "bytes": .int(bytes), "ms": .int(Int((ContinuousClock.now - began) / .milliseconds(1))),
        ]
        if let problem { fields["problem"] = .string(APIDataResponse.bounded(problem)) }
        context.logger.info("transfer.proxy.request", fields)
        context.metrics.increment(TransferMetrics.proxyRequests, labels: ["status": String(status)])
    }
}
