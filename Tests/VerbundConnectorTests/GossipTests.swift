import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundFederation
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// Registries spread from peers (docs/design.md §11 "Federation"), and only forward.
@Suite(.offCooperativePool) struct GossipTests {
    /// The federation issue's scenario: the admin revokes B and only C's files get the new registry; A learns it from
    /// C's header, fetches and verifies it, and from then on refuses B.
    @Test func aRevocationReachesAThroughCAndBIsRefused() throws {
        let federation = try FederationFixture(members: ["a", "b", "c"])
        let a = try federation.start("a", modules: [ProbeModule()])
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }
        let c = try federation.start("c", modules: [ProbeModule()])
        defer { c.stop() }
        let held = a.context.trust.registry.serial

        let (revoked, _) = try federation.admin().revoke(memberId: "b", reason: "left the federation")
        try federation.publish(to: ["c"])
        #expect(c.log.waitFor("federation.crl.accepted", where: { $0["source"] as? String == "file" }) != nil)
        #expect(c.log.waitFor("federation.registry.accepted", where: { $0["source"] as? String == "file" }) != nil)
        #expect(c.context.trust.registry.serial == revoked.registry.serial)
        #expect(a.context.trust.registry.serial == held)  // a's files are unchanged

        // Any exchange with C carries C's serial; A fetches the registry (and the CRL) from C.
        let reply = try a.context.peerClient.send(toMember: "c", method: .get, path: "/probe/whoami")
        #expect(reply.headers[FederationHeaders.registrySerial] == String(revoked.registry.serial))
        let accepted = try #require(a.log.waitFor("federation.registry.accepted", where: { $0["source"] as? String == "peer" }))
        #expect(accepted["from"] as? String == "c")
        #expect(accepted["serial"] as? Int == Int(revoked.registry.serial))
        #expect(a.context.trust.registry.member(id: "b")?.status == .revoked)
        #expect(a.log.waitFor("federation.crl.accepted", where: { $0["source"] as? String == "peer" }) != nil,
                "a logged: \(a.log.all.filter { $0.contains("federation") })")

        // B can no longer complete a handshake with A, and A says why.
        #expect(throws: PeerError.self) { try b.context.peerClient.send(toMember: "a", method: .get, path: "/probe/whoami") }
        let why = a.log.waitFor(anyOf: ["dsp.handshake.refused", "http.handshake.failed"])
        let reason = (why?["reason"] as? String ?? "") + (why?["error"] as? String ?? "")
        #expect(reason.contains("revoked"), "a logged: \(a.log.all.suffix(10))")

        // The accepted registry is in A's audit log and kept for the next start.
        let entries = try a.context.database.read { tx in try a.context.audit.log.entries(0..<100, in: tx) }
        #expect(entries.contains { String(decoding: $0.canonicalJSON, as: UTF8.self).contains("\"kind\":\"federation.registry.accepted\"") })
        a.stop()
        let restarted = try federation.start("a", modules: [ProbeModule()])
        defer { restarted.stop() }
        #expect(restarted.context.trust.registry.serial == revoked.registry.serial)
    }

    /// A peer announcing a higher serial but serving an older registry (rollback), or a forged one, is refused loudly.
    @Test func rollbackAndForgeryFromAPeerAreRefused() throws {
        let federation = try FederationFixture(members: ["a", "c", "d"])
        let oldRegistry = try String(contentsOfFile: federation.adminFolder.registry, encoding: .utf8)
        let a = try federation.start("a")
        defer { a.stop() }
        _ = try federation.admin().suspend(memberId: "d", reason: "test")
        try federation.publish(to: ["a"])
        #expect(a.log.waitFor("federation.registry.accepted") != nil)
        let held = a.context.trust.registry.serial

        // A fake "c" (with c's real key and certificate) that announces serial 999 and serves whatever we choose.
        let served = Mutex(oldRegistry)
        let announced = Mutex<UInt64>(999)
        let (key, chain) = try federation.identity("c")
        let root = try Certificate(pem: String(contentsOfFile: federation.adminFolder.rootCertificate, encoding: .utf8))
        let tls = try TLSContext(configuration: .server(certificateChain: chain, privateKey: key, trustRoots: [root]))
        var router = Router()
        router.get("/dsp/federation/registry") { _, _ in
            var response = HTTPResponse(contentType: "application/jose", bytes: Array(served.withLock { $0 }.utf8))
            response.headers.set(FederationHeaders.registrySerial, String(announced.withLock { $0 }))
            return response
        }
        router.get("/dsp/ping") { _, _ in
            var response = HTTPResponse.text("pong")
            response.headers.set(FederationHeaders.registrySerial, String(announced.withLock { $0 }))
            return response
        }
        let acceptor = try TLSAcceptor(host: "127.0.0.1", port: federation.members["c"]!.dspPort,
                                       contexts: TLSContextSlot(tls), identityCheck: .verifiedChain)
        let fake = HTTPServer(acceptor: acceptor, router: router)
        try fake.start()
        defer { fake.stop(grace: .zero) }

        _ = try a.context.peerClient.send(toMember: "c", method: .get, path: "/ping")
        let rollback = try #require(a.log.waitFor("federation.registry.refused"))
        #expect(rollback["source"] as? String == "peer")
        #expect(rollback["level"] as? String == "error")
        #expect((rollback["reason"] as? String)?.contains("rollback") == true)
        #expect(a.context.trust.registry.serial == held)

        // A forged registry: the real one with its signature's last characters changed.
        var forged = try String(contentsOfFile: federation.adminFolder.registry, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let last = forged.removeLast()
        forged.append(last == "A" ? "B" : "A")
        served.withLock { $0 = forged }
        announced.withLock { $0 = 1000 }
        _ = try a.context.peerClient.send(toMember: "c", method: .get, path: "/ping")
        let forgery = try #require(a.log.waitFor("federation.registry.refused", where: {
            ($0["reason"] as? String)?.contains("rollback") == false
        }))
        #expect(forgery["from"] as? String == "c")
        #expect(a.context.trust.registry.serial == held)

        // The same announcement again does not make A fetch again.
        _ = try a.context.peerClient.send(toMember: "c", method: .get, path: "/ping")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(a.log.events("federation.registry.fetching").count == 2)
    }

    @Test func aNewCRLFromTheFileRebuildsTLSAndRefusesTheRevokedCertificate() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let a = try federation.start("a")
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }
        // Revoke b's certificate only (the member stays listed): only the CRL refuses it.
        let serial = try #require(federation.admin().registry.member(id: "b")?.certificates.first?.serial)
        _ = try federation.admin().revoke(memberId: "b", reason: "key leaked", certificateSerial: serial)
        try federation.publish(to: ["a"])
        #expect(a.log.waitFor("federation.crl.accepted") != nil)
        #expect(a.log.waitFor("tls.contexts.rebuilt") != nil)
        #expect(throws: PeerError.self) { try b.context.peerClient.send(toMember: "a", method: .get, path: "/federation/crl") }
    }

    @Test func aConfiguredRegistryURLIsPolled() throws {
        let federation = try FederationFixture(members: ["a", "c", "d"])
        let c = try federation.start("c")
        defer { c.stop() }
        let url = federation.members["c"]!.endpoint + "/federation/registry"
        let a = try federation.start("a", adjust: { $0.federation.registryURL = url })
        defer { a.stop() }
        let held = a.context.trust.registry.serial
        _ = try federation.admin().suspend(memberId: "d", reason: "audit")
        try federation.publish(to: ["c"])
        let accepted = try #require(a.log.waitFor("federation.registry.accepted"))
        #expect(accepted["source"] as? String == "url")
        #expect(accepted["from"] as? String == url)
        #expect(a.context.trust.registry.serial == held + 1)
        #expect(a.context.trust.registry.member(id: "d")?.status == .suspended)
    }

    @Test func aHigherSerialOnAnIncomingRequestIsFetchedFromItsSender() throws {
        let federation = try FederationFixture(members: ["a", "c", "d"])
        let a = try federation.start("a")
        defer { a.stop() }
        let c = try federation.start("c")
        defer { c.stop() }
        _ = try federation.admin().suspend(memberId: "d", reason: "audit")
        try federation.publish(to: ["c"])
        #expect(c.log.waitFor("federation.registry.accepted") != nil)
        // c calls a: the request carries c's serial, and a fetches the registry back from c.
        _ = try c.context.peerClient.send(toMember: "a", method: .get, path: "/federation/crl")
        let accepted = try #require(a.log.waitFor("federation.registry.accepted"))
        #expect(accepted["source"] as? String == "peer")
        #expect(accepted["from"] as? String == "c")
        #expect(a.context.trust.registry.serial == c.context.trust.registry.serial)
    }
}
