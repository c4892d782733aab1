import Foundation
import Testing
import VerbundTestSupport
import VerbundCLI
import VerbundDataspace
import VerbundTrust
@testable import VerbundConnector

/// `verbund negotiate` and `verbund contracts …` against running connectors.
@Suite(.offCooperativePool) struct NegotiationCLITests {
    @Test func negotiateWaitsForTheOutcomeAndContractsExport() throws {
        let bed = try NegotiationTestbed(members: ["a", "b"], ags: ["a": "16053000", "b": "09162000"])
        bed.publish(at: "a", dataset: "urn:dataset:open")
        bed.publish(at: "a", dataset: "urn:dataset:thueringen",
                    constraints: [.atomic(DSPVocabulary.regionOperand, "isPartOf", .string("16"))])
        let a = try bed.start("a")
        defer { a.stop() }
        let b = try bed.start("b")
        defer { b.stop() }
        let config = bed.federation.members["b"]!.configurationFile

        let agreed = CapturedConsole()
        #expect(VerbundCommandLine.main(["negotiate", "--config", config, "--peer", "a", "--dataset", "urn:dataset:open",
                                         "--purpose", "Statistik"], console: agreed) == 0, "\(agreed.standardError)")
        let agreementId = agreed.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(agreementId.hasPrefix("urn:uuid:"))

        let refused = CapturedConsole()
        #expect(VerbundCommandLine.main(["negotiate", "--config", config, "--peer", "a", "--dataset", "urn:dataset:thueringen"],
                                        console: refused) == 1)
        #expect(refused.standardError.contains("was terminated"))
        #expect(refused.standardError.contains("your AGS 09162000 is not in it"))

        let json = CapturedConsole()
        #expect(VerbundCommandLine.main(["negotiate", "--config", config, "--peer", "a", "--dataset", "urn:dataset:open", "--json"],
                                        console: json) == 0)
        let report = try ManagementJSON.decoder().decode(NegotiationReport.self, from: Data(json.standardOutput.utf8))
        #expect(report.state == "FINALIZED" && report.signing == "dual")

        // `negotiations list` shows the refused one too, with the provider's reason, under a header.
        let negotiations = CapturedConsole()
        #expect(VerbundCommandLine.main(["negotiations", "list", "--config", config, "--state", "terminated"],
                                        console: negotiations) == 0)
        let rows = negotiations.standardOutput.split(separator: "\n")
        #expect(rows.count == 2, "\(negotiations.standardOutput)")
        #expect(rows.first?.hasPrefix("STATE       ROLE      PEER") == true, "\(negotiations.standardOutput)")
        #expect(rows.last?.contains("urn:dataset:thueringen") == true && rows.last?.contains("your AGS 09162000 is not in it") == true)
        let all = CapturedConsole()
        #expect(VerbundCommandLine.main(["negotiations", "list", "--config", config, "--json"], console: all) == 0)
        let listed = try ManagementJSON.decoder().decode([String: [NegotiationReport]].self, from: Data(all.standardOutput.utf8))
        #expect(listed["negotiations"]?.count == 3)
        let terminatedId = try #require(listed["negotiations"]?.first { $0.state == "TERMINATED" }?.id)
        let one = CapturedConsole()
        #expect(VerbundCommandLine.main(["negotiations", "show", terminatedId, "--config", config], console: one) == 0)
        #expect(one.standardOutput.contains("state        TERMINATED"))
        #expect(one.standardOutput.contains("reason       ") && one.standardOutput.contains("09162000"))
        #expect(VerbundCommandLine.main(["negotiations", "show", "urn:uuid:none", "--config", config], console: CapturedConsole()) == 1)

        let list = CapturedConsole()
        #expect(VerbundCommandLine.main(["contracts", "list", "--config", config], console: list) == 0)
        #expect(list.standardOutput.contains(agreementId) && list.standardOutput.contains("dual-signed"))
        let show = CapturedConsole()
        #expect(VerbundCommandLine.main(["contracts", "show", agreementId, "--config", config], console: show) == 0)
        #expect(show.standardOutput.contains("purpose     Statistik"))
        #expect(show.standardOutput.contains("provider    urn:verbund:testfed:a"))

        let out = bed.federation.root.path + "/contract.jws.json"
        #expect(VerbundCommandLine.main(["contracts", "export", agreementId, "--out", out, "--config", config],
                                        console: CapturedConsole()) == 0)
        let exported = try String(contentsOfFile: out, encoding: .utf8)
        #expect(try GeneralJWS(json: exported).signatures.count == 2)

        // Usage errors exit 2, unknown contracts 1.
        #expect(VerbundCommandLine.main(["negotiate", "--config", config, "--dataset", "x"], console: CapturedConsole()) == 2)
        let missing = CapturedConsole()
        #expect(VerbundCommandLine.main(["contracts", "show", "urn:uuid:none", "--config", config], console: missing) == 1)
        #expect(missing.standardError.contains("no finalized contract"))
        #expect(VerbundCommandLine.main(["contracts", "export", "urn:uuid:none", "--out", out, "--config", config],
                                        console: CapturedConsole()) == 1)
        let unknownPeer = CapturedConsole()
        #expect(VerbundCommandLine.main(["negotiate", "--config", config, "--peer", "zz", "--dataset", "x"], console: unknownPeer) == 1)
        #expect(unknownPeer.standardError.contains("no member 'zz'"))
    }

    @Test func negotiateGivesUpAfterTheTimeout() throws {
        let bed = try NegotiationTestbed(members: ["b", "p"])
        let p = try bed.startSilentProvider("p", dataset: "urn:dataset:slow")
        defer { p.stop() }
        let b = try bed.start("b")
        defer { b.stop() }
        let console = CapturedConsole()
        let config = bed.federation.members["b"]!.configurationFile
        #expect(VerbundCommandLine.main(["negotiate", "--config", config, "--peer", "p", "--dataset", "urn:dataset:slow",
                                         "--timeout", "1"], console: console) == 1)
        #expect(console.standardError.contains("is still REQUESTED after 1 s"), "\(console.standardError)")
        #expect(console.standardError.contains("see `verbund negotiations show urn:"), "\(console.standardError)")
    }
}
