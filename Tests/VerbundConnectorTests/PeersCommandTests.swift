import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
@testable import VerbundConnector

/// `verbund peers`: who is in the federation, whether this connector reaches them, how their catalog crawl went.
@Suite(.offCooperativePool) struct PeersCommandTests {
    @Test func peersProbesAndShowsEachMemberUnderAHeader() throws {
        let bed = try NegotiationTestbed(members: ["a", "b", "c"])
        let a = try bed.start("a")
        defer { a.stop() }
        let b = try bed.start("b")
        defer { b.stop() }
        // c is in the registry but its connector is not running.
        let config = bed.federation.members["b"]!.configurationFile
        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["peers", "--config", config, "--probe"], console: console) == 0, "\(console.standardError)")
        let lines = console.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("MEMBER  STATUS  REACHABLE  LAST CONTACT") == true, "\(console.standardOutput)")
        #expect(lines.contains { $0.hasPrefix("a ") && $0.contains("active") && $0.contains(" yes ") }, "\(console.standardOutput)")
        #expect(lines.contains { $0.hasPrefix("c ") && $0.contains(" no ") }, "\(console.standardOutput)")
        #expect(!lines.contains { $0.hasPrefix("b ") })

        let json = CapturedConsole()
        #expect(VerbundCommandLine.main(["peers", "--config", config, "--json"], console: json) == 0)
        let decoded = try ManagementJSON.decoder().decode([String: [PeersCommand.Row]].self, from: Data(json.standardOutput.utf8))
        #expect(decoded["peers"]?.map(\.peer.id).sorted() == ["a", "c"])
    }

    @Test func ageIsReadable() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(PeersCommand.age(since: now.addingTimeInterval(-5), now: now) == "5 s ago")
        #expect(PeersCommand.age(since: now.addingTimeInterval(-600), now: now) == "10 min ago")
        #expect(PeersCommand.age(since: now.addingTimeInterval(-3 * 3600), now: now) == "3 h ago")
        #expect(PeersCommand.age(since: now.addingTimeInterval(-5 * 86_400), now: now) == "5 d ago")
        #expect(TextTable.render(header: ["A", "BB", "C"], rows: [["xxx", "y", "free text"]]) == ["A    BB  C", "xxx  y   free text"])
    }
}
