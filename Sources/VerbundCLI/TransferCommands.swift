import Foundation
import VerbundConnector
import VerbundHTTP
import VerbundTransport

/// `verbund fetch` and `verbund transfers …`: transfers through the running connector's management API.
///
/// The download is done by the consumer daemon (so the data request carries the connector's own mTLS identity); the
/// CLI starts it, shows the progress the daemon streams, and exits 0 only when the daemon verified the file's sha-256.
enum TransferCommands {
    static let configOption = OptionSpec.value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG).")
    static let jsonOption = OptionSpec.flag("json", "Print the result as JSON.")

    static var group: CommandGroup {
        CommandGroup(name: "transfers", summary: "list and control transfer processes", children: [
            .command(list), .command(show), .command(change("suspend", "suspend a running transfer (data stops until resumed)")),
            .command(change("resume", "restart a suspended transfer")),
            .command(change("terminate", "end a transfer for good")),
        ])
    }

    static var fetch: Command {
        Command(
            name: "fetch",
            summary: "transfer a dataset under a contract: request, download, verify, complete",
            discussion: """
                Runs the whole transfer through the connector (--config or VERBUND_CONFIG): requests it under the
                agreement, waits for the provider's start, lets the connector download the data over mTLS into --out,
                checks its sha-256 against the provider's Content-Digest and sends the completion. Interrupted (Ctrl-C,
                network loss, a daemon restart), the same command resumes from the bytes already in --out. A network
                interruption is retried up to three times. Exit 0 only when the file's digest matches.
                --out is checked first: its folder must exist, and a file there that is not this agreement's download
                is replaced only with --force. Run again after success, it starts no new transfer while --out still
                holds the verified data (a cron retry does not spend the contract's transfers); --force fetches anew.
                While the provider does not answer, the request stays queued and is retried; running the command
                again retries at once and continues the same transfer.
                Example: verbund fetch --config ./jena/connector.json --agreement urn:uuid:… --out ./verkehr.csv
                """,
            options: [configOption, .value("agreement", "ID", "The agreement (contract) id."),
                      .value("out", "PATH", "Where the data goes (the connector writes it; same host)."),
                      .value("format", "pull|push", "Transfer format (default pull)."),
                      .flag("force", "Replace a file at --out that is not this download, or fetch again what is there."),
                      jsonOption]
        ) { arguments, console in
            let agreement = try arguments.required("agreement")
            let outArgument = try arguments.required("out")
            let out = outArgument.hasPrefix("/") ? outArgument
                : FileManager.default.currentDirectoryPath + "/" + outArgument
            let format: String
            switch arguments.value("format") ?? "pull" {
            case "pull": format = TransferFormat.pull
            case "push": format = TransferFormat.push
            case let other: throw CLIError.usage("--format must be pull or push, not '\(other)'")
            }
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            try TransferFetch(client: client, console: console, json: arguments.flag("json"))
                .run(agreement: agreement, out: out, format: format, force: arguments.flag("force"))
        }
    }

    static var list: Command {
        Command(name: "list", summary: "list transfer processes, newest first",
                discussion: "Example: verbund transfers list --config ./jena/connector.json --json",
                options: [configOption, jsonOption]) { arguments, console in
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let response = try client.send(.get, "/api/transfers")
            let all = try client.decode(response, as: [String: [TransferSummary]].self)["transfers"] ?? []
            if arguments.flag("json") {
                console.out(TerminalText.json(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
                return
            }
            guard !all.isEmpty else { return console.out("No transfers.") }
            console.out(row(["PID", "ROLE", "PEER", "STATE", "BYTES", "AGREEMENT"]))
            for transfer in all {
                console.out(row([transfer.pid, transfer.role, transfer.peer, transfer.state, String(transfer.bytes),
                                 transfer.agreementId].map(TerminalText.shown)))
            }
        }
    }

    static var show: Command {
        Command(name: "show", summary: "show one transfer process", arguments: "ID",
                discussion: "Example: verbund transfers show urn:uuid:… --config ./jena/connector.json",
                options: [configOption, jsonOption]) { arguments, console in
            let id = try arguments.expectPositionals(["ID"])[0]
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let response = try client.send(.get, "/api/transfers/" + id)
            let transfer = try client.decode(response, as: TransferSummary.self)
            if arguments.flag("json") {
                console.out(TerminalText.json(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
                return
            }
            for line in describe(transfer) { console.out(line) }
        }
    }

    static func change(_ action: String, _ summary: String) -> Command {
        Command(name: action, summary: summary, arguments: "ID",
                discussion: "Example: verbund transfers \(action) urn:uuid:… --config ./jena/connector.json --reason \"maintenance\"",
                options: [configOption, .value("reason", "TEXT", "Why, sent to the peer (suspend, terminate)."), jsonOption]
        ) { arguments, console in
            let id = try arguments.expectPositionals(["ID"])[0]
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            var body: [UInt8] = []
            if let reason = arguments.value("reason") { body = Array((try? JSONEncoder().encode(["reason": reason])) ?? Data()) }
            let response = try client.send(.post, "/api/transfers/\(id)/\(action)", body: body)
            let transfer = try client.decode(response, as: TransferSummary.self)
            if arguments.flag("json") {
                console.out(TerminalText.json(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
            } else {
                console.out(TerminalText.shown("Transfer \(transfer.pid): \(transfer.state)" + (transfer.reason.map { " (\($0))" } ?? "")))
            }
        }
    }

    static func describe(_ transfer: TransferSummary) -> [String] {
        var lines = [
            "transfer    \(transfer.pid) (\(transfer.role))", "state       \(transfer.state)",
            "peer        \(transfer.peer)", "agreement   \(transfer.agreementId)", "dataset     \(transfer.dataset)",
            "format      \(transfer.format)", "bytes       \(transfer.bytes)",
        ]
        if let sha256 = transfer.sha256 { lines.append("sha-256     \(sha256)") }
        if let reason = transfer.reason { lines.append("reason      \(reason)") }
        // Ids, peer, dataset, format and reason come from the peer (a reason is its free text).
        return lines.map(TerminalText.shown)
    }

    private static func row(_ cells: [String]) -> String {
        let widths = [46, 9, 14, 11, 12]
        return cells.enumerated().map { index, cell in
            index < widths.count ? cell.padding(toLength: max(widths[index], cell.count + 1), withPad: " ", startingAt: 0) : cell
        }.joined()
    }
}
