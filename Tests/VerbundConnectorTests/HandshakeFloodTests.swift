import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
@testable import VerbundConnector

/// Pre-authentication exhaustion (issue 9): a stranger without a certificate holds hundreds of TCP connections to a
/// member's DSP listener open, silent or trickling a byte a second, and renews what the server closes. Other members'
/// catalog requests and negotiations must still succeed, promptly: handshakes have their own bounded stage with a
/// short total deadline, per-source bounds and eviction of the oldest handshake, apart from the admitted connections.
///
/// On the code before this change the connections took the 128 connection slots at accept for 10 s each, and the
/// member's calls failed with 503 or a closed connection.
@Suite(.serialized, .offCooperativePool) struct HandshakeFloodTests {
    /// `VERBUND_FLOOD_CONNECTIONS` overrides the number of stranger connections (docs/performance.md uses 500).
    static let connections = Int(ProcessInfo.processInfo.environment["VERBUND_FLOOD_CONNECTIONS"] ?? "") ?? 500

    @Test(arguments: [HandshakeFlood.Style.silent, .trickling])
    func membersAreServedWhileStrangersHoldUnauthenticatedConnections(style: HandshakeFlood.Style) throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try NegotiationTestbed.retryingBind {
            try federation.start("a", modules: [CatalogModule(crawls: false), NegotiationModule(offers: CatalogOffers())])
        }
        defer { a.stop() }
        let b = try NegotiationTestbed.retryingBind {
            try federation.start("b", modules: [CatalogModule(crawls: false), NegotiationModule(offers: CatalogOffers())])
        }
        defer { b.stop() }
        let offer = Offer(id: "urn:uuid:flood-offer", permission: [Rule(action: "use")])
        try CatalogHarness.insert(a, [CatalogHarness.record("urn:dataset:flood", title: "Baustellen", offer: offer)])

        // 20 source addresses with 25 connections each: more than a source may hold in handshake (16), and more than
        // the whole handshake stage (256), so both the per-source refusal and the eviction are at work.
        let flood = HandshakeFlood(port: try #require(federation.members["a"]).dspPort, count: Self.connections,
                                   style: style, perSource: 25)
        defer { flood.stop() }
        let deadline = ContinuousClock.now + .seconds(10)
        while flood.opened < Self.connections && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(flood.opened >= Self.connections)
        // Let the flood run for longer than a handshake deadline, so renewal is part of the picture too.
        Thread.sleep(forTimeInterval: style == .trickling ? 3.5 : 1)

        let catalogStarted = ContinuousClock.now
        let catalog = try CatalogHarness.catalogRequest(from: b, to: "a")
        let catalogTime = ContinuousClock.now - catalogStarted
        #expect(catalog.status.code == 200)
        #expect(try CatalogHarness.datasetIDs(catalog) == ["urn:dataset:flood"])

        b.context.peerClient.resetConnections()  // the negotiation opens fresh connections under the flood too
        let negotiationStarted = ContinuousClock.now
        let bed = try NegotiationTestbed(members: [])
        let started = try bed.negotiate(b, peer: "a", dataset: "urn:dataset:flood")
        let finished = try bed.waitUntilFinished(b, started.id, timeout: 20)
        let negotiationTime = ContinuousClock.now - negotiationStarted
        #expect(finished.state == "FINALIZED")

        let refused = a.log.events("http.connection.refused").count + a.log.events("http.handshake.evicted").count
        #expect(refused > 0, "the flood never reached a bound")
        // Refusals are logged within a budget (10 per 10 s plus the count of suppressed ones), not once per connection.
        #expect(refused <= 40)
        #expect(catalogTime < .seconds(5))
        #expect(negotiationTime < .seconds(10))
        print("handshake flood: \(Self.connections) \(style) connections (\(flood.opened) opened incl. renewals):"
              + " catalog request \(catalogTime), negotiation to FINALIZED \(negotiationTime)")
    }
}
