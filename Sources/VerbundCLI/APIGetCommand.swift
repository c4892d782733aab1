import Foundation
import VerbundConnector
import VerbundHTTP
import VerbundTransport

/// `verbund get`: one request to a partner's API dataset through this connector (`GET /api/transfers/:pid/data/*`,
/// docs/operator.md "Using a partner's API"). Starts the agreement's transfer or reuses the running one, so repeated
/// calls spend one transfer and only the contract's request budget.
enum APIGetCommand {
    static var command: Command {
        Command(
            name: "get",
            summary: "read from a partner's API dataset through your own connector",
            arguments: "PATH",
            discussion: """
                Sends GET PATH (below the API's base, with its query) to the provider's data plane through the running
                connector (--config or VERBUND_CONFIG), which adds its mTLS identity and the transfer's token, and
                writes the answer to standard output or --out. The first call under an agreement starts its transfer;
                later calls reuse it while it runs. The provider decides what is allowed (paths, query parameters, the
                contract's request budget) and its refusal is printed with its reason; the exit status is 0 only for a
                2xx or 304 answer.
                Local applications (a dashboard, QGIS, curl) reach the same data at
                http://MANAGEMENT/api/transfers/PID/data/PATH with the management token or an account (docs/operator.md).
                Examples:
                  verbund get --agreement urn:uuid:… '/v1.1/Things?$top=5'
                  verbund get --agreement urn:uuid:… /v1.1/Observations --out ./belegung.json
                """,
            options: [TransferCommands.configOption, .value("agreement", "ID", "The agreement (contract) id."),
                      .value("transfer", "PID", "Use this running transfer instead of the agreement's."),
                      .value("out", "FILE", "Write the answer to FILE instead of standard output."),
                      .repeatable("header", "NAME:VALUE", "Send a request field (Accept, Accept-Language, If-None-Match, "
                                  + "If-Modified-Since, Range; others are not forwarded)."),
                      .flag("include", "Print the answer's status and fields to standard error first."),
                      .flag("head", "Send HEAD instead of GET (status and fields only).")]
        ) { arguments, console in
            let path = try arguments.expectPositionals(["PATH"])[0]
            let target = try requestTarget(path)
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let pid: String
            if let transfer = arguments.value("transfer") {
                pid = transfer
            } else {
                let agreement = try arguments.required("agreement")
                let body = Array(try JSONEncoder().encode(["agreementId": agreement]))
                let created = try client.decode(try client.send(.post, "/api/transfers", body: body), as: TransferSummary.self)
                if created.state == "TERMINATED" || created.state == "COMPLETED" {
                    throw CLIError.refused("transfer \(created.pid) is \(created.state); the contract may allow no further one")
                }
                pid = created.pid
            }
            var fields = HTTPHeaders()
            for header in arguments.values("header") {
                guard let colon = header.firstIndex(of: ":") else {
                    throw CLIError.usage("--header must be NAME:VALUE, not '\(header)'")
                }
                fields.add(String(header[..<colon]).trimmingCharacters(in: .whitespaces),
                           String(header[header.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
            let method: HTTPMethod = arguments.flag("head") ? .head : .get
            let sink = try AnswerSink(out: arguments.value("out"), console: console)
            let head = try exchange(client, method: method, target: "/api/transfers/\(ManagementClient.queryValue(pid))/data" + target,
                                    fields: fields, sink: sink)
            if arguments.flag("include") {
                console.err("HTTP \(head.status.code) \(head.status.reasonPhrase)")
                for field in head.headers { console.err(TerminalText.shown("\(field.name): \(field.value)")) }
            }
            guard (200..<300).contains(head.status.code) || head.status.code == 304 else {
                throw CLIError.refused(TerminalText.shown(refusal(status: head.status.code, body: sink.refusal, pid: pid)))
            }
            try sink.close()
            if let out = arguments.value("out") {
                console.err(TerminalText.shown("\(out): \(sink.bytes) bytes (HTTP \(head.status.code), transfer \(pid))"))
            }
        }
    }

    /// PATH as a request target: it must start with `/` (or `?` for the base's query); spaces and characters that
    /// may not appear in a target are percent-encoded, `%` escapes the user wrote are kept.
    static func requestTarget(_ path: String) throws(CLIError) -> String {
        guard path.hasPrefix("/") || path.hasPrefix("?") else {
            throw .usage("PATH must start with / (below the API's base), e.g. /v1.1/Things?$top=5, not '\(path)'")
        }
        guard !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .usage("PATH contains control characters")
        }
        let allowed = CharacterSet.urlQueryAllowed.union(.urlPathAllowed).union(CharacterSet(charactersIn: "%"))
            .subtracting(CharacterSet(charactersIn: "#"))
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// Streams the answer of the management API into `sink` (a 2xx/304 body) or its refusal buffer.
    private static func exchange(_ client: ManagementClient, method: HTTPMethod, target: String, fields: HTTPHeaders,
                                 sink: AnswerSink) throws(CLIError) -> HTTPResponseHead {
        var headers = fields
        headers.set("Authorization", "Bearer \(client.token.value)")
        let http = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: .seconds(3), responseHeadTimeout: .seconds(90),
                                                                     bodyProgressTimeout: .seconds(120)))
        let request = HTTPClientRequest(method: method, host: client.host, port: client.port, target: target, headers: headers)
        do {
            return try http.send(request, maxBodyBytes: Int.max, deadline: .seconds(20 * 60)) { head, piece in
                try sink.take(head, piece)
            }
        } catch {
            if let problem = sink.problem { throw .refused(problem) }
            throw .refused("the answer did not arrive completely: \(error); run the command again")
        }
    }

    /// The reason of a refusal: the provider's DSP `TransferError` reasons, or the management API's `error`.
    static func refusal(status: Int, body: [UInt8], pid: String) -> String {
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        let reasons = (object["reason"] as? [String]) ?? (object["dspace:reason"] as? [String]) ?? []
        let text = reasons.isEmpty ? (object["error"] as? String ?? String(decoding: body.prefix(1024), as: UTF8.self)) : reasons.joined(separator: "; ")
        let who = reasons.isEmpty ? "the connector" : "the provider"
        return "\(who) answered \(status) for transfer \(pid): \(text.trimmingCharacters(in: .whitespacesAndNewlines))"
    }
}

/// Where `verbund get` puts an answer: standard output or a file written as it arrives (created at the first byte
/// of a 2xx answer, so a refusal leaves an existing file alone); a refusal's body (at most 16 KiB) is kept for its
/// message instead.
private final class AnswerSink: @unchecked Sendable {
    private let console: any Console
    private let path: String?
    private var file: FileHandle?
    private(set) var refusal: [UInt8] = []
    private(set) var bytes = 0
    private(set) var problem: String?

    init(out: String?, console: any Console) throws(CLIError) {
        self.console = console
        if let out { self.path = try FetchTarget.check(out).path } else { self.path = nil }
    }

    func take(_ head: HTTPResponseHead, _ piece: [UInt8]) throws {
        guard (200..<300).contains(head.status.code) else {
            if refusal.count < 16 * 1024 { refusal += piece.prefix(16 * 1024 - refusal.count) }
            return
        }
        bytes += piece.count
        guard let path else {
            console.write(piece)
            return
        }
        do {
            try open(path).write(contentsOf: piece)
        } catch {
            problem = problem ?? "writing \(path) failed: \(error)"
            throw error
        }
    }

    private func open(_ path: String) throws -> FileHandle {
        if let file { return file }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            problem = TerminalText.shown("cannot write \(path): check the folder's permissions")
            throw CLIError.refused(problem ?? "")
        }
        file = handle
        return handle
    }

    /// Ends a successful answer: an empty body still leaves an (empty) file.
    func close() throws(CLIError) {
        guard let path else { return }
        do {
            let handle = try open(path)
            try handle.synchronize()
            try handle.close()
        } catch {
            throw .refused(problem ?? "writing \(path) failed: \(error)")
        }
    }
}
