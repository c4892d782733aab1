import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport
@testable import VerbundConnector

/// DSP 2025-1 status codes and state rules at the negotiation routes: 400 + `ContractNegotiationError` for invalid
/// transitions (state unchanged), 404 for unknown and foreign negotiations, replays answered without a second change.
@Suite(.offCooperativePool) struct NegotiationProtocolTests {
    private static func send(_ from: RunningConnector, to member: String, _ path: String, _ message: DSPMessage?,
                             method: HTTPMethod = .post) throws -> PeerResponse {
        let body = try message.map { [UInt8](try $0.encoded()) } ?? []
        return try from.context.peerClient.send(toMember: member, method: method, path: path, body: body)
    }

    private static func errorBody(_ response: PeerResponse) throws -> ContractNegotiationError {
        try DSPJSON.decode(ContractNegotiationError.self, from: Data(response.body))
    }

    /// Other members, unknown ids, malformed bodies and misdirected callbacks need no finished negotiation:
    /// `NegotiationRouteTests` checks them at the routes in process.
    @Test func invalidTransitionsInFinalizedAre400() throws {
        let bed = try NegotiationTestbed(members: ["a", "b"])
        bed.publish(at: "a", dataset: "urn:dataset:x")
        let a = try bed.start("a")
        defer { a.stop() }
        let b = try bed.start("b")
        defer { b.stop() }
        let finished = try bed.waitUntilFinished(b, try bed.negotiate(b, peer: "a", dataset: "urn:dataset:x").id)
        #expect(finished.state == "FINALIZED")
        let providerPid = try #require(finished.providerPid)
        let consumerPid = try #require(finished.consumerPid)
        var answers: [[UInt8]] = []

        // Finished negotiations stay readable, for their own member. The provider finalizes when the consumer
        // acknowledges its FINALIZED event, which can land a moment after the consumer already reports FINALIZED.
        var read = try Self.send(b, to: "a", "/negotiations/\(providerPid)", nil, method: .get)
        let deadline = ContinuousClock.now + .seconds(10)
        while try DSPJSON.decode(ContractNegotiation.self, from: Data(read.body)).state != .finalized,
              ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            read = try Self.send(b, to: "a", "/negotiations/\(providerPid)", nil, method: .get)
        }
        #expect(read.status.code == 200)
        #expect(try DSPJSON.decode(ContractNegotiation.self, from: Data(read.body)).state == .finalized)
        answers.append(read.body)
        let callback = "https://127.0.0.1:\(bed.federation.members["b"]!.dspPort)/dsp/callback/negotiations/\(consumerPid)"
        let readBack = try a.context.peerClient.send(toURL: callback, method: .get)
        #expect(readBack.status.code == 200)
        answers.append(readBack.body)

        // Invalid transitions from the right member: 400 with the error body, state unchanged.
        let late = try Self.send(b, to: "a", "/negotiations/\(providerPid)/agreement/verification", .contractAgreementVerification(
            ContractAgreementVerificationMessage(providerPid: providerPid, consumerPid: consumerPid)))
        #expect(late.status.code == 400)
        let lateError = try Self.errorBody(late)
        #expect(lateError.providerPid == providerPid && lateError.consumerPid == consumerPid)
        #expect(lateError.reason.joined().contains("FINALIZED"))
        let accepted = try Self.send(b, to: "a", "/negotiations/\(providerPid)/events", .contractNegotiationEvent(
            ContractNegotiationEventMessage(providerPid: providerPid, consumerPid: consumerPid, eventType: .accepted)))
        #expect(accepted.status.code == 400)
        let providerFinalized = try Self.send(b, to: "a", "/negotiations/\(providerPid)/events", .contractNegotiationEvent(
            ContractNegotiationEventMessage(providerPid: providerPid, consumerPid: consumerPid, eventType: .finalized)))
        #expect(providerFinalized.status.code == 400)
        #expect(try Self.errorBody(providerFinalized).reason.joined().contains("may not be sent by the consumer"))
        answers += [late.body, accepted.body, providerFinalized.body]
        #expect(try bed.report(a, providerPid)?.state == "FINALIZED")

        let problems = try DSPValidation.failures(answers.filter { !$0.isEmpty }) + (try bed.validateWire())
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func replayedMessagesDoNotChangeStateTwice() throws {
        let bed = try NegotiationTestbed(members: ["b", "p"])
        bed.publish(at: "p", dataset: "urn:dataset:slow")
        let b = try bed.start("b")
        defer { b.stop() }
        // p acknowledges requests but never decides, so b's negotiation stays REQUESTED.
        let silent = SilentProvider()
        let p = try NegotiationTestbed.retryingBind { try bed.federation.start("p", modules: [DatasetEndpointModule(offers: bed.offers["p"]!), silent]) }
        defer { p.stop() }

        let waiting = try bed.negotiate(b, peer: "p", dataset: "urn:dataset:slow")
        let deadline = Date().addingTimeInterval(10)
        while try !bed.isSettled(b, waiting.id, in: "REQUESTED"), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let requested = try #require(try bed.report(b, waiting.id))
        #expect(requested.state == "REQUESTED" && requested.awaiting == nil)
        let providerPid = try #require(requested.providerPid)
        let callback = try #require(silent.callbacks.list.withLock { $0.first })

        // FINALIZED in REQUESTED: 400, still REQUESTED.
        let early = try p.context.peerClient.send(toURL: callback + "/negotiations/\(waiting.id)/events", method: .post, body: [UInt8](
            try DSPMessage.contractNegotiationEvent(ContractNegotiationEventMessage(providerPid: providerPid, consumerPid: waiting.id,
                                                                                   eventType: .finalized)).encoded()))
        #expect(early.status.code == 400)
        #expect(try bed.report(b, waiting.id)?.state == "REQUESTED")

        // A termination, then the same termination again: one transition, the same answer twice.
        let termination = [UInt8](try DSPMessage.contractNegotiationTermination(ContractNegotiationTerminationMessage(
            id: "urn:uuid:termination-1", providerPid: providerPid, consumerPid: waiting.id, code: "Busy", reason: ["Try again next week"])).encoded())
        let first = try p.context.peerClient.send(toURL: callback + "/negotiations/\(waiting.id)/termination", method: .post, body: termination)
        let logSize = try b.context.audit.size()
        let second = try p.context.peerClient.send(toURL: callback + "/negotiations/\(waiting.id)/termination", method: .post, body: termination)
        #expect(first.status.code == 200 && second.status.code == 200)
        #expect(first.body == second.body)
        #expect(try b.context.audit.size() == logSize)
        let ended = try #require(try bed.report(b, waiting.id))
        #expect(ended.state == "TERMINATED" && ended.reason == "Try again next week")
        #expect(b.context.metrics.value(NegotiationMetrics.transitions, labels: ["role": "consumer", "state": "TERMINATED"]) == 1)

        // A resent initial request at the provider: NegotiationRouteTests.aResentInitialRequestIsAnsweredAgainNotStartedTwice.
        #expect(try DSPValidation.failures([first.body, early.body]).isEmpty)
    }
}

extension NegotiationProtocolTests {
    @Test func aProviderReusingAProcessIdEndsTheSecondNegotiation() throws {
        let bed = try NegotiationTestbed(members: ["b", "p"])
        bed.publish(at: "p", dataset: "urn:dataset:slow")
        var broken = SilentProvider()
        broken.fixedPid = "urn:uuid:always-the-same"
        let p = try NegotiationTestbed.retryingBind { try bed.federation.start("p", modules: [DatasetEndpointModule(offers: bed.offers["p"]!), broken]) }
        defer { p.stop() }
        let b = try bed.start("b")
        defer { b.stop() }
        let first = try bed.negotiate(b, peer: "p", dataset: "urn:dataset:slow")
        let deadline = Date().addingTimeInterval(10)
        while try !bed.isSettled(b, first.id, in: "REQUESTED"), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let second = try bed.negotiate(b, peer: "p", dataset: "urn:dataset:slow")
        let ended = try bed.waitUntilFinished(b, second.id)
        #expect(ended.state == "TERMINATED")
        #expect(try #require(ended.reason).contains("already names another negotiation"))
        #expect(try bed.report(b, first.id)?.state == "REQUESTED")
    }
}

extension NegotiationProtocolTests {
    @Test func verificationInRequestedIs400() throws {
        let bed = try NegotiationTestbed(members: ["a", "b"])
        let offer = bed.publish(at: "a", dataset: "urn:dataset:x", constraints: [.atomic("purpose", "eq", .string("Forschung"))])
        // Retries 2 s apart: between attempts a's termination is queued, not on the wire, so a is REQUESTED.
        let a = try bed.start("a", options: { $0.outbox.backoff = .init(base: .seconds(2), cap: .seconds(2)) })
        defer { a.stop() }
        // b's callback answers 503, so a's termination (no purpose given) stays pending and a stays REQUESTED.
        let b = try bed.start("b", extra: [StallingCallback()])
        defer { b.stop() }
        let request = try Self.send(b, to: "a", "/negotiations/request", .contractRequest(ContractRequestMessage(
            consumerPid: "urn:uuid:stalled", offer: offer.offer.targeting("urn:dataset:x"),
            callbackAddress: "https://127.0.0.1:\(bed.federation.members["b"]!.dspPort)/dsp/stall")))
        #expect(request.status.code == 201)
        let providerPid = try DSPJSON.decode(ContractNegotiation.self, from: Data(request.body)).providerPid
        #expect(try bed.report(a, providerPid)?.awaiting == "ContractNegotiationTerminationMessage")
        #expect(a.log.waitFor("outbox.retry", timeout: 5) != nil)

        let verification = try Self.send(b, to: "a", "/negotiations/\(providerPid)/agreement/verification", .contractAgreementVerification(
            ContractAgreementVerificationMessage(providerPid: providerPid, consumerPid: "urn:uuid:stalled")))
        #expect(verification.status.code == 400)
        let error = try Self.errorBody(verification)
        #expect(error.reason.joined().contains("is not an allowed transition in state REQUESTED"))
        #expect(error.providerPid == providerPid && error.consumerPid == "urn:uuid:stalled")
        #expect(try bed.report(a, providerPid)?.state == "REQUESTED")
        #expect(try DSPValidation.failures([verification.body, request.body]).isEmpty)
    }
}

/// Consumer callbacks under `<endpoint>/stall` that always answer 503, so the provider keeps retrying.
struct StallingCallback: ConnectorModule {
    let name = "stalling-callback"
    let migrationVersions = 83...83

    func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        for kind in ["agreement", "termination", "events", "offers"] {
            router.post("/stall/negotiations/:pid/" + kind) { _, _ in throw HTTPError(.serviceUnavailable, "try later") }
        }
    }
}

/// A provider that acknowledges initial requests (201, REQUESTED) and does nothing else; records the callbacks.
struct SilentProvider: ConnectorModule {
    let name = "silent-provider"
    let migrationVersions = 81...81
    final class Callbacks: Sendable {
        let list = Mutex<[String]>([])
    }
    let callbacks = Callbacks()
    /// Answers every request with this providerPid (a broken peer) instead of one per request.
    var fixedPid: String?

    func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        let callbacks = self.callbacks
        let fixedPid = self.fixedPid
        router.post("/negotiations/request") { request, body in
            let message = try DSPJSON.decode(ContractRequestMessage.self, from: Data(try body.readAll()))
            callbacks.list.withLock { $0.append(message.callbackAddress ?? "") }
            return try DSPResponse.json(ContractNegotiation(providerPid: fixedPid ?? "urn:uuid:silent-" + message.consumerPid.suffix(12),
                                                            consumerPid: message.consumerPid, state: .requested), status: .created)
        }
    }
}

extension NegotiationProtocolTests {
    @Test func revokingTheProviderEndsTheWaitingNegotiation() throws {
        let bed = try NegotiationTestbed(members: ["b", "p"])
        let p = try bed.startSilentProvider("p", dataset: "urn:dataset:slow")
        defer { p.stop() }
        let b = try bed.start("b")
        defer { b.stop() }
        let waiting = try bed.negotiate(b, peer: "p", dataset: "urn:dataset:slow")
        var deadline = Date().addingTimeInterval(10)
        while try !bed.isSettled(b, waiting.id, in: "REQUESTED"), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(try bed.report(b, waiting.id)?.state == "REQUESTED")

        _ = try bed.federation.admin().revoke(memberId: "p", reason: "left the federation")
        try bed.federation.publish(to: ["b"])
        deadline = Date().addingTimeInterval(10)
        while try bed.report(b, waiting.id)?.state != "TERMINATED", Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let ended = try #require(try bed.report(b, waiting.id))
        #expect(ended.state == "TERMINATED")
        #expect(ended.reason == "member p was revoked by the federation")
    }
}
