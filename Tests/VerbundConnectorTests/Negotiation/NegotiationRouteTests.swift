import Foundation
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
@testable import VerbundConnector

/// The provider's DSP negotiation routes called in process through the DSP guard (`RouteHarness`): which member may
/// see or drive a negotiation, how bad and misdirected requests are answered, and that a resent request starts
/// nothing twice. The provider's outbox does not run, so its answer to the consumer stays queued and every check
/// sees the store exactly as the request left it; flows between running connectors are in `NegotiationProtocolTests`.
@Suite(.offCooperativePool) struct NegotiationRouteTests {
    private static func provider(_ bed: NegotiationTestbed) throws -> RouteHarness {
        try RouteHarness(bed.federation, member: "a", modules: [
            NegotiationModule(offers: bed.offers["a"]!, tap: bed.wire.tap("a")), DatasetEndpointModule(offers: bed.offers["a"]!),
        ])
    }

    private static func callback(_ bed: NegotiationTestbed, _ member: String) -> String {
        "https://127.0.0.1:\(bed.federation.members[member]!.dspPort)/dsp/callback/"
    }

    @Test func otherMembersFindNothingAndBadRequestsAre400WithTheNegotiationError() throws {
        let bed = try NegotiationTestbed(members: ["a", "b", "c"])
        bed.publish(at: "a", dataset: "urn:dataset:x")
        let a = try Self.provider(bed)
        let offer = bed.offers["a"]!.offers(dataset: "urn:dataset:x")[0].offer.targeting("urn:dataset:x")
        let created = try a.dsp("/dsp/negotiations/request", DSPMessage.contractRequest(ContractRequestMessage(
            consumerPid: "urn:uuid:b-1", offer: offer, callbackAddress: Self.callback(bed, "b"))), as: "b")
        #expect(created.code == 201)
        let providerPid = try created.decode(ContractNegotiation.self).providerPid
        #expect(try a.dsp(.get, "/dsp/negotiations/\(providerPid)", as: "b").code == 200)
        var answers = [created.body]

        // Member c asks for, or tries to end, a↔b's negotiation: 404, as for an id that does not exist.
        #expect(try a.dsp(.get, "/dsp/negotiations/\(providerPid)", as: "c").code == 404)
        let foreign = try a.dsp("/dsp/negotiations/\(providerPid)/termination", DSPMessage.contractNegotiationTermination(
            ContractNegotiationTerminationMessage(providerPid: providerPid, consumerPid: "urn:uuid:b-1", code: "x", reason: ["mine now"])),
            as: "c")
        #expect(foreign.code == 404)
        let unknown = try a.dsp(.get, "/dsp/negotiations/urn:uuid:unknown", as: "b")
        #expect(unknown.code == 404)
        answers += [foreign.body, unknown.body]

        // The consumer may not announce FINALIZED, nor accept an offer nobody made; a body that is no message is 400.
        let finalized = try a.dsp("/dsp/negotiations/\(providerPid)/events", DSPMessage.contractNegotiationEvent(
            ContractNegotiationEventMessage(providerPid: providerPid, consumerPid: "urn:uuid:b-1", eventType: .finalized)), as: "b")
        #expect(finalized.code == 400)
        #expect(try finalized.decode(ContractNegotiationError.self).reason.joined().contains("may not be sent by the consumer"))
        let malformed = try a.dsp(.post, "/dsp/negotiations/\(providerPid)/termination", body: Array("{\"@type\":1}".utf8), as: "b")
        #expect(malformed.code == 400)
        answers += [finalized.body, malformed.body]
        for answer in [foreign, unknown, finalized, malformed] {
            #expect(try answer.json()["@type"]?.stringValue == "ContractNegotiationError")
        }

        // An initial request naming a callback at another member's endpoint is refused.
        let misdirected = try a.dsp("/dsp/negotiations/request", DSPMessage.contractRequest(ContractRequestMessage(
            consumerPid: "urn:uuid:misdirected", offer: offer, callbackAddress: Self.callback(bed, "c"))), as: "b")
        #expect(misdirected.code == 400)
        #expect(try misdirected.decode(ContractNegotiationError.self).code == "InvalidCallbackAddress")
        answers.append(misdirected.body)
        let rows = try a.context.database.read { tx in try tx.queryFirst("SELECT COUNT(*) AS n FROM negotiation")?.int("n") }
        #expect(rows == 1)
        try DSPValidation.validate(answers)
    }

    @Test func aResentInitialRequestIsAnsweredAgainNotStartedTwice() throws {
        let bed = try NegotiationTestbed(members: ["a", "b"])
        bed.publish(at: "a", dataset: "urn:dataset:x")
        let a = try Self.provider(bed)
        let offer = bed.offers["a"]!.offers(dataset: "urn:dataset:x")[0].offer.targeting("urn:dataset:x")
        let request = DSPMessage.contractRequest(ContractRequestMessage(
            id: "urn:uuid:request-1", consumerPid: "urn:uuid:replayed", offer: offer, callbackAddress: Self.callback(bed, "b")))
        let once = try a.dsp("/dsp/negotiations/request", request, as: "b")
        let logSize = try a.context.audit.size()
        let twice = try a.dsp("/dsp/negotiations/request", request, as: "b")
        #expect(once.code == 201 && twice.code == 201)
        #expect(try once.decode(ContractNegotiation.self).providerPid == (try twice.decode(ContractNegotiation.self).providerPid))
        #expect(try a.context.audit.size() == logSize)
        let rows = try a.context.database.read { tx in
            try tx.queryFirst("SELECT COUNT(*) AS n FROM negotiation WHERE peer_pid = 'urn:uuid:replayed'")?.int("n")
        }
        #expect(rows == 1)
        try DSPValidation.validate([once.body, twice.body])
    }
}
