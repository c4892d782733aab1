import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundJSON
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// Verbund against `IndependentPeer`, a DSP peer whose bodies are its own JSON text (its key order, its spacing).
@Suite(.offCooperativePool) struct IndependentPeerTests {
    /// The status code of an exchange, or the error that prevented it.
    @Sendable private static func status(_ send: () throws -> PeerResponse) -> String {
        do { return String(try send().status.code) } catch { return "\(error)" }
    }

    private static func startPeer(_ bed: NegotiationTestbed, _ peer: IndependentPeer) throws -> RunningConnector {
        try NegotiationTestbed.retryingBind { try bed.federation.start("p", modules: [peer]) }
    }

    /// Verbund member `b` asks the independent peer `p` (an openssl-made member) for an offer of `urn:dataset:own`;
    /// returns once the peer took the request, with the callback address the request named.
    private static func consumerAskingThePeer() throws
        -> (NegotiationTestbed, RunningConnector, RunningConnector, IndependentPeer, NegotiationRecord, String) {
        let bed = try NegotiationTestbed(members: ["b", "p"], opensslMembers: ["p"])
        let b = try bed.start("b")
        let peer = IndependentPeer()
        let p: RunningConnector
        do { p = try startPeer(bed, peer) } catch { b.stop(); throw error }
        do {
            let engine = NegotiationEngine(context: b.context, offers: RegisteredOffers(), tap: nil)
            let consumer = try engine.startConsuming(peer: "p", dataset: "urn:dataset:own",
                                                     offer: Offer(id: "urn:uuid:own-offer", permission: [Rule(action: "use")]),
                                                     purpose: nil)
            let request = try CanonicalJSON.parsePeerJSON(try peer.waitFor("/negotiations/request", status: 201).body)
            let callback = try #require(request["callbackAddress"]?.stringValue)
            return (bed, b, p, peer, consumer, callback)
        } catch {
            b.stop()
            p.stop()
            throw error
        }
    }

    /// A provider that signs the exact agreement bytes it sends, keys in its own order: Verbund verifies the JWS over
    /// that payload, finds it the same JSON value as the agreement, and countersigns the same payload.
    @Test func providerSigningItsOwnAgreementTextIsCountersigned() throws {
        let (bed, b, p, peer, consumer, callback) = try Self.consumerAskingThePeer()
        defer { b.stop(); p.stop() }
        let consumerPid = consumer.localPid
        let providerPid = IndependentPeer.providerPid(consumerPid)
        let identity = try bed.federation.identity("p")
        let agreement = IndependentJSON.agreement(id: "urn:uuid:own-agreement-" + UUID().uuidString.lowercased(), target: "urn:dataset:own",
                                                  assigner: "urn:verbund:testfed:p", assignee: "urn:verbund:testfed:b",
                                                  timestamp: "2026-06-01T10:00:00Z")
        let signature = try IndependentJSON.sign(agreement, key: identity.key, chain: identity.chain)
        let message = IndependentJSON.agreementMessage(providerPid: providerPid, consumerPid: consumerPid, agreement: agreement, signature: signature)
        let sent = try p.context.peerClient.send(toURL: callback + "/negotiations/\(consumerPid)/agreement", method: .post, body: Array(message.utf8))
        #expect(sent.status.code == 200)

        // Verbund countersigns the very bytes the provider signed (not its own re-encoding), so the JWSs join.
        let verification = try CanonicalJSON.parsePeerJSON(try peer.waitFor("/agreement/verification").body)
        let countersignature = try #require(verification[DSPVocabulary.signatureProperty]?.stringValue)
        let jws = try CompactJWS(parsing: countersignature)
        #expect(jws.payload == Array(agreement.utf8))
        try ContractSignature.verify(countersignature, of: try CanonicalJSON.parsePeerJSON(Array(agreement.utf8)), by: "b",
                                     trust: b.context.trust, at: Date())

        let finalized = IndependentJSON.event(providerPid: providerPid, consumerPid: consumerPid, eventType: "FINALIZED")
        #expect(try p.context.peerClient.send(toURL: callback + "/negotiations/\(consumerPid)/events", method: .post,
                                              body: Array(finalized.utf8)).status.code == 200)
        let ended = try bed.waitUntilFinished(b, consumerPid)
        #expect(ended.state == "FINALIZED" && ended.signing == "dual")
        let agreementId = try #require(ended.agreementId)
        let contract = try GeneralJWS(json: String(decoding: try b.management("/api/contracts/\(agreementId)/export").body, as: UTF8.self))
        #expect(contract.signatures.count == 2 && contract.payload == Array(agreement.utf8))
    }

    /// A signature whose payload is valid JSON for another agreement is still refused, whatever its key order.
    @Test func signatureOverAnotherAgreementTextIsRefused() throws {
        let (bed, b, p, _, consumer, callback) = try Self.consumerAskingThePeer()
        defer { b.stop(); p.stop() }
        let identity = try bed.federation.identity("p")
        let shown = IndependentJSON.agreement(id: "urn:uuid:shown", target: "urn:dataset:own", assigner: "urn:verbund:testfed:p",
                                              assignee: "urn:verbund:testfed:b", timestamp: "2026-06-01T10:00:00Z")
        let signed = IndependentJSON.agreement(id: "urn:uuid:shown", target: "urn:dataset:own", assigner: "urn:verbund:testfed:p",
                                               assignee: "urn:verbund:testfed:b", timestamp: "2026-06-01T10:00:01Z")
        let message = IndependentJSON.agreementMessage(providerPid: IndependentPeer.providerPid(consumer.localPid), consumerPid: consumer.localPid,
                                                       agreement: shown, signature: try IndependentJSON.sign(signed, key: identity.key, chain: identity.chain))
        #expect(try p.context.peerClient.send(toURL: callback + "/negotiations/\(consumer.localPid)/agreement", method: .post,
                                              body: Array(message.utf8)).status.code == 200)
        let ended = try bed.waitUntilFinished(b, consumer.localPid)
        #expect(ended.state == "TERMINATED")
        #expect(try #require(ended.reason).contains("other bytes than this agreement"))
    }

    /// The consumer answers Verbund's agreement with 503 and at once sends its verification: the agreement is not in
    /// its hands, so the verification is a 400 in REQUESTED. Only the retried agreement's 2xx moves Verbund to AGREED.
    @Test func verificationOfARefusedAgreementIsRefused() throws {
        let bed = try NegotiationTestbed(members: ["a", "p"], opensslMembers: ["p"])
        let offer = bed.publish(at: "a", dataset: "urn:dataset:x")
        let a = try NegotiationTestbed.retryingBind {
            try bed.federation.start("a", modules: [NegotiationModule(offers: bed.offers["a"]!, tap: bed.wire.tap("a")),
                                                    DatasetEndpointModule(offers: bed.offers["a"]!)],
                                     options: { $0.outbox.backoff = .init(base: .seconds(2), cap: .seconds(2)) })
        }
        defer { a.stop() }
        let peer = IndependentPeer()
        peer.refuse("/agreement", times: 1)
        let p = try Self.startPeer(bed, peer)
        defer { p.stop() }

        let consumerPid = "urn:uuid:independent-consumer-" + UUID().uuidString.lowercased()
        let callback = "https://127.0.0.1:\(bed.federation.members["p"]!.dspPort)/dsp" + IndependentPeer.callbackBase
        let request = IndependentJSON.request(consumerPid: consumerPid, offerId: offer.offer.id, target: "urn:dataset:x", callback: callback)
        let created = try p.context.peerClient.send(toMember: "a", method: .post, path: "/negotiations/request", body: Array(request.utf8))
        #expect(created.status.code == 201)
        let providerPid = try #require(try CanonicalJSON.parsePeerJSON(created.body)["providerPid"]?.stringValue)

        _ = try peer.waitFor("/agreement", status: 503)
        #expect(a.log.waitFor("outbox.retry", timeout: 5) != nil)
        let verification = IndependentJSON.verification(providerPid: providerPid, consumerPid: consumerPid)
        let early = try p.context.peerClient.send(toMember: "a", method: .post, path: "/negotiations/\(providerPid)/agreement/verification",
                                                  body: Array(verification.utf8))
        #expect(early.status.code == 400)
        #expect(early.headers["Content-Type"]?.hasPrefix("application/json") == true)
        let error = try DSPJSON.decode(ContractNegotiationError.self, from: Data(early.body))
        #expect(error.providerPid == providerPid)
        #expect(try bed.report(a, providerPid)?.state == "REQUESTED")

        // The retried agreement is taken (2xx): now the verification is the next step and the negotiation ends.
        _ = try peer.waitFor("/agreement", status: 200)
        let deadline = Date().addingTimeInterval(10)
        while try bed.report(a, providerPid)?.state != "AGREED", Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let accepted = try p.context.peerClient.send(toMember: "a", method: .post, path: "/negotiations/\(providerPid)/agreement/verification",
                                                     body: Array(verification.utf8))
        #expect(accepted.status.code == 200)
        let ended = try bed.waitUntilFinished(a, providerPid)
        #expect(ended.state == "FINALIZED")
        #expect(try DSPValidation.failures([early.body]).isEmpty)
    }

    /// A body with a duplicate member name is read by no one: 400 with the DSP error object, nothing created.
    @Test func duplicateMemberNamesAreRefused() throws {
        let bed = try NegotiationTestbed(members: ["a", "p"], opensslMembers: ["p"])
        let offer = bed.publish(at: "a", dataset: "urn:dataset:x")
        let a = try bed.start("a")
        defer { a.stop() }
        let p = try Self.startPeer(bed, IndependentPeer())
        defer { p.stop() }

        let callback = "https://127.0.0.1:\(bed.federation.members["p"]!.dspPort)/dsp" + IndependentPeer.callbackBase
        let request = IndependentJSON.request(consumerPid: "urn:uuid:first-reader", offerId: offer.offer.id, target: "urn:dataset:x", callback: callback)
        let duplicated = request.replacingOccurrences(of: #""consumerPid": "urn:uuid:first-reader","#,
                                                      with: #""consumerPid": "urn:uuid:first-reader", "consumerPid": "urn:uuid:second-reader","#)
        #expect(duplicated != request)
        let answer = try p.context.peerClient.send(toMember: "a", method: .post, path: "/negotiations/request", body: Array(duplicated.utf8))
        #expect(answer.status.code == 400)
        #expect(answer.headers["Content-Type"]?.hasPrefix("application/json") == true)
        let error = try DSPJSON.decode(ContractNegotiationError.self, from: Data(answer.body))
        #expect(error.code == "MalformedMessage")
        #expect(error.reason.joined().contains("duplicate member name"))
        let all = try a.management("/api/negotiations")
        #expect(!String(decoding: all.body, as: UTF8.self).contains("first-reader"))
    }

    /// Once a message can be in the peer's hands, its sender is already in the state it announces: a consumer that
    /// verifies while still taking the agreement, requests a transfer while still taking FINALIZED, and requests the
    /// data while still taking the TransferStartMessage (each before it answers) is never refused — five rounds.
    @Test func nextStepTakenAtOnceIsNeverRefused() throws {
        let bed = try NegotiationTestbed(members: ["a", "p"], opensslMembers: ["p"])
        let harness = try TransferHarness(size: 64 << 10, members: ["a", "p"], federation: bed.federation)
        let offer = bed.publish(at: "a", dataset: harness.datasetId)
        let a = try bed.start("a", extra: [TransferModule(contracts: NegotiationContracts(), files: harness.files)])
        defer { a.stop() }
        let peer = IndependentPeer()
        let p = try Self.startPeer(bed, peer)
        defer { p.stop() }
        let client = p.context.peerClient
        let callback = "https://127.0.0.1:\(bed.federation.members["p"]!.dspPort)/dsp" + IndependentPeer.callbackBase
        let steps = Mutex<[String]>([])
        let agreements = Mutex<[String: String]>([:])

        peer.react("/agreement") { message in
            guard let json = try? CanonicalJSON.parsePeerJSON(message.body), let providerPid = json["providerPid"]?.stringValue,
                  let consumerPid = json["consumerPid"]?.stringValue else { return }
            agreements.withLock { $0[consumerPid] = json["agreement"]?["@id"]?.stringValue }
            let body = IndependentJSON.verification(providerPid: providerPid, consumerPid: consumerPid)
            let code = Self.status { try client.send(toMember: "a", method: .post, path: "/negotiations/\(providerPid)/agreement/verification", body: Array(body.utf8)) }
            steps.withLock { $0.append("verification " + code) }
        }
        peer.react("/events") { message in
            guard let json = try? CanonicalJSON.parsePeerJSON(message.body), json["eventType"]?.stringValue == "FINALIZED",
                  let consumerPid = json["consumerPid"]?.stringValue, let agreementId = agreements.withLock({ $0[consumerPid] }) else { return }
            let body = IndependentJSON.transferRequest(consumerPid: "urn:uuid:" + UUID().uuidString.lowercased(), agreementId: agreementId, callback: callback)
            let code = Self.status { try client.send(toMember: "a", method: .post, path: "/transfers/request", body: Array(body.utf8)) }
            steps.withLock { $0.append("transfer " + code) }
        }
        peer.react("/start") { message in
            guard let json = try? CanonicalJSON.parsePeerJSON(message.body), let address = json["dataAddress"],
                  let endpoint = address["endpoint"]?.stringValue,
                  let token = address["endpointProperties"]?.arrayValue?.first(where: { $0["name"]?.stringValue == "authorization" })?["value"]?.stringValue
            else { steps.withLock { $0.append("data no address") }; return }
            let code = Self.status { try client.send(toURL: endpoint, method: .get, headers: ["Authorization": "Bearer " + token]) }
            steps.withLock { $0.append("data " + code) }
        }

        for round in 1...5 {
            let request = IndependentJSON.request(consumerPid: "urn:uuid:at-once-\(round)-" + UUID().uuidString.lowercased(), offerId: offer.offer.id,
                                                  target: harness.datasetId, callback: callback)
            #expect(try client.send(toMember: "a", method: .post, path: "/negotiations/request", body: Array(request.utf8)).status.code == 201)
            _ = try peer.waitFor("/start", count: round, timeout: 20)
        }
        let taken = steps.withLock { $0 }
        #expect(taken.filter { $0 == "verification 200" }.count == 5, "\(taken)")
        #expect(taken.filter { $0 == "transfer 201" }.count == 5, "\(taken)")
        #expect(taken.filter { $0 == "data 200" }.count == 5, "\(taken)")
    }
}
