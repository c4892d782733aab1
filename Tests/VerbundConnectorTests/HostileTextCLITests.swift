import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
import VerbundConnector
import VerbundDataspace

/// A member publishes a dataset whose id, title and offer id hold terminal escape sequences (retitle the window,
/// clear the screen, hide text) and a bidi override. Another member's operator browses the catalog with the CLI:
/// every such character must reach the terminal as visible, inert `\u{…}` text — in the listing, in the federated
/// catalog and in `--json` (there as JSON escapes, so a script still reads the original title).
@Suite(.offCooperativePool) struct HostileTextCLITests {
    static let title = "Parken\u{1B}]0;owned\u{07}\u{1B}[2J\u{1B}[8mversteckt\u{202E}vsc.exe"
    static let id = "urn:dataset:\u{1B}[31mrot"
    /// What a terminal could act on: ESC, BEL, the C1 CSI and the bidi override.
    static let live: [Character] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}"]

    @Test func theCLIPrintsAPeersHostileDatasetTextInert() throws {
        let fixture = try FederationFixture(members: ["a", "b"])
        let a = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { a.stop() }
        let b = try fixture.start("b", modules: [CatalogModule(crawls: false)])
        defer { b.stop() }
        let offer = Offer(id: "urn:offer:\u{9B}2J", permission: [Rule(action: "use")])
        try CatalogHarness.insert(a, [CatalogHarness.record(Self.id, title: Self.title, offer: offer)])
        let config = try #require(fixture.members["b"]).configurationFile

        func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
            let console = CapturedConsole()
            let status = VerbundCommandLine.main(arguments, console: console)
            return (status, console.standardOutput, console.standardError)
        }
        func expectInert(_ text: String, _ what: String) {
            for character in Self.live { #expect(!text.contains(character), "\(what) holds a live \(character.unicodeScalars.first!.escaped(asASCII: true))") }
        }

        let peer = run(["catalog", "--peer", "a", "--config", config])
        #expect(peer.status == 0, "\(peer.err)")
        expectInert(peer.out + peer.err, "catalog --peer")
        #expect(peer.out.contains(#"Parken\u{1B}]0;owned\u{7}\u{1B}[2J\u{1B}[8mversteckt\u{202E}vsc.exe"#))
        #expect(peer.out.contains(#"id: urn:dataset:\u{1B}[31mrot"#))
        #expect(peer.out.contains(#"offer urn:offer:\u{9B}2J"#))

        let federated = run(["catalog", "--all", "--crawl", "--config", config])
        #expect(federated.status == 0, "\(federated.err)")
        expectInert(federated.out + federated.err, "catalog --all")
        #expect(federated.out.contains(#"\u{1B}]0;owned"#))

        let json = run(["catalog", "--peer", "a", "--config", config, "--json"])
        #expect(json.status == 0, "\(json.err)")
        expectInert(json.out, "catalog --json")
        // Still the same JSON for a script: the original title and ids come back.
        let listing = try ManagementJSON.decoder().decode(CatalogListing.self, from: Data(json.out.utf8))
        #expect(listing.datasets.map(\.title) == [Self.title])
        #expect(listing.datasets.map(\.id) == [Self.id])
    }

    /// A peer's transfer fields and its free-text reason (suspend/terminate) as `transfers show` prints them, and an
    /// error the connector relays from a peer as the command runner prints it.
    @Test func transferReasonsAndRelayedErrorsArePrintedInert() throws {
        let json = """
            {"pid": "urn:uuid:1", "role": "consumer", "peer": "a\\u001b]0;x\\u0007", "agreementId": "urn:uuid:2",
             "dataset": "urn:d\\u202e", "format": "HttpData-PULL", "state": "TERMINATED", "consumerPid": "urn:uuid:1",
             "reason": "quota\\u001b[2J\\u009b8m", "bytes": 0, "createdAt": "2026-01-01T00:00:00Z",
             "updatedAt": "2026-01-01T00:00:00Z"}
            """
        let transfer = try ManagementJSON.decoder().decode(TransferSummary.self, from: Data(json.utf8))
        let lines = TransferCommands.describe(transfer).joined(separator: "\n")
        for character in Self.live { #expect(!lines.contains(character)) }
        #expect(lines.contains(#"reason      quota\u{1B}[2J\u{9B}8m"#))
        #expect(lines.contains(#"peer        a\u{1B}]0;x\u{7}"#))

        let failing = Command(name: "fail", summary: "fails like a relayed peer refusal") { _, _ in
            throw CLIError.refused("the connector answered 502: peer said \u{1B}]0;owned\u{07}\u{1B}[2J\nsecond line")
        }
        let console = CapturedConsole()
        let status = CommandRunner(root: CommandGroup(name: "verbund", summary: "test", children: [.command(failing)]))
            .run(["fail"], console: console)
        #expect(status == 1)
        for character in Self.live { #expect(!console.standardError.contains(character)) }
        #expect(console.standardError == #"error: the connector answered 502: peer said \u{1B}]0;owned\u{7}\u{1B}[2J"# + "\nsecond line")
    }

    @Test func jsonEscapingKeepsTheDocumentAndLinesKeepTheirBreaks() throws {
        let document = "{\n  \"t\": \"a\u{9B}b\u{202E}c\u{7F}\u{E0001}\"\n}"
        let shown = TerminalText.json(document)
        #expect(shown == "{\n  \"t\": \"a\\u009bb\\u202ec\\u007f\\udb40\\udc01\"\n}")
        let decoded = try JSONSerialization.jsonObject(with: Data(shown.utf8)) as? [String: String]
        #expect(decoded?["t"] == "a\u{9B}b\u{202E}c\u{7F}\u{E0001}")
        #expect(TerminalText.json("{\"plain\": \"Jena ✓\"}") == "{\"plain\": \"Jena ✓\"}")
        #expect(TerminalText.shownLines("first\u{1B}[2J\nsecond") == "first\\u{1B}[2J\nsecond")
        #expect(TerminalText.shown(nil, or: "-") == "-")
    }
}
