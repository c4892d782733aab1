import Foundation
import Testing
import VerbundTestSupport
import VerbundFederation
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// docs/design.md §6 "Fail closed": no certificate, a certificate of another CA, or a member that is not active gets nothing.
@Suite(.offCooperativePool) struct AdmissionTests {
    @Test func aClientWithoutCertificateGetsNoHandshake() throws {
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a")
        defer { a.stop() }
        let request = "GET /dsp/federation/registry HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        let result = try ChildProcess.run("/usr/bin/openssl", [
            "s_client", "-connect", "127.0.0.1:\(a.connector.dspPort)", "-CAfile", federation.adminFolder.rootCertificate,
            "-tls1_3", "-quiet", "-no_ign_eof",
        ], input: request, timeout: 10)
        #expect(!result.output.contains("HTTP/1.1 200"))
        let failure = a.log.waitFor("http.handshake.failed")
        #expect((failure?["error"] as? String)?.contains("certificate") == true, "logged: \(a.log.all)")
    }

    @Test func aCertificateOfAnotherCAIsRefused() throws {
        let federation = try FederationFixture(members: ["a"])
        // Same federation id and member id, but issued by another root: only the CA tells them apart.
        let impostors = try FederationFixture(members: ["b"], federationId: "testfed")
        let a = try federation.start("a")
        defer { a.stop() }
        let (key, chain) = try impostors.identity("b")
        let root = try Certificate(pem: String(contentsOfFile: federation.adminFolder.rootCertificate, encoding: .utf8))
        let context = try TLSContext(configuration: .client(certificateChain: chain, privateKey: key, trustRoots: [root]))
        let connector = TLSConnector(contexts: TLSContextSlot(context), identityCheck: .verifiedChain)
        let client = HTTPClient(connect: connector.httpConnect)
        #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClientRequest(method: .get, host: "127.0.0.1", port: a.connector.dspPort, target: "/dsp/federation/registry"))
        }
        let failure = a.log.waitFor("http.handshake.failed")
        #expect(failure != nil, "logged: \(a.log.all)")
    }

    @Test func aSuspendedMemberIsRefusedOnItsNextRequestAndHandshake() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a", modules: [ProbeModule()])
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }
        let before = try b.context.peerClient.send(toMember: "a", method: .get, path: "/probe/whoami")
        #expect(before.status.code == 200)

        _ = try federation.admin().suspend(memberId: "b", reason: "unpaid fee")
        try federation.publish(to: ["a"])  // only a learns it, from its registry file
        #expect(a.log.waitFor("federation.registry.accepted") != nil)
        #expect(a.log.waitFor("federation.member.status", where: { $0["member"] as? String == "b" && $0["to"] as? String == "suspended" }) != nil)

        // The kept-alive connection from before: the next request on it is refused with 404 and the connection closed.
        let refused = try b.context.peerClient.send(toMember: "a", method: .get, path: "/probe/whoami")
        #expect(refused.status.code == 404)
        #expect(refused.headers["Connection"] == "close")
        let line = try #require(a.log.waitFor("dsp.request.refused"))
        #expect((line["reason"] as? String)?.contains("member 'b' is suspended (unpaid fee)") == true)

        // A new connection gets no handshake past TLS.
        #expect(throws: PeerError.self) { try b.context.peerClient.send(toMember: "a", method: .get, path: "/probe/whoami") }
        let handshake = try #require(a.log.waitFor("dsp.handshake.refused"))
        #expect(handshake["kind"] as? String == "memberNotActive")
        #expect(a.context.metrics.value(ConnectorMetrics.refusedPeers, labels: ["reason": "memberNotActive"]) ?? 0 >= 2)
    }

    @Test func aServerThatIsAnotherMemberIsRefusedByTheClient() throws {
        // c listens on the port the registry lists for b: the server proves to be c, so a refuses to talk to it as b.
        let federation = try FederationFixture(members: ["a", "b", "c"])
        let bPort = federation.members["b"]!.dspPort
        let c = try federation.start("c", adjust: { $0.listen = "127.0.0.1:\(bPort)" })
        defer { c.stop() }
        let a = try federation.start("a")
        defer { a.stop() }
        do {
            _ = try a.context.peerClient.send(toMember: "b", method: .get, path: "/federation/registry")
            Issue.record("a accepted c's answer for b")
        } catch {
            #expect(error.description.contains("proved to be member 'c', not 'b'"), "\(error)")
        }
        // By URL: the origin decides which member must answer, so the same check applies.
        #expect(throws: PeerError.self) {
            try a.context.peerClient.send(toURL: "https://127.0.0.1:\(bPort)/dsp/federation/registry", method: .get)
        }
        #expect(throws: PeerError.self) { try a.context.peerClient.send(toURL: "https://127.0.0.1:1/dsp", method: .get) }
        #expect(throws: PeerError.self) { try a.context.peerClient.send(toURL: "http://127.0.0.1:\(bPort)/dsp", method: .get) }
        #expect(throws: PeerError.self) { try a.context.peerClient.send(toMember: "nobody", method: .get, path: "/x") }
    }
}
