import Foundation
import Testing
import VerbundTrust
@testable import VerbundFederation

@Suite struct PeerAdmissionTests {
    @Test func activeListedMemberIsAdmitted() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let certificate = try federation.admit("jena")
        let trust = try federation.trust()
        let member = try trust.admit(certificate).get()
        #expect(member.id == "jena")
        #expect(member.participantId == "urn:verbund:thueringen:jena")
    }

    @Test func revokedCertificateIsRefusedAsOnTheCRL() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let certificate = try federation.admit("jena")
        _ = try federation.reopen().revoke(memberId: "jena", reason: "key leaked", code: .keyCompromise)
        let refusal = try #require(refusalOf(try federation.trust().admit(certificate)))
        #expect(refusal == .revokedOnCRL(serial: certificate.serialNumber.hex))
        #expect(refusal.description.contains("revoked"))
    }

    @Test func suspendedMemberIsRefusedAndReinstatedIsAdmitted() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let certificate = try federation.admit("jena")
        let trust = try federation.trust()
        _ = try federation.reopen().suspend(memberId: "jena", reason: "unpaid fee")
        #expect(trust.offer(registry: try federation.registryText).isAccepted)
        let refusal = try #require(refusalOf(trust.admit(certificate)))
        #expect(refusal == .memberNotActive(memberId: "jena", status: .suspended, reason: "unpaid fee"))
        #expect(refusal.description.contains("suspended"))
        _ = try federation.reopen().reinstate(memberId: "jena", reason: nil)
        #expect(trust.offer(registry: try federation.registryText).isAccepted)
        #expect(try trust.admit(certificate).get().id == "jena")
    }

    @Test func certificateNotInTheHeldRegistryIsRefused() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let trust = try federation.trust()  // holds serial 1, before the admission
        let certificate = try federation.admit("jena")
        let refusal = try #require(refusalOf(trust.admit(certificate)))
        guard case .fingerprintNotListed = refusal else { Issue.record("wrong refusal \(refusal)"); return }
        #expect(refusal.description.contains("not listed"))
    }

    @Test func certificateOfAnotherFederationIsRefused() throws {
        let federation = try TestFederation()
        let other = try TestFederation(id: "sachsen", name: "Sachsen")
        let twin = try TestFederation(id: "thueringen", name: "Twin")
        defer { federation.remove(); other.remove(); twin.remove() }
        try federation.admit("jena")
        let trust = try federation.trust()

        let foreign = try other.admit("jena")
        let refusal = try #require(refusalOf(trust.admit(foreign)))
        #expect(refusal == .foreignFederation(found: "urn:verbund:sachsen:jena", expected: "thueringen"))
        #expect(refusal.description.contains("another federation"))

        // Same federation id, but another root: the chain check names it.
        let impostor = try twin.admit("jena")
        guard case let .chainFailed(reason) = try #require(refusalOf(trust.admit(impostor))) else {
            Issue.record("impostor not refused by the chain check"); return
        }
        #expect(reason.contains("issuer"))
    }

    @Test func expiredCertificateIsRefused() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let certificate = try federation.admit("jena", days: 1)
        let trust = try federation.trust()
        let twoDaysLater = Date().addingTimeInterval(2 * 86_400)
        guard case let .chainFailed(reason) = try #require(refusalOf(trust.admit(certificate, at: twoDaysLater))) else {
            Issue.record("expired certificate not refused by the chain check"); return
        }
        #expect(reason.contains("expired"))
    }

    @Test func sanURIMustBeTheListedParticipant() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        // The root issues a certificate naming erfurt, and a (mistaken) registry lists it for jena.
        let (_, csr) = try TestFederation.csr(name: "Stadt Jena")
        let certificate = try federation.admin.root.issue(
            csr: csr, subjectAltNameURIs: ["urn:verbund:thueringen:erfurt"], days: 30, profile: .connector)
        let listing = MemberCertificate(fingerprint: certificate.fingerprintSHA256, serial: certificate.serialNumber.hex,
                                        notBefore: certificate.notBefore, notAfter: certificate.notAfter)
        let registry = federation.admin.registry.next(at: Date()) { members in
            members.append(Member(id: "jena", participantId: "urn:verbund:thueringen:jena", name: "Stadt Jena", ags: nil,
                                  endpoint: "https://jena.example/dsp", roles: [.consumer], certificates: [listing]))
        }
        let admission = PeerAdmission(root: try federation.root, registry: registry, crl: try federation.crl)
        let refusal = try #require(refusalOf(admission.decide(certificate: certificate, at: Date())))
        #expect(refusal == .participantMismatch(memberId: "jena", expected: "urn:verbund:thueringen:jena",
                                                found: ["urn:verbund:thueringen:erfurt"]))
    }

    @Test func renewedMemberIsAdmittedWithOldAndNewCertificate() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let old = try federation.admit("jena")
        let (_, csr) = try TestFederation.csr(name: "Stadt Jena")
        let renewed = try federation.reopen().renew(memberId: "jena", csr: csr)
        #expect(renewed.member.certificates.count == 2)
        let trust = try federation.trust()
        #expect(try trust.admit(old).get().id == "jena")
        #expect(try trust.admit(renewed.certificate).get().id == "jena")
        // Retiring the old certificate leaves the new one working.
        _ = try federation.reopen().revoke(memberId: "jena", reason: "rollover done", code: .superseded, certificateSerial: old.serialNumber.hex)
        let after = try federation.trust()
        #expect(refusalOf(after.admit(old)) == .revokedOnCRL(serial: old.serialNumber.hex))
        #expect(try after.admit(renewed.certificate).get().status == .active)
    }

    private func refusalOf(_ result: Result<Member, AdmissionRefusal>) -> AdmissionRefusal? {
        if case let .failure(reason) = result { return reason }
        return nil
    }
}
