import Dispatch
import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// A member whose DSP callbacks answer only after a long time (or never) must not hold back the deliveries to other
/// members: at most `perPeerDeliveries` of the outbox's slots go to one destination, and each attempt ends by its
/// total deadline.
@Suite(.offCooperativePool) struct OutboxSlowPeerTests {
    /// A hostile member's callback routes: every DSP message is held until `release` (or `delay`), then taken.
    struct SlowCallbackPeer: ConnectorModule {
        final class Gate: Sendable {
            let opened = DispatchSemaphore(value: 0)
            let arrived = Atomic<Int>(0)
            /// Lets every held request (and all later ones) go.
            func release() { for _ in 0..<1_000 { opened.signal() } }
        }

        let name = "slow-callback"
        let migrationVersions = 83...83
        let delay: Duration
        let gate = Gate()

        func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
            let (gate, delay) = (self.gate, self.delay)
            let hold: DSPHandler = { _, body in
                _ = try body.readAll()
                gate.arrived.add(1, ordering: .relaxed)
                if gate.opened.wait(timeout: .now() + .milliseconds(Int(delay / .milliseconds(1)))) == .success { gate.opened.signal() }
                return DSPResponse.ok
            }
            router.post("/slow/negotiations/:pid/agreement", hold)
            router.post("/slow/negotiations/:pid/events", hold)
            router.post("/slow/negotiations/:pid/termination", hold)
            router.post("/huge/answer") { _, body in
                _ = try body.readAll()
                return DSPResponse.json(bytes: Array(#"{"pad":""#.utf8) + [UInt8](repeating: 0x61, count: 4 << 20) + Array(#""}"#.utf8))
            }
        }
    }

    @Test func anAnswerLargerThanTheOutboxTakesIsNotAcknowledgedButRetried() throws {
        let federation = try FederationFixture(members: ["a", "s"])
        let sender = ProbeModule()
        let a = try federation.start("a", modules: [sender])
        defer { a.stop() }
        let s = try federation.start("s", modules: [SlowCallbackPeer(delay: .seconds(1))])
        defer { s.stop() }
        try a.context.database.transaction { tx in
            try a.context.enqueue(OutboxRequest(id: "m-huge", kind: "probe.message", destination: .member("s", path: "/huge/answer"),
                                                body: Array("{}".utf8)), in: tx)
        }
        let retry = try #require(a.log.waitFor("outbox.retry", timeout: 10))
        #expect(retry["id"] as? String == "m-huge")
        #expect(sender.record.outcomes.withLock { $0.isEmpty })
    }

    @Test func aSlowMembersCallbacksDoNotStallAnotherMembersNegotiation() throws {
        let bed = try NegotiationTestbed(members: ["a", "b", "s"])
        let offer = bed.publish(at: "a", dataset: "urn:dataset:x")
        let offers = bed.offers["a"]!
        // a is the provider; its deliveries end after 3 s at most, whatever the peer does.
        let a = try NegotiationTestbed.retryingBind {
            try bed.federation.start("a", modules: [NegotiationModule(offers: offers), DatasetEndpointModule(offers: offers)],
                                     options: { $0.outbox.deliveryDeadline = .seconds(3) })
        }
        defer { a.stop() }
        let slow = SlowCallbackPeer(delay: .seconds(20))
        let s = try NegotiationTestbed.retryingBind { try bed.federation.start("s", modules: [slow]) }
        defer { s.stop() }
        defer { slow.gate.release() }
        let b = try bed.start("b")
        defer { b.stop() }

        // s opens ten negotiations with a, each with its slow callback: a owes s ten agreements (ten lanes).
        let callback = "https://127.0.0.1:\(bed.federation.members["s"]!.dspPort)/dsp/slow"
        for n in 0..<10 {
            let request = try s.context.peerClient.send(toMember: "a", method: .post, path: "/negotiations/request", body: [UInt8](
                try DSPMessage.contractRequest(ContractRequestMessage(consumerPid: "urn:uuid:slow-\(n)", offer: offer.offer.targeting("urn:dataset:x"),
                                                                      callbackAddress: callback)).encoded()))
            #expect(request.status.code == 201)
        }
        let arrivalDeadline = ContinuousClock.now + .seconds(5)
        while slow.gate.arrived.load(ordering: .relaxed) < 2, ContinuousClock.now < arrivalDeadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(slow.gate.arrived.load(ordering: .relaxed) >= 2)

        // b's negotiation with a goes through while s holds its callbacks: a's other delivery slots are free.
        let began = ContinuousClock.now
        let negotiation = try bed.negotiate(b, peer: "a", dataset: "urn:dataset:x")
        let finished = try bed.waitUntilFinished(b, negotiation.id, timeout: 10)
        #expect(finished.state == "FINALIZED")
        #expect(ContinuousClock.now - began < .seconds(3))
        // Never more than two deliveries to s at once (the per-peer limit), though ten are due.
        #expect(slow.gate.arrived.load(ordering: .relaxed) <= 4)

        // A held delivery ends at its total deadline and is retried later.
        let retry = a.log.waitFor("outbox.retry", timeout: 8) { ($0["reason"] as? String)?.contains("deadline") == true }
        #expect(retry != nil)
        // a stops promptly: its deliveries in flight end by their deadline.
        let stopping = ContinuousClock.now
        a.stop()
        #expect(ContinuousClock.now - stopping < .seconds(5))
    }
}
