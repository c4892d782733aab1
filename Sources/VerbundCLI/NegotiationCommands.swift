import Foundation
import VerbundConnector
import VerbundJSON
import VerbundFederation

/// `verbund negotiate` and `verbund contracts …`: clients of the negotiation module's management API.
enum NegotiationCommands {
    /// The negotiation module as `verbund serve` runs it: offers from the catalog module's tables.
    static func module() -> NegotiationModule {
        NegotiationModule(offers: CatalogOffers())
    }

    static var negotiate: Command {
        Command(
            name: "negotiate",
            summary: "negotiate a contract for a peer's dataset and wait for the outcome",
            discussion: """
                Starts a DSP contract negotiation as consumer with member --peer for --dataset (its first offer, or
                --offer) and waits until it ends. --offer-file requests an offer forwarded by a member that sees it in
                the provider's catalog (an Offer from `verbund catalog --json`, or a DSP Dataset's hasPolicy; --offer
                picks one if the file holds several) instead of reading the dataset from the provider; the provider
                agrees only to its published offer, unchanged, and only if its policy permits this member. FINALIZED: prints the agreement id and exits 0. TERMINATED: prints the
                provider's reason and exits 1. No outcome within --timeout seconds: exits 1 (the negotiation goes on;
                see `verbund negotiations show ID` later, and `verbund contracts list` once it is FINALIZED).
                Example: verbund negotiate --config ./jena/connector.json --peer erfurt --dataset urn:dataset:baustellen --purpose Verkehrsplanung
                """,
            options: [
                .value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG)."),
                .value("peer", "MEMBER", "The provider's member id."),
                .value("dataset", "ID", "The dataset's id in the provider's catalog."),
                .value("offer", "ID", "The offer's @id (default: the dataset's first offer)."),
                .value("offer-file", "OFFER.json", "Request this forwarded ODRL Offer instead of reading the dataset's offers."),
                .value("purpose", "TEXT", "The purpose stated to the provider (checked against purpose constraints)."),
                .value("timeout", "SECONDS", "How long to wait for the outcome (default 60)."),
                .flag("json", "Print the negotiation as JSON."),
            ]
        ) { arguments, console in
            let peer = try arguments.required("peer")
            let dataset = try arguments.required("dataset")
            let timeout = try arguments.integer("timeout", default: 60, in: 1...86_400)
            var start = NegotiationStartRequest(peer: peer, dataset: dataset, offer: arguments.value("offer"),
                                                purpose: arguments.value("purpose"))
            if let file = arguments.value("offer-file") {
                start.offerPolicy = try ForwardedOfferFile.read(file, offerId: start.offer, dataset: dataset)
            }
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let body: [UInt8]
            do {
                body = [UInt8](try JSONEncoder().encode(start))
            } catch {
                throw CLIError.refused("cannot encode the request: \(error)")
            }
            let started = try client.decode(try client.send(.post, "/api/negotiations", body: body), as: NegotiationReport.self)
            let path = "/api/negotiations/" + (started.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? started.id)
            let deadline = Date().addingTimeInterval(Double(timeout))
            var report = started
            while !["FINALIZED", "TERMINATED"].contains(report.state) {
                guard Date() < deadline else {
                    throw CLIError.refused("negotiation \(TerminalText.shown(started.id)) is still \(TerminalText.shown(report.state)) after \(timeout) s; it goes on in the daemon; see `verbund negotiations show \(TerminalText.shown(started.id))`")
                }
                Thread.sleep(forTimeInterval: 0.05)
                report = try client.get(path, as: NegotiationReport.self)
            }
            if arguments.flag("json") {
                console.out(json(report))
            } else if report.state == "FINALIZED" {
                console.out(TerminalText.shown(report.agreementId ?? ""))
            }
            if report.state == "TERMINATED" {
                throw CLIError.refused("negotiation \(TerminalText.shown(report.id)) with \(TerminalText.shown(peer)) was terminated: \(TerminalText.shown(report.reason, or: "no reason given"))")
            }
        }
    }

    static var contracts: CommandGroup {
        CommandGroup(name: "contracts", summary: "list, show and export the connector's signed contracts", children: [
            .command(Command(
                name: "list", summary: "list the finalized contracts, newest first",
                discussion: "Example: verbund contracts list --config ./jena/connector.json",
                options: [.value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG)."),
                          .flag("json", "Print the contracts as JSON.")]
            ) { arguments, console in
                let client = try ManagementClient(configurationFile: arguments.value("config"))
                let list = try client.get("/api/contracts", as: [String: [ContractReport]].self)["contracts"] ?? []
                if arguments.flag("json") {
                    console.out(json(list))
                    return
                }
                if list.isEmpty { console.out("no contracts") }
                let dates = ISO8601DateFormatter()
                for contract in list {
                    console.out("\(TerminalText.shown(contract.agreementId))  \(contract.role) with \(TerminalText.shown(contract.peer))  "
                                + "\(TerminalText.shown(contract.dataset))  "
                                + "\(contract.signing)-signed  \(dates.string(from: contract.finalizedAt))")
                }
            }),
            .command(Command(
                name: "show", summary: "show one contract", arguments: "ID",
                discussion: "ID is the agreement id (or the negotiation's id). Example: verbund contracts show urn:uuid:…",
                options: [.value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG)."),
                          .flag("json", "Print the contract as JSON.")]
            ) { arguments, console in
                let id = try arguments.expectPositionals(["ID"])[0]
                let client = try ManagementClient(configurationFile: arguments.value("config"))
                let contract = try client.get("/api/contracts/" + encoded(id), as: ContractReport.self)
                if arguments.flag("json") {
                    console.out(json(contract))
                    return
                }
                let dates = ISO8601DateFormatter()
                console.out("agreement   \(TerminalText.shown(contract.agreementId))")
                console.out("dataset     \(TerminalText.shown(contract.dataset))")
                console.out("provider    \(TerminalText.shown(contract.agreement.assigner))")
                console.out("consumer    \(TerminalText.shown(contract.agreement.assignee))")
                console.out("role        \(contract.role) (peer \(TerminalText.shown(contract.peer)))")
                console.out("purpose     \(TerminalText.shown(contract.purpose, or: "-"))")
                console.out("signatures  \(contract.signing)")
                console.out("finalized   \(dates.string(from: contract.finalizedAt))")
            }),
            .command(Command(
                name: "export", summary: "write the dual-signed contract (general JSON JWS) to a file", arguments: "ID",
                discussion: """
                    Writes the contract as one JWS in general JSON serialization (RFC 7515 §7.2.1) with the provider's and
                    the consumer's signature; any JOSE library verifies it with the keys in the x5c headers.
                    Example: verbund contracts export urn:uuid:… --out contract.jws.json
                    """,
                options: [.value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG)."),
                          .value("out", "FILE", "Where to write the JWS."),
                          .flag("evidence", "Write the evidence bundle instead (docs/auditor.md); check it with `verbund audit verify`."),
                          .flag("json", "Print {\"agreementId\", \"kind\", \"file\"} as JSON.")]
            ) { arguments, console in
                let id = try arguments.expectPositionals(["ID"])[0]
                let out = try arguments.required("out")
                let client = try ManagementClient(configurationFile: arguments.value("config"))
                let asJSON = arguments.flag("json")
                func written(_ kind: String) -> String {
                    MemberJSON.text(["agreementId": .string(id), "kind": .string(kind), "file": .string(out)] as JSONValue)
                }
                if arguments.flag("evidence") {
                    try AuditCommands.exportEvidence(client: client, agreementId: id, to: out)
                    console.out(asJSON ? written("evidence")
                                : "wrote the evidence bundle \(out); check it with: verbund audit verify \(out) --root root.pem")
                    return
                }
                let response = try client.send(.get, "/api/contracts/" + encoded(id) + "/export")
                guard response.status.code == 200 else {
                    let message = (try? JSONDecoder().decode([String: String].self, from: Data(response.body)))?["error"] ?? "status \(response.status.code)"
                    throw CLIError.refused("cannot export contract \(TerminalText.shown(id)): \(TerminalText.shown(message))")
                }
                do {
                    try AtomicFile.write(response.body, to: out)
                } catch {
                    throw CLIError.refused("cannot write \(out): \(error)")
                }
                console.out(asJSON ? written("contract") : "wrote \(out)")
            }),
        ])
    }

    static func encoded(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? id
    }

    static func json<Value: Encodable>(_ value: Value) -> String {
        let encoder = ManagementJSON.encoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return TerminalText.json((try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}")
    }
}
