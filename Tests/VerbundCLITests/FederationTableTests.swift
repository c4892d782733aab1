import Foundation
import Testing
import VerbundFederation
@testable import VerbundCLI

@Suite struct FederationTableTests {
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
