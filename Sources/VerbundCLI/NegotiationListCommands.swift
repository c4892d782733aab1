import Foundation
import VerbundConnector

/// `verbund negotiations list|show`: every negotiation, also the ones that ended without a contract (which
/// `contracts list` does not show), with the peer's reason for a refusal.
enum NegotiationListCommands {
    static var group: CommandGroup {
        CommandGroup(name: "negotiations", summary: "list and show negotiations, with the reasons of refusals",
                     children: [.command(list), .command(show)])
    }

    private static let configOption = OptionSpec.value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG).")

    static var list: Command {
        Command(
            name: "list", summary: "list the negotiations, newest first",
            discussion: """
                Shows every negotiation this connector took part in, as consumer or provider: state, peer, dataset and,
                for a TERMINATED one, why. --state keeps only one state (e.g. TERMINATED).
                Example: verbund negotiations list --config ./jena/connector.json --state TERMINATED
                """,
            options: [configOption, .value("state", "STATE", "Only negotiations in this DSP state (REQUESTED, FINALIZED, TERMINATED, …)."),
                      .flag("json", "Print {\"negotiations\": [...]} as JSON.")]
        ) { arguments, console in
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            var list = try client.get("/api/negotiations", as: [String: [NegotiationReport]].self)["negotiations"] ?? []
            if let state = arguments.value("state")?.uppercased() { list = list.filter { $0.state == state } }
            list.sort { $0.updatedAt > $1.updatedAt }
            if arguments.flag("json") {
                console.out(NegotiationCommands.json(["negotiations": list]))
                return
            }
            for line in table(list) { console.out(line) }
        }
    }

    static var show: Command {
        Command(
            name: "show", summary: "show one negotiation", arguments: "ID",
            discussion: "ID is the negotiation id `negotiate` printed. Example: verbund negotiations show urn:uuid:…",
            options: [configOption, .flag("json", "Print the negotiation as JSON.")]
        ) { arguments, console in
            let id = try arguments.expectPositionals(["ID"])[0]
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let report = try client.get("/api/negotiations/" + NegotiationCommands.encoded(id), as: NegotiationReport.self)
            if arguments.flag("json") {
                console.out(NegotiationCommands.json(report))
                return
            }
            for line in details(report) { console.out(line) }
        }
    }

    static func table(_ list: [NegotiationReport]) -> [String] {
        guard !list.isEmpty else { return ["no negotiations"] }
        let dates = ISO8601DateFormatter()
        let rows = list.map { report in
            [report.state, report.role, TerminalText.shown(report.peer), TerminalText.shown(report.dataset),
             dates.string(from: report.updatedAt), TerminalText.shown(report.reason, or: "")]
        }
        let header = ["STATE", "ROLE", "PEER", "DATASET", "UPDATED", "REASON"]
        return TextTable.render(header: header, rows: rows)
    }

    static func details(_ report: NegotiationReport) -> [String] {
        let dates = ISO8601DateFormatter()
        var lines = [
            "negotiation  \(TerminalText.shown(report.id))",
            "state        \(report.state)",
            "role         \(report.role) (peer \(TerminalText.shown(report.peer)))",
            "dataset      \(TerminalText.shown(report.dataset))",
            "offer        \(TerminalText.shown(report.offer))",
            "purpose      \(TerminalText.shown(report.purpose, or: "-"))",
            "started      \(dates.string(from: report.createdAt))",
            "updated      \(dates.string(from: report.updatedAt))",
        ]
        if let agreement = report.agreementId { lines.append("agreement    \(TerminalText.shown(agreement)) (verbund contracts show)") }
        if let reason = report.reason { lines.append("reason       \(TerminalText.shown(reason))") }
        if let awaiting = report.awaiting { lines.append("waiting for  the peer to acknowledge \(TerminalText.shown(awaiting))") }
        return lines
    }
}
