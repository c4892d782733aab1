import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// A member cannot make a connector write without bound (docs/security.md, "Audit and log flooding").
@Suite(.offCooperativePool) struct MemberWriteBudgetTests {
    @Test func aMemberFloodingContractRequestsGets429WithADSPErrorAndOthersAreNotAffected() throws {
        let bed = try NegotiationTestbed(members: ["a", "b", "c"])
        let offer = bed.publish(at: "a", dataset: "urn:dataset:x")
        let offers = bed.offers["a"]!
        let a = try NegotiationTestbed.retryingBind {
            try bed.federation.start("a", modules: [NegotiationModule(offers: offers), DatasetEndpointModule(offers: offers)],
                                     options: { $0.memberWrites.negotiationsPerMinute = 5 })
        }
        defer { a.stop() }
        let b = try NegotiationTestbed.retryingBind { try bed.federation.start("b") }
        defer { b.stop() }
        let c = try NegotiationTestbed.retryingBind { try bed.federation.start("c") }
        defer { c.stop() }
        func request(from member: RunningConnector, _ index: Int) throws -> PeerResponse {
            let id = member.context.identity.memberId
            let callback = "https://127.0.0.1:\(bed.federation.members[id]!.dspPort)/dsp/callback"
            let message = ContractRequestMessage(consumerPid: "urn:uuid:\(id)-\(index)", offer: offer.offer.targeting("urn:dataset:x"),
                                                 callbackAddress: callback)
            return try member.context.peerClient.send(toMember: "a", method: .post, path: "/negotiations/request",
                                                      body: [UInt8](try DSPMessage.contractRequest(message).encoded()))
        }
        let statuses = try (0..<8).map { try request(from: b, $0) }
        #expect(statuses.map(\.status.code) == [201, 201, 201, 201, 201, 429, 429, 429])
        let refused = try #require(statuses.last)
        let error = try JSONSerialization.jsonObject(with: Data(refused.body)) as? [String: Any]
        #expect((error?["@type"] as? String)?.hasSuffix("ContractNegotiationError") == true, "\(String(decoding: refused.body, as: UTF8.self))")
        let stored = try a.context.database.read { tx in
            try tx.queryFirst("SELECT COUNT(*) AS n FROM negotiation WHERE peer_member_id = 'b'")?.int("n")
        }
        #expect(stored == 5)
        #expect(a.context.metrics.value(MemberWrites.exceededMetric, labels: ["member": "b", "kind": "negotiation"]) == 3)
        #expect(a.log.events("member.write-budget.exceeded").count == 1)
        // Another member's budget is its own.
        #expect(try request(from: c, 0).status.code == 201)
    }

    @Test func transferRequestsBeyondTheBudgetAre429AndTheConsumersOutboxRetriesThem() throws {
        let harness = try TransferHarness(size: 1024)
        defer { harness.stopAll() }
        harness.running["p"] = try harness.federation.start("p", modules: [harness.module("p")], options: {
            $0.memberWrites.transfersPerMinute = 2
        })
        let p = try #require(harness.running["p"])
        try harness.start("c")
        let requested = try (0..<3).map { _ in try harness.request(harness.contract()) }
        #expect(try requested.prefix(2).map { try harness.wait("c", $0.pid, for: "STARTED").state } == ["STARTED", "STARTED"])
        // The third is answered 429 (a TransferError) and stays queued at the consumer, retried later.
        let c = try #require(harness.running["c"])
        let retry = try #require(c.log.waitFor("outbox.retry", where: { ($0["reason"] as? String)?.contains("429") == true }),
                                 "\(c.log.all.filter { $0.contains("outbox") }.suffix(5))")
        #expect(retry["kind"] as? String != nil)
        #expect(try harness.summary("c", requested[2].pid).state == "REQUESTED")
        #expect(p.context.metrics.value(MemberWrites.exceededMetric, labels: ["member": "c", "kind": "transfer"]) ?? 0 >= 1)
        #expect(try harness.summaries("p").count == 2)
    }

    @Test func refusedRegistriesFromOneMemberAreLoggedAndRecordedOnlyWithinItsBudget() throws {
        let federation = try FederationFixture(members: ["a", "c"])
        let a = try federation.start("a", options: {
            $0.memberWrites.refusedTrustUpdatesPerMinute = 2
            $0.federationFetch.burstPerPeer = 6
        })
        defer { a.stop() }
        // A fake "c" (its real key and certificate) announcing ever higher serials and serving a forged registry.
        let announced = Atomic<Int>(100)
        var forged = try String(contentsOfFile: federation.adminFolder.registry, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        forged.append(forged.removeLast() == "A" ? "B" : "A")
        let (key, chain) = try federation.identity("c")
        let root = try Certificate(pem: String(contentsOfFile: federation.adminFolder.rootCertificate, encoding: .utf8))
        let tls = try TLSContext(configuration: .server(certificateChain: chain, privateKey: key, trustRoots: [root]))
        var router = Router()
        let body = forged
        router.get("/dsp/federation/registry") { _, _ in HTTPResponse(contentType: "application/jose", bytes: Array(body.utf8)) }
        router.get("/dsp/ping") { _, _ in
            var response = HTTPResponse.text("pong")
            response.headers.set(FederationHeaders.registrySerial, String(announced.add(1, ordering: .relaxed).newValue))
            return response
        }
        let fake = HTTPServer(acceptor: try TLSAcceptor(host: "127.0.0.1", port: federation.members["c"]!.dspPort,
                                                        contexts: TLSContextSlot(tls), identityCheck: .verifiedChain), router: router)
        try fake.start()
        defer { fake.stop(grace: .zero) }

        let auditBefore = try a.context.audit.size()
        let refusals = {
            a.context.metrics.value(ConnectorMetrics.trustUpdates, labels: ["what": "registry", "source": "peer", "result": "refused"]) ?? 0
        }
        for round in 1...5 {
            // Each announcement is fetched and refused before the next one (so none is coalesced with another).
            _ = try a.context.peerClient.send(toMember: "c", method: .get, path: "/ping")
            #expect(eventually { refusals() >= Double(round) }, "round \(round)")
        }
        let exceeded = { a.context.metrics.value(MemberWrites.exceededMetric, labels: ["member": "c", "kind": "refused_trust_update"]) ?? 0 }
        #expect(exceeded() == 3)
        #expect(a.log.events("federation.registry.refused").count == 2)
        #expect(try a.context.audit.size() == auditBefore + 2)
    }
}

/// The pure per-member budget.
@Suite(.offCooperativePool) struct MemberWriteBudgetValueTests {
    let t0 = ContinuousClock.now

    @Test func eachMemberAndKindHasItsOwnBucketRefilledPerMinute() {
        var budget = MemberWriteBudget(limits: .init(perMinute: [.negotiation: 2, .transfer: 1]))
        var decisions = (0..<4).map { _ in budget.spend("b", .negotiation, now: t0) }
        #expect(decisions == [.write, .write, .overBudget(firstOfEpisode: true), .overBudget(firstOfEpisode: false)])
        decisions = [budget.spend("c", .negotiation, now: t0), budget.spend("b", .transfer, now: t0),
                     budget.spend("b", .refusedTrustUpdate, now: t0)]  // no limit configured for that kind: written
        #expect(decisions == [.write, .write, .write])
        decisions = [budget.spend("b", .negotiation, now: t0 + .seconds(29)), budget.spend("b", .negotiation, now: t0 + .seconds(31))]
        #expect(decisions == [.overBudget(firstOfEpisode: false), .write])
        let next = budget.spend("b", .negotiation, now: t0 + .seconds(31))
        #expect(next == .overBudget(firstOfEpisode: true))  // a new episode is said again
    }

    @Test func theAccountsStayBoundedAndAFullTableRefusesNewcomers() {
        var budget = MemberWriteBudget(limits: .init(perMinute: [.negotiation: 1], maxMembers: 2))
        for index in 0..<50 { _ = budget.spend("m\(index)", .negotiation, now: t0) }
        #expect(budget.accountCount <= 2 * MemberWriteBudget.Kind.allCases.count)
        // Later, once their buckets are full again, room is made.
        let later = budget.spend("new", .negotiation, now: t0 + .seconds(120))
        #expect(later == .write)
    }
}
