import Foundation
import Testing
import VerbundTestSupport
import VerbundAudit
import VerbundDataspace
import VerbundJSON
import VerbundTrust
@testable import VerbundConnector

/// The purpose the provider accepted is inside the agreement both parties sign, and shown from there.
@Suite(.offCooperativePool) struct NegotiationPurposeTests {
    /// The consumer states "U+0055 U+0308 berwachung" (decomposed, capitalised); the offer allows "überwachung"
    /// (precomposed, lower case): they match, and the signed agreement, `contracts show` and `audit verify` name it.
    @Test func acceptedPurposeIsSignedAndShown() throws {
        let bed = try NegotiationTestbed(members: ["p", "c"])
        let stated = "U\u{0308}berwachung"
        bed.publish(at: "p", dataset: "urn:dataset:purpose", constraints: [.atomic("purpose", "eq", .string("\u{00FC}berwachung"))])
        let audit = AuditModule(contracts: NegotiationContracts(), settings: .init(signInterval: .milliseconds(50)))
        let p = try bed.start("p", extra: [audit])
        defer { p.stop() }
        let c = try bed.start("c")
        defer { c.stop() }

        let negotiation = try bed.negotiate(c, peer: "p", dataset: "urn:dataset:purpose", purpose: stated)
        let finished = try bed.waitUntilFinished(c, negotiation.id)
        #expect(finished.state == "FINALIZED", "\(finished.reason ?? "")")
        let agreementId = try #require(finished.agreementId)

        // In the signed bytes: the JWS payload both signatures cover carries the purpose under its full IRI.
        let contract = try GeneralJWS(json: String(decoding: try c.management("/api/contracts/\(agreementId)/export").body, as: UTF8.self))
        #expect(contract.signatures.count == 2)
        let payload = try CanonicalJSON.parsePeerJSON(contract.payload)
        #expect(payload[DSPVocabulary.purposeProperty]?.stringValue == stated)
        // `contracts show` reads it from the agreement, on both sides.
        for side in [c, p] {
            let report = try ManagementJSON.decoder().decode(ContractReport.self, from: Data(try side.management("/api/contracts/\(agreementId)").body))
            #expect(report.purpose == stated)
        }
        // `audit verify` reports it from the signed agreement.
        let bundle = try p.management("/api/contracts/\(agreementId)/evidence")
        let verification = EvidenceVerifier.verify(bundle.body, root: p.context.trust.root)
        #expect(verification.summary?.purpose == stated)
        #expect(verification.summary?.text.contains("Purpose:             \(stated)") == true)
        #expect(try bed.validateWire().isEmpty)
    }

    /// A provider whose signed agreement names another purpose than the one stated is refused by the consumer.
    @Test func agreementWithAnotherPurposeIsRefused() throws {
        let bed = try NegotiationTestbed(members: ["b", "p"], opensslMembers: ["p"])
        let b = try bed.start("b")
        defer { b.stop() }
        let peer = IndependentPeer()
        let p = try NegotiationTestbed.retryingBind { try bed.federation.start("p", modules: [peer]) }
        defer { p.stop() }

        let engine = NegotiationEngine(context: b.context, offers: RegisteredOffers(), tap: nil)
        let consumer = try engine.startConsuming(peer: "p", dataset: "urn:dataset:own", offer: Offer(id: "urn:uuid:own-offer", permission: [Rule(action: "use")]),
                                                 purpose: "Verkehrsplanung")
        let request = try CanonicalJSON.parsePeerJSON(try peer.waitFor("/negotiations/request", status: 201).body)
        let callback = try #require(request["callbackAddress"]?.stringValue)
        let identity = try bed.federation.identity("p")
        var agreement = IndependentJSON.agreement(id: "urn:uuid:other-purpose", target: "urn:dataset:own", assigner: "urn:verbund:testfed:p",
                                                  assignee: "urn:verbund:testfed:b", timestamp: "2026-06-01T10:00:00Z")
        agreement = String(agreement.dropLast()) + #", "https://w3id.org/verbund/v1/purpose": "Werbung"}"#
        let message = IndependentJSON.agreementMessage(providerPid: IndependentPeer.providerPid(consumer.localPid), consumerPid: consumer.localPid,
                                                       agreement: agreement, signature: try IndependentJSON.sign(agreement, key: identity.key, chain: identity.chain))
        #expect(try p.context.peerClient.send(toURL: callback + "/negotiations/\(consumer.localPid)/agreement", method: .post,
                                              body: Array(message.utf8)).status.code == 200)
        let ended = try bed.waitUntilFinished(b, consumer.localPid)
        #expect(ended.state == "TERMINATED")
        #expect(try #require(ended.reason).contains("purpose is \"Werbung\""))
    }
}
