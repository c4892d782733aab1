import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
@testable import VerbundConnector

/// The provider's automatic decision from the offer's policy and the consumer's membership, with three connectors.
@Suite(.offCooperativePool) struct NegotiationPolicyTests {
    @Test func regionAndMemberListRefuseOtherMembersWithReadableReasons() throws {
        // b is in Thüringen (AGS 16…), c in Bayern (09…).
        let bed = try NegotiationTestbed(members: ["a", "b", "c"], ags: ["a": "16053000", "b": "16051000", "c": "09162000"])
        bed.publish(at: "a", dataset: "urn:dataset:thueringen", offerId: "urn:uuid:region-16",
                    constraints: [.atomic(DSPVocabulary.regionOperand, "isPartOf", .string("16"))])
        bed.publish(at: "a", dataset: "urn:dataset:nur-b", offerId: "urn:uuid:member-b",
                    constraints: [.atomic(DSPVocabulary.memberOperand, "isAnyOf", .list([.string("urn:verbund:testfed:b")]))])
        bed.publish(at: "a", dataset: "urn:dataset:forschung", offerId: "urn:uuid:purpose",
                    constraints: [.atomic("purpose", "eq", .string("Forschung"))])
        let a = try bed.start("a")
        defer { a.stop() }
        let b = try bed.start("b")
        defer { b.stop() }
        let c = try bed.start("c")
        defer { c.stop() }

        let bRegion = try bed.negotiate(b, peer: "a", dataset: "urn:dataset:thueringen")
        let cRegion = try bed.negotiate(c, peer: "a", dataset: "urn:dataset:thueringen")
        let bMember = try bed.negotiate(b, peer: "a", dataset: "urn:dataset:nur-b")
        let cMember = try bed.negotiate(c, peer: "a", dataset: "urn:dataset:nur-b")
        let cPurpose = try bed.negotiate(c, peer: "a", dataset: "urn:dataset:forschung", purpose: "Forschung")
        let bPurpose = try bed.negotiate(b, peer: "a", dataset: "urn:dataset:forschung", purpose: "Werbung")

        #expect(try bed.waitUntilFinished(b, bRegion.id).state == "FINALIZED")
        #expect(try bed.waitUntilFinished(b, bMember.id).state == "FINALIZED")
        #expect(try bed.waitUntilFinished(c, cPurpose.id).state == "FINALIZED")

        let refusedRegion = try bed.waitUntilFinished(c, cRegion.id)
        #expect(refusedRegion.state == "TERMINATED")
        #expect(refusedRegion.agreementId == nil)
        let regionReason = try #require(refusedRegion.reason)
        #expect(regionReason.contains("your AGS 09162000 is not in it"), "\(regionReason)")

        let refusedMember = try bed.waitUntilFinished(c, cMember.id)
        #expect(refusedMember.state == "TERMINATED")
        #expect(try #require(refusedMember.reason).contains("you are c"))

        let refusedPurpose = try bed.waitUntilFinished(b, bPurpose.id)
        #expect(refusedPurpose.state == "TERMINATED")
        #expect(try #require(refusedPurpose.reason).contains("Purpose \"Werbung\" is not allowed"))

        // The provider sees the same ends and kept the purpose the consumer stated.
        let providerPid = try #require(refusedPurpose.providerPid)
        let providerSide = try #require(try bed.report(a, providerPid))
        #expect(providerSide.state == "TERMINATED" && providerSide.purpose == "Werbung" && providerSide.reason == refusedPurpose.reason)
        // c holds one contract (purpose), b two; the provider three.
        let contracts = NegotiationContracts()
        #expect(try a.context.database.read { tx in try contracts.contracts(in: tx) }.count == 3)
        #expect(try c.context.database.read { tx in try contracts.contracts(in: tx) }.count == 1)
        let problems = try bed.validateWire()
        #expect(problems.isEmpty, "\(problems)")
        #expect(bed.wire.types.contains("ContractNegotiationTerminationMessage"))
    }

    @Test func unknownOffersAndChangedRulesAreRefused() throws {
        let bed = try NegotiationTestbed(members: ["a", "b"])
        let published = bed.publish(at: "a", dataset: "urn:dataset:x", offerId: "urn:uuid:x-offer")
        let a = try bed.start("a")
        defer { a.stop() }
        let b = try bed.start("b")
        defer { b.stop() }
        let engine = NegotiationEngine(context: b.context, offers: RegisteredOffers(), tap: bed.wire.tap("b"))

        // An offer the provider does not have: 400 on the initial request, the consumer ends TERMINATED with the reason.
        let unknown = try engine.startConsuming(peer: "a", dataset: "urn:dataset:x", offer: Offer(id: "urn:uuid:nope", permission: [Rule(action: "use")]),
                                                purpose: nil)
        let ended = try bed.waitUntilFinished(b, unknown.localPid)
        #expect(ended.state == "TERMINATED")
        #expect(try #require(ended.reason).contains("not in this connector's catalog"))

        // The consumer asks for the offer with a rule the provider did not publish: terminated with the reason.
        var changed = published.offer
        changed.prohibition = [Rule(action: "distribute")]
        let tampered = try engine.startConsuming(peer: "a", dataset: "urn:dataset:x", offer: changed, purpose: nil)
        let refused = try bed.waitUntilFinished(b, tampered.localPid)
        #expect(refused.state == "TERMINATED")
        #expect(try #require(refused.reason).contains("changes the rules"))
        #expect(try bed.validateWire().isEmpty)
    }
}
