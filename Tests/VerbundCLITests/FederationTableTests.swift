import Foundation
import Testing
import VerbundTestSupport
import VerbundConnector
import VerbundFederation
@testable import VerbundCLI

@Suite(.offCooperativePool) struct FederationTableTests {
    private func registry(expiringIn days: Double, status: MemberStatus = .active) throws -> MemberRegistry {
        let now = Date()
        let certificate = MemberCertificate(fingerprint: "aa", serial: "01", notBefore: now.addingTimeInterval(-86_400),
                                            notAfter: now.addingTimeInterval(days * 86_400))
        let member = Member(id: "jena", participantId: "urn:verbund:t:jena", name: "Stadt Jena", ags: try MunicipalityKey("16053000"),
                            endpoint: "https://jena.example/dsp", roles: [.consumer, .provider], status: status,
                            statusReason: status == .active ? nil : "audit", certificates: [certificate])
        return MemberRegistry(federation: .init(id: "t", name: "T"), serial: 4, issuedAt: now, members: [member])
    }

    @Test func listsMembersWithColumns() throws {
        let text = FederationTable.render(try registry(expiringIn: 200), now: Date())
        #expect(text.contains("Registry serial 4"))
        #expect(text.contains("MEMBER  NAME"))
        #expect(text.contains("jena    Stadt Jena  active  consumer,provider  16053000  https://jena.example/dsp"))
        #expect(!text.contains("warning"))
    }

    @Test func warnsAboutCertificatesExpiringWithin30Days() throws {
        let text = FederationTable.render(try registry(expiringIn: 10.5), now: Date())
        #expect(text.contains("(!10d)"))
        #expect(text.contains("warning: jena: certificate expires in 10 days"))
        let expired = FederationTable.render(try registry(expiringIn: -1), now: Date())
        #expect(expired.contains("EXPIRED"))
    }

    @Test func showsStatusReasonAndEmptyFederation() throws {
        #expect(FederationTable.render(try registry(expiringIn: 200, status: .suspended), now: Date()).contains("suspended (audit)"))
        let empty = MemberRegistry(federation: .init(id: "t", name: "T"), serial: 1, issuedAt: Date())
        #expect(FederationTable.render(empty, now: Date()).contains("No members yet"))
    }
}

/// What the CLI prints from a registry or a connector never reaches the terminal raw.
@Suite(.offCooperativePool) struct TerminalEscapingTests {
    @Test func theTableEscapesNamesIdsReasonsAndEndpoints() throws {
        let member = Member(id: "jena", participantId: "urn:verbund:t:jena", name: "Evil\u{1B}]0;pwned\u{07}\u{1B}[2J",
                            ags: nil, endpoint: "https://jena.example/dsp\u{1B}[1m", roles: [.consumer], status: .suspended,
                            statusReason: "audit\u{9B}31m", certificates: [])
        let registry = MemberRegistry(federation: .init(id: "t", name: "T\u{202E}X"), serial: 2, issuedAt: Date(), members: [member])
        let text = FederationTable.render(registry, now: Date())
        #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{9B}" || $0 == "\u{07}" || $0 == "\u{202E}" })
        #expect(text.contains("Evil\\u{1B}]0;pwned\\u{7}\\u{1B}[2J"))
        #expect(text.contains("audit\\u{9B}31m"))
        #expect(text.contains("T\\u{202E}X"))
    }

    @Test func statusLinesAreEscaped() throws {
        let json = """
            {"health":{"status":"ok","version":"1","member":"a\\u001b[2J","participantId":"urn:x\\u0007","registrySerial":1,
            "crlStale":false,"uptimeSeconds":1,"warnings":["w\\u001b]0;t\\u0007"]},"endpoint":"https://a/dsp","federationId":"f",
            "registryIssuedAt":"2026-01-01T00:00:00Z","members":1,"activeMembers":1,"modules":["core"],
            "listeners":{"dsp":"127.0.0.1:1","management":"127.0.0.1:2"}}
            """
        let status = try ManagementJSON.decoder().decode(StatusReport.self, from: Data(json.utf8))
        let text = StatusCommand.lines(status).joined(separator: "\n")
        #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
        #expect(text.contains("a\\u{1B}[2J"))
    }
}
