import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
@testable import VerbundConnector

/// Negotiation with the real catalog module, as `verbund serve` runs them: the provider reads offers from its catalog
/// tables (`CatalogOffers`), the consumer reads them from the provider's DSP dataset endpoint (`PeerDatasetSource`).
@Suite(.offCooperativePool) struct NegotiationCatalogTests {
    @Test func offersPublishedInTheCatalogAreNegotiated() throws {
        let federation = try FederationFixture(members: ["a", "b"], ags: ["a": "16053000", "b": "16051000"])
        let wire = WireRecorder()
        let a = try NegotiationTestbed.retryingBind {
            try federation.start("a", modules: [CatalogModule(crawls: false), NegotiationModule(offers: CatalogOffers(), tap: wire.tap("a"))])
        }
        defer { a.stop() }
        let b = try NegotiationTestbed.retryingBind {
            try federation.start("b", modules: [CatalogModule(crawls: false), NegotiationModule(offers: CatalogOffers(), tap: wire.tap("b"))])
        }
        defer { b.stop() }
        let offer = Offer(id: "urn:uuid:catalog-offer", permission: [Rule(action: "use", constraint: [
            .atomic(DSPVocabulary.regionOperand, "isPartOf", .string("16")),
        ])])
        let record = DatasetRecord(id: "urn:dataset:katalog", title: "Baustellen", offers: [offer])
        try a.context.database.transaction { tx in
            try CatalogStore(database: a.context.database).insert(record, filePath: federation.root.path + "/data.csv", at: Date(), in: tx)
        }

        let bed = try NegotiationTestbed(members: [])
        let started = try bed.negotiate(b, peer: "a", dataset: "urn:dataset:katalog", purpose: "Planung")
        #expect(started.offer == offer.id)
        let finished = try bed.waitUntilFinished(b, started.id)
        #expect(finished.state == "FINALIZED" && finished.signing == "dual")
        let agreementId = try #require(finished.agreementId)
        // The provider finalizes when the consumer acknowledges the FINALIZED event, a moment after the consumer did.
        var stored: ContractRecord?
        let deadline = Date().addingTimeInterval(10)
        while stored == nil && Date() < deadline {
            stored = try a.context.database.read { tx in try NegotiationContracts().contract(agreementId: agreementId, in: tx) }
            if stored == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        let contract = try #require(stored)
        #expect(contract.agreement.target == "urn:dataset:katalog" && contract.agreement.permission == offer.normalized().permission)

        // Withdrawn from the catalog, the offer is no longer agreed to.
        try a.context.database.transaction { tx in _ = try CatalogStore(database: a.context.database).remove(id: record.id, in: tx) }
        let unknown = try NegotiationEngine(context: b.context, offers: RegisteredOffers(), tap: nil)
            .startConsuming(peer: "a", dataset: "urn:dataset:katalog", offer: offer, purpose: nil)
        let refused = try bed.waitUntilFinished(b, unknown.localPid)
        #expect(refused.state == "TERMINATED")
        #expect(try #require(refused.reason).contains("not in this connector's catalog"))
        #expect(try DSPValidation.failures(wire.bodies.map(\.body)).isEmpty)
    }
}
