import Foundation
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// The steps of `verbund fetch` against the management API.
struct TransferFetch {
    let client: ManagementClient
    let console: any Console
    let json: Bool
    var attempts = 3
    /// How long to wait for the provider to start the transfer.
    var startTimeout: Double = 60

    private struct Result: Encodable {
        let transfer: TransferSummary
        let out: String
        let sha256: String
        let bytes: Int64
        /// True when the file already held this transfer's verified data and nothing was transferred.
        var alreadyFetched = false
        /// The dataset version received: the SHA-256 of the provider's snapshot, verified over the bytes.
        var version: String { sha256 }

        enum CodingKeys: String, CodingKey { case transfer, out, sha256, bytes, version, alreadyFetched }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(transfer, forKey: .transfer)
            try container.encode(out, forKey: .out)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(bytes, forKey: .bytes)
            try container.encode(version, forKey: .version)
            try container.encode(alreadyFetched, forKey: .alreadyFetched)
        }
    }

    /// `force`: replace a file at `out` that is not this agreement's download, and fetch again what is already there.
    func run(agreement: String, out: String, format: String, force: Bool = false) throws {
        let target = try FetchTarget.check(out)
        var replace = force
        if format == TransferFormat.pull {
            let mine = try client.get("/api/transfers", as: [String: [TransferSummary]].self)["transfers"]?
                .filter { $0.role == "consumer" && $0.agreementId == agreement && $0.format == format } ?? []
            // An API is read request by request: refuse before a transfer is started for nothing.
            if let problem = apiDataset(agreement: agreement, transfers: mine) { throw CLIError.usage(problem) }
            // A cron job rerunning the same fetch must not spend another of the contract's transfers.
            if !force, let done = target.fetchedBy(mine) {
                // Unless the provider published a new version since (as the federated catalog last saw it).
                guard let newer = publishedVersion(of: done), newer != done.sha256 else {
                    return report(Result(transfer: done, out: out, sha256: done.sha256 ?? "", bytes: done.bytes, alreadyFetched: true))
                }
                replace = true  // the file is this agreement's earlier download
                if !json { console.err(TerminalText.shown("\(done.peer) publishes a new version of \(done.dataset) (\(newer)); fetching it")) }
            }
            let running = mine.first { !["COMPLETED", "TERMINATED"].contains($0.state) }
            if let running, running.state == "SUSPENDED" {
                throw CLIError.refused(TerminalText.shown("transfer \(running.pid) under this agreement is SUSPENDED"
                    + (running.reason.map { " (\($0))" } ?? "") + "; resume it with `verbund transfers resume \(running.pid)`, "
                    + "then run this command again"))
            }
            if !replace, case .file = target.existing, running?.out != out {
                throw CLIError.refused(TerminalText.shown("\(out) exists and is not a download of agreement \(agreement); "
                    + "choose another --out, or give --force to replace the file"))
            }
            if let running, running.state == "REQUESTED" {
                // Rerunning is the way to retry now: the queued request goes out at once, not after its backoff.
                _ = try? client.send(.post, "/api/outbox/retry?member=" + ManagementClient.queryValue(running.peer))
                if !json { console.err(TerminalText.shown("Transfer \(running.pid) is still waiting for \(running.peer); sending its request again now")) }
            }
        }
        var request = ["agreementId": agreement, "format": format]
        if format == TransferFormat.push { request["out"] = out }
        let created = try client.decode(try client.send(.post, "/api/transfers", body: Array(try JSONEncoder().encode(request))),
                                        as: TransferSummary.self)
        if !json { console.err(TerminalText.shown("Transfer \(created.pid) (\(created.state)) under agreement \(agreement)")) }
        if format == TransferFormat.push {
            let done = try wait(created.pid, until: ["COMPLETED", "TERMINATED"], timeout: 24 * 3600)
            guard done.state == "COMPLETED", let sha256 = done.sha256 else { throw failed(done) }
            return report(Result(transfer: done, out: out, sha256: sha256, bytes: done.bytes))
        }
        let started = try waitForStart(created)
        guard started.state == "STARTED" || started.state == "COMPLETED" else { throw failed(started) }

        // Ctrl-C leaves the partial file and the transfer in place; say how to continue.
        let interrupt = json ? nil : InterruptGuard { [console] _ in
            console.err(TerminalText.shown("\nInterrupted. Run the same command again to continue transfer \(created.pid) "
                + "from the bytes already in \(out)."))
        }
        defer { interrupt?.cancel() }
        var lastError = ""
        for attempt in 1...attempts {
            switch try download(created.pid, out: out, overwrite: replace) {
            case let .verified(sha256, bytes):
                let done = try wait(created.pid, until: ["COMPLETED", "TERMINATED"], timeout: 30)
                guard done.state == "COMPLETED" else { throw failed(done) }
                return report(Result(transfer: done, out: out, sha256: sha256, bytes: bytes))
            case let .failed(error, retryable):
                lastError = error
                guard retryable, attempt < attempts else {
                    guard retryable else { throw try ended(created.pid, error: error) }
                    break
                }
                if !json { console.err("Interrupted: \(TerminalText.shown(error)); resuming (attempt \(attempt + 1) of \(attempts))") }
                Thread.sleep(forTimeInterval: Double(attempt))
                continue
            }
            break
        }
        throw CLIError.refused("the download did not finish: \(TerminalText.shown(lastError))\n"
                               + "Run the same command again to resume from the bytes already in \(TerminalText.shown(out)).")
    }

    /// Why a download cannot simply be run again, with the command that helps where one does.
    private func ended(_ pid: String, error: String) throws -> CLIError {
        let transfer = try client.get("/api/transfers/" + pid, as: TransferSummary.self)
        let reason = transfer.reason.map { " (\($0))" } ?? ""
        switch transfer.state {
        case "SUSPENDED":
            return .refused(TerminalText.shown("the download stopped: transfer \(pid) is SUSPENDED\(reason); resume it with "
                + "`verbund transfers resume \(pid)`, then run this command again to continue"))
        case "TERMINATED":
            return .refused(TerminalText.shown("the download stopped: transfer \(pid) was TERMINATED\(reason) and cannot be "
                + "resumed; `verbund contracts show \(transfer.agreementId)` says whether the contract allows another transfer"))
        default:
            return .refused(TerminalText.shown("the download did not finish: \(error)"))
        }
    }

    /// Waits for the provider's start; a provider that does not answer is named within seconds, not after a minute.
    private func waitForStart(_ created: TransferSummary) throws -> TransferSummary {
        let began = Date()
        var told = false
        while true {
            let summary = try client.get("/api/transfers/" + created.pid, as: TransferSummary.self)
            guard summary.state == "REQUESTED" else { return summary }
            let waited = Date().timeIntervalSince(began)
            if !told, waited >= 3, let problem = providerProblem(summary.peer) {
                told = true
                if !json {
                    console.err(TerminalText.shown("\(summary.peer) does not answer: \(problem). The request stays queued and "
                        + "is retried with growing pauses; run this command again to retry at once (it continues the same transfer)."))
                }
            }
            if waited >= startTimeout {
                throw CLIError.refused(TerminalText.shown("\(summary.peer) has not started transfer \(summary.pid) within \(Int(startTimeout)) s"
                    + (providerProblem(summary.peer).map { " (\($0))" } ?? "") + "; the request stays queued and is retried. "
                    + "Run this command again later, or at once to retry now; it continues the same transfer"))
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// The version (SHA-256) of `transfer`'s dataset in the federated catalog's last crawl; nil when unknown.
    private func publishedVersion(of transfer: TransferSummary) -> String? {
        let listing = try? client.get("/api/catalog/federated?limit=10000&member=" + ManagementClient.queryValue(transfer.peer), as: CatalogListing.self)
        return listing?.datasets.first { $0.id == transfer.dataset }?.checksumSHA256?.lowercased()
    }

    /// Why `agreement` is not fetched: its dataset is an API (a transfer's data address said so, or the federated
    /// catalog lists it without size and digest, as providers list APIs); nil for a file or when nothing is known.
    private func apiDataset(agreement: String, transfers: [TransferSummary]) -> String? {
        let advice = "it is read request by request with `verbund get --agreement \(agreement) /PATH` (docs/operator.md, "
            + "\"Using a partner's API\"); no transfer was started"
        if let api = transfers.first(where: { $0.kind == DatasetKind.api.rawValue }) {
            return TerminalText.shown("\(api.dataset) of \(api.peer) is an API dataset, not a file: " + advice)
        }
        guard let contract = try? client.get("/api/contracts/" + ManagementClient.queryValue(agreement), as: ContractReport.self),
              let listing = try? client.get("/api/catalog/federated?limit=10000&member=" + ManagementClient.queryValue(contract.peer),
                                            as: CatalogListing.self),
              let entry = listing.datasets.first(where: { $0.id == contract.dataset }),
              entry.byteSize == nil, entry.checksumSHA256 == nil else { return nil }
        return TerminalText.shown("\(entry.id) of \(entry.provider) is an API dataset (its catalog entry has no size or digest): "
                                  + advice)
    }

    /// What the connector knows of reaching `member`: its last error when the last contact failed, else nil.
    private func providerProblem(_ member: String) -> String? {
        guard let peers = try? client.get("/api/peers", as: [PeerReport].self),
              let peer = peers.first(where: { $0.id == member }), peer.reachable == false else { return nil }
        return peer.lastError ?? "the last attempt to reach it failed"
    }


    private struct DownloadBody: Encodable {
        let out: String
        let overwrite: Bool
    }

    private enum Outcome {
        case verified(sha256: String, bytes: Int64)
        case failed(String, retryable: Bool)
    }

    /// POST …/download and read the NDJSON progress as it comes.
    private func download(_ pid: String, out: String, overwrite: Bool) throws -> Outcome {
        var bar = TransferProgressBar(isTerminal: console.isTerminal && !json) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
        var plain = TransferProgressBar(isTerminal: false) { [console] text in
            console.err(text.trimmingCharacters(in: .newlines))
        }
        var pending: [UInt8] = []
        var outcome = Outcome.failed("the connector ended the download without a result", retryable: true)
        let headers: HTTPHeaders = ["Authorization": "Bearer \(client.token.value)", "Content-Type": "application/json"]
        let http = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(3), responseHeadTimeout: .seconds(60),
                                                                     bodyProgressTimeout: .seconds(120)))
        let request = HTTPClientRequest(method: .post, host: client.host, port: client.port, target: "/api/transfers/\(pid)/download",
                                        headers: headers, body: Array(try JSONEncoder().encode(DownloadBody(out: out, overwrite: overwrite))))
        var refusal: [UInt8] = []
        let head: HTTPResponseHead
        do {
            // Our own daemon streams the download's progress for as long as the download runs.
            head = try http.send(request, maxBodyBytes: Int.max, deadline: .seconds(24 * 3600)) { head, piece in
                guard head.status.code == 200 else { refusal += piece; return }
                pending += piece
                while let newline = pending.firstIndex(of: 0x0a) {
                    let line = Array(pending[..<newline])
                    pending.removeSubrange(...newline)
                    guard let event = try? ManagementJSON.decoder().decode(DownloadEvent.self, from: Data(line)) else { continue }
                    switch event.event {
                    case "progress":
                        if let at = event.resumedAt, !json {
                            console.err(TerminalText.shown("Resuming at byte \(at)" + (event.total.map { " of \($0)" } ?? "")
                                + ": \(TransferProgressBar.size(at)) were already in \(out)"))
                        }
                        if !json {
                            if console.isTerminal { bar.update(bytes: event.bytes ?? 0, total: event.total) }
                            else { plain.update(bytes: event.bytes ?? 0, total: event.total) }
                        }
                    case "verified":
                        outcome = .verified(sha256: event.sha256 ?? "", bytes: event.bytes ?? 0)
                    default:
                        outcome = .failed(event.error ?? "unknown error", retryable: event.retryable ?? false)
                    }
                }
            }
        } catch {
            bar.finish()
            return .failed("lost the connection to the connector: \(error)", retryable: true)
        }
        bar.finish()
        guard head.status.code == 200 else {
            let message = (try? JSONDecoder().decode([String: String].self, from: Data(refusal)))?["error"]
                ?? String(decoding: refusal, as: UTF8.self)
            return .failed("the connector answered \(head.status.code): \(message)", retryable: false)
        }
        return outcome
    }

    private func wait(_ pid: String, until states: Set<String>, timeout: Double) throws -> TransferSummary {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let summary = try client.get("/api/transfers/" + pid, as: TransferSummary.self)
            if states.contains(summary.state) || Date() >= deadline { return summary }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    private func failed(_ transfer: TransferSummary) -> CLIError {
        .refused(TerminalText.shown("transfer \(transfer.pid) is \(transfer.state)" + (transfer.reason.map { ": \($0)" } ?? "")))
    }

    private func report(_ result: Result) {
        if json {
            let encoder = ManagementJSON.encoder()
            console.out(TerminalText.json(String(decoding: (try? encoder.encode(result)) ?? Data(), as: UTF8.self)))
        } else {
            if result.alreadyFetched {
                console.out(TerminalText.shown("Already fetched: \(result.out) holds the verified data of transfer \(result.transfer.pid) "
                                               + "(\(result.bytes) bytes, sha-256 \(result.sha256)); no new transfer was started "
                                               + "(--force fetches again)"))
            } else {
                console.out(TerminalText.shown("Fetched \(result.out): \(result.bytes) bytes, sha-256 \(result.sha256) verified; "
                                               + "transfer \(result.transfer.pid) \(result.transfer.state)"))
            }
            console.out(TerminalText.shown("Dataset version \(result.version)"))
        }
    }
}
