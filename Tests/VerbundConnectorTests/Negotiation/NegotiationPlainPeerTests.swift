import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// A plain DSP connector that sends no signatures still negotiates with Verbund; the contract is single-signed.
@Suite(.offCooperativePool) struct NegotiationPlainPeerTests {
    /// The plain peer `p` asks `a` for the offer on `urn:dataset:x` with its own callback; returns a's providerPid.
    private static func requestAsPlainPeer(_ bed: NegotiationTestbed, _ p: RunningConnector, _ offer: PublishedOffer,
                                           consumerPid: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let callback = "https://127.0.0.1:\(bed.federation.members["p"]!.dspPort)/dsp/plain"
        let request = try p.context.peerClient.send(toMember: "a", method: .post, path: "/negotiations/request", body: [UInt8](
            try DSPMessage.contractRequest(ContractRequestMessage(consumerPid: consumerPid, offer: offer.offer.targeting("urn:dataset:x"),
                                                                  callbackAddress: callback)).encoded()))
        #expect(request.status.code == 201, sourceLocation: sourceLocation)
        return try DSPJSON.decode(ContractNegotiation.self, from: Data(request.body)).providerPid
    }

    @Test func plainConsumerGetsASingleSignedContract() throws {
        let bed = try NegotiationTestbed(members: ["a", "p"])
        let offer = bed.publish(at: "a", dataset: "urn:dataset:x")
        let a = try bed.start("a")
        defer { a.stop() }
        let plain = PlainPeer()
        let p = try NegotiationTestbed.retryingBind { try bed.federation.start("p", modules: [plain]) }
        defer { p.stop() }

        let providerPid = try Self.requestAsPlainPeer(bed, p, offer, consumerPid: "urn:uuid:plain-1")
        let agreement = try plain.wait { $0.compactMap { if case let .contractAgreement(m) = $0 { return m } else { return nil } }.first }
        #expect(agreement.signature != nil)  // Verbund signs; the plain peer ignores it

        let verification = try p.context.peerClient.send(toMember: "a", method: .post, path: "/negotiations/\(providerPid)/agreement/verification",
                                                         body: [UInt8](try DSPMessage.contractAgreementVerification(
                                                             ContractAgreementVerificationMessage(providerPid: providerPid, consumerPid: "urn:uuid:plain-1")).encoded()))
        #expect(verification.status.code == 200)
        let finished = try bed.waitUntilFinished(a, providerPid)
        #expect(finished.state == "FINALIZED" && finished.signing == "single")
        let contract = try ManagementJSON.decoder().decode(ContractReport.self, from: Data(try a.management("/api/contracts/\(agreement.agreement.id)").body))
        #expect(contract.signing == "single")
        let jws = try GeneralJWS(json: String(decoding: try a.management("/api/contracts/\(agreement.agreement.id)/export").body, as: UTF8.self))
        #expect(jws.signatures.count == 1)
    }

    @Test func forgedCountersignatureIsRefusedAndPlainProviderAgreementIsCountersigned() throws {
        let bed = try NegotiationTestbed(members: ["a", "b", "p"])
        let offer = bed.publish(at: "a", dataset: "urn:dataset:x")
        let a = try bed.start("a")
        defer { a.stop() }
        let plain = PlainPeer()
        let p = try NegotiationTestbed.retryingBind { try bed.federation.start("p", modules: [plain]) }
        defer { p.stop() }

        // p as consumer countersigns with its own key but another agreement's bytes: 400, state unchanged.
        let providerPid = try Self.requestAsPlainPeer(bed, p, offer, consumerPid: "urn:uuid:plain-2")
        let agreement = try plain.wait { $0.compactMap { if case let .contractAgreement(m) = $0 { return m } else { return nil } }.first }
        var other = agreement.agreement
        other.id = "urn:uuid:another-agreement"
        let identity = try bed.federation.identity("p")
        let forged = try CompactJWS.sign(payload: [UInt8](try other.signingPayload()),
                                         header: JWSHeader(certificateChain: identity.chain), key: identity.key).serialized
        let refused = try p.context.peerClient.send(toMember: "a", method: .post, path: "/negotiations/\(providerPid)/agreement/verification",
                                                    body: [UInt8](try DSPMessage.contractAgreementVerification(ContractAgreementVerificationMessage(
                                                        providerPid: providerPid, consumerPid: "urn:uuid:plain-2", signature: forged)).encoded()))
        #expect(refused.status.code == 400)
        let error = try DSPJSON.decode(ContractNegotiationError.self, from: Data(refused.body))
        #expect(error.code == "InvalidCountersignature")
        #expect(error.reason.joined().contains("other bytes than this agreement"))
        #expect(try bed.report(a, providerPid)?.state == "AGREED")
        let logged = try a.context.database.read { tx in
            try tx.query("SELECT entry FROM audit_log_leaf").map { String(decoding: try $0.blob("entry"), as: UTF8.self) }
        }
        #expect(logged.contains { $0.contains("negotiation.countersignature.refused") && $0.contains("other bytes") })
        #expect(try DSPValidation.failures([refused.body]).isEmpty)

        // p as a plain provider: b checks its unsigned agreement and countersigns; the contract is single-signed.
        let b = try bed.start("b")
        defer { b.stop() }
        let engine = NegotiationEngine(context: b.context, offers: RegisteredOffers(), tap: nil)
        let consumerSide = try engine.startConsuming(peer: "p", dataset: "urn:dataset:y", offer: Offer(id: "urn:uuid:y", permission: [Rule(action: "use")]),
                                                     purpose: nil)
        let deadline = Date().addingTimeInterval(10)
        while try !bed.isSettled(b, consumerSide.localPid, in: "REQUESTED"), Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let bCallback = try #require(plain.inbox.list.withLock { $0.first })
        let unsigned = Agreement(id: "urn:uuid:plain-agreement", target: "urn:dataset:y", assigner: "urn:verbund:testfed:p",
                                 assignee: "urn:verbund:testfed:b", timestamp: Date(), permission: [Rule(action: "use")])
        let sent = try p.context.peerClient.send(toURL: bCallback + "/negotiations/\(consumerSide.localPid)/agreement", method: .post,
                                                 body: [UInt8](try DSPMessage.contractAgreement(ContractAgreementMessage(
                                                     providerPid: PlainPeer.providerPid(consumerSide.localPid), consumerPid: consumerSide.localPid, agreement: unsigned)).encoded()))
        #expect(sent.status.code == 200)
        let countersigned = try plain.wait { $0.compactMap { if case let .contractAgreementVerification(m) = $0 { return m } else { return nil } }.first }
        let signature = try #require(countersigned.signature)
        try ContractSignature.verify(signature, of: unsigned, by: "b", trust: b.context.trust, at: Date())
        let finalized = try p.context.peerClient.send(toURL: bCallback + "/negotiations/\(consumerSide.localPid)/events", method: .post,
                                                      body: [UInt8](try DSPMessage.contractNegotiationEvent(ContractNegotiationEventMessage(
                                                          providerPid: PlainPeer.providerPid(consumerSide.localPid), consumerPid: consumerSide.localPid, eventType: .finalized)).encoded()))
        #expect(finalized.status.code == 200)
        let ended = try bed.waitUntilFinished(b, consumerSide.localPid)
        #expect(ended.state == "FINALIZED" && ended.signing == "single")

        // A second agreement that reuses the first one's id is refused: b terminates with the reason.
        let second = try engine.startConsuming(peer: "p", dataset: "urn:dataset:y", offer: Offer(id: "urn:uuid:y", permission: [Rule(action: "use")]),
                                               purpose: nil)
        while try !bed.isSettled(b, second.localPid, in: "REQUESTED"), Date() < deadline.addingTimeInterval(10) { Thread.sleep(forTimeInterval: 0.01) }
        let reused = try p.context.peerClient.send(toURL: bCallback + "/negotiations/\(second.localPid)/agreement", method: .post,
                                                   body: [UInt8](try DSPMessage.contractAgreement(ContractAgreementMessage(
                                                       providerPid: PlainPeer.providerPid(second.localPid), consumerPid: second.localPid, agreement: unsigned)).encoded()))
        #expect(reused.status.code == 200)
        let duplicate = try bed.waitUntilFinished(b, second.localPid)
        #expect(duplicate.state == "TERMINATED" && duplicate.agreementId == nil)
        #expect(try #require(duplicate.reason).contains("already names another contract"))
        #expect(try b.management("/api/contracts/urn:uuid:plain-agreement").status.code == 200)
    }
}

/// A plain DSP peer: as provider it acknowledges initial requests and takes verifications; as consumer it takes
/// callbacks under `<endpoint>/plain`. It records every message and never signs anything.
struct PlainPeer: ConnectorModule {
    /// The provider process id the plain peer gives the negotiation with `consumerPid`.
    static func providerPid(_ consumerPid: String) -> String { "urn:uuid:plain-" + consumerPid.suffix(12) }
    final class Inbox: Sendable {
        let messages = Mutex<[DSPMessage]>([])
        let list = Mutex<[String]>([])
    }

    let name = "plain-peer"
    let migrationVersions = 82...82
    let inbox = Inbox()

    /// Waits until `pick` finds something in the messages received.
    func wait<T>(timeout: Double = 10, _ pick: ([DSPMessage]) -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = inbox.messages.withLock({ pick($0) }) { return found }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw FixtureError("the plain peer did not receive the expected message within \(timeout) s")
    }

    func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        let inbox = self.inbox
        let take: DSPHandler = { _, body in
            let message = try DSPMessage.decode(from: Data(try body.readAll()))
            inbox.messages.withLock { $0.append(message) }
            return DSPResponse.ok
        }
        router.post("/plain/negotiations/:pid/agreement", take)
        router.post("/plain/negotiations/:pid/events", take)
        router.post("/plain/negotiations/:pid/termination", take)
        router.post("/negotiations/:pid/agreement/verification", take)
        router.post("/negotiations/:pid/termination", take)
        router.post("/negotiations/request") { _, body in
            let message = try DSPJSON.decode(ContractRequestMessage.self, from: Data(try body.readAll()))
            inbox.list.withLock { $0.append(message.callbackAddress ?? "") }
            return try DSPResponse.json(ContractNegotiation(providerPid: Self.providerPid(message.consumerPid), consumerPid: message.consumerPid,
                                                            state: .requested), status: .created)
        }
    }
}
