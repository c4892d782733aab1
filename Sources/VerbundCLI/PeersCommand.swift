import Foundation
import VerbundConnector

/// `verbund peers`: every other member of the registry held, whether this connector reaches it, and how its last
/// catalog crawl went — the first place to look when a partner "cannot be found".
enum PeersCommand {
    /// A peer as the command shows it: the member, and its crawl state when the catalog module has one.
    struct Row: Codable, Equatable {
        let peer: PeerReport
        let crawl: FederatedCatalog.MemberState?
    }

    static var command: Command {
        Command(
            name: "peers",
            summary: "list the other members: status, reachable, last contact, last catalog crawl",
            discussion: """
                Reads the registry this connector holds and what it saw of each member. --probe asks every active member
                for its protocol version first (in parallel), so "reachable" is fresh rather than from the last exchange.
                Example: verbund peers --config ./jena/connector.json --probe
                """,
            options: [
                .value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG)."),
                .flag("probe", "Contact every active member now."),
                .flag("json", "Print {\"peers\": [{\"peer\": …, \"crawl\": …}]} as JSON."),
            ]
        ) { arguments, console in
            let client = try ManagementClient(configurationFile: arguments.value("config"))
            let peers = try client.get("/api/peers" + (arguments.flag("probe") ? "?probe=1" : ""), as: [PeerReport].self)
            // Without the catalog module there is no crawl state; the peers are still worth showing.
            let crawls = (try? client.get("/api/catalog/crawl", as: [FederatedCatalog.MemberState].self)) ?? []
            let rows = peers.map { peer in Row(peer: peer, crawl: crawls.first { $0.member == peer.id }) }
            if arguments.flag("json") {
                console.out(NegotiationCommands.json(["peers": rows]))
                return
            }
            for line in table(rows, now: Date()) { console.out(line) }
        }
    }

    static func table(_ rows: [Row], now: Date) -> [String] {
        guard !rows.isEmpty else { return ["no other members in the registry held"] }
        let header = ["MEMBER", "STATUS", "REACHABLE", "LAST CONTACT", "CATALOG", "PROBLEM"]
        let cells = rows.map { row -> [String] in
            let peer = row.peer
            let reachable = peer.reachable.map { $0 ? "yes" : "no" } ?? "not yet"
            let contact = peer.lastContact.map { age(since: $0, now: now) } ?? "-"
            let catalog = row.crawl.map { crawl in
                crawl.lastSuccess.map { "\(crawl.datasets) datasets, \(age(since: $0, now: now))" } ?? "never crawled"
            } ?? "-"
            let problem = peer.lastError ?? row.crawl?.lastError ?? ""
            return [TerminalText.shown(peer.id), peer.status, reachable, contact, catalog, TerminalText.shown(problem)]
        }
        return TextTable.render(header: header, rows: cells)
    }

    /// "12 s ago", "5 min ago", "3 h ago", "2 d ago".
    static func age(since date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<120: return "\(seconds) s ago"
        case ..<7200: return "\(seconds / 60) min ago"
        case ..<172_800: return "\(seconds / 3600) h ago"
        default: return "\(seconds / 86_400) d ago"
        }
    }
}
