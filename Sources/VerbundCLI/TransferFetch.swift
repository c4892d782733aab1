import Foundation
import VerbundConnector
import VerbundHTTP
import VerbundTransport

/// The steps of `verbund fetch` against the management API.
struct TransferFetch {
    let client: ManagementClient
    let console: any Console
    let json: Bool
    var attempts = 3

    private struct Result: Encodable {
        let transfer: TransferSummary
        let out: String
        let sha256: String
        let bytes: Int64
        /// The dataset version received: the SHA-256 of the provider's snapshot, verified over the bytes.
        var version: String { sha256 }

        enum CodingKeys: String, CodingKey { case transfer, out, sha256, bytes, version }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(transfer, forKey: .transfer)
            try container.encode(out, forKey: .out)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(bytes, forKey: .bytes)
            try container.encode(version, forKey: .version)
        }
    }

    func run(agreement: String, out: String, format: String) throws {
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
        let started = try wait(created.pid, until: ["STARTED", "COMPLETED", "TERMINATED"], timeout: 60)
        guard started.state == "STARTED" || started.state == "COMPLETED" else { throw failed(started) }

        var lastError = ""
        for attempt in 1...attempts {
            switch try download(created.pid, out: out) {
            case let .verified(sha256, bytes):
                let done = try wait(created.pid, until: ["COMPLETED", "TERMINATED"], timeout: 30)
                guard done.state == "COMPLETED" else { throw failed(done) }
                return report(Result(transfer: done, out: out, sha256: sha256, bytes: bytes))
            case let .failed(error, retryable):
                lastError = error
                guard retryable, attempt < attempts else { break }
                if !json { console.err("Interrupted: \(TerminalText.shown(error)); resuming (attempt \(attempt + 1) of \(attempts))") }
                Thread.sleep(forTimeInterval: Double(attempt))
                continue
            }
            break
        }
        throw CLIError.refused("the download did not finish: \(TerminalText.shown(lastError))\n"
                               + "Run the same command again to resume from the bytes already in \(out).")
    }

    private enum Outcome {
        case verified(sha256: String, bytes: Int64)
        case failed(String, retryable: Bool)
    }

    /// POST …/download and read the NDJSON progress as it comes.
    private func download(_ pid: String, out: String) throws -> Outcome {
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
                                        headers: headers, body: Array(try JSONEncoder().encode(["out": out])))
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
            console.out(TerminalText.shown("Fetched \(result.out): \(result.bytes) bytes, sha-256 \(result.sha256) verified; "
                                           + "transfer \(result.transfer.pid) \(result.transfer.state)"))
            console.out(TerminalText.shown("Dataset version \(result.version)"))
        }
    }
}
