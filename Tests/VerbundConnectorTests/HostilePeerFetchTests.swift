import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundFederation
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// A member that announces a higher registry serial and then trickles its registry must not hold back revocations
/// the admin publishes meanwhile (docs/security.md, "Revocation always takes effect").
@Suite(.offCooperativePool) struct HostilePeerFetchTests {
    @Test func aTricklingPeerDoesNotDelayARevocationFromTheFile() throws {
        let federation = try FederationFixture(members: ["a", "b", "c"])
        let a = try federation.start("a", modules: [ProbeModule()], adjust: { $0.federationPollSeconds = 0.5 }, options: {
            $0.federationFetch.deadline = .seconds(3)
        })
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }
        let held = a.context.trust.registry.serial

        // "c" (its real key and certificate) announces serial 999 and trickles one byte a second.
        let (key, chain) = try federation.identity("c")
        let root = try Certificate(pem: String(contentsOfFile: federation.adminFolder.rootCertificate, encoding: .utf8))
        let hostile = try TricklingPeer(key: key, chain: chain, root: root, port: federation.members["c"]!.dspPort,
                                        announcedSerial: 999, trickle: .seconds(1))
        defer { hostile.stop() }
        _ = try a.context.peerClient.send(toMember: "c", method: .get, path: "/ping")
        #expect(a.log.waitFor("federation.registry.fetching", where: { $0["member"] as? String == "c" }) != nil)
        let fetchStarted = ContinuousClock.now

        // Further announcements while the first fetch trickles start no second fetch from c.
        for serial in UInt64(1000)...1005 {
            hostile.announce(serial)
            _ = try a.context.peerClient.send(toMember: "c", method: .get, path: "/ping")
        }

        // Meanwhile the admin revokes b; a's files get it and a applies it within its poll interval.
        let published = ContinuousClock.now
        _ = try federation.admin().revoke(memberId: "b", reason: "compromised")
        try federation.publish(to: ["a"])
        let accepted = try #require(a.log.waitFor("federation.registry.accepted", timeout: 2.5,
                                                  where: { $0["source"] as? String == "file" }),
                                    "a logged: \(a.log.all.suffix(8))")
        #expect(ContinuousClock.now - published < .seconds(2.5))
        #expect(accepted["serial"] as? Int == Int(held + 1))
        #expect(a.context.trust.registry.member(id: "b")?.status == .revoked)
        // b's certificate is refused now.
        #expect(throws: PeerError.self) { try b.context.peerClient.send(toMember: "a", method: .get, path: "/probe/whoami") }
        #expect(hostile.registryRequests.load(ordering: .relaxed) == 1)
        #expect(a.log.events("federation.registry.fetching").count == 1)

        // The trickled fetch ends at its total deadline (3 s), although a byte arrives every second.
        let failed = try #require(a.log.waitFor("federation.registry.fetch-failed", timeout: 6))
        #expect(ContinuousClock.now - fetchStarted < .seconds(5))
        #expect(failed["deadlineSeconds"] as? Double == 3, "\(failed)")
    }

    /// The configured `registryURL` may be served by a member too: trickling it must not hold up the files either.
    @Test func aTricklingRegistryURLDoesNotDelayARevocationFromTheFile() throws {
        let federation = try FederationFixture(members: ["a", "b", "c"])
        let (key, chain) = try federation.identity("c")
        let root = try Certificate(pem: String(contentsOfFile: federation.adminFolder.rootCertificate, encoding: .utf8))
        let hostile = try TricklingPeer(key: key, chain: chain, root: root, port: federation.members["c"]!.dspPort,
                                        announcedSerial: 1, trickle: .seconds(1))
        defer { hostile.stop() }
        let url = federation.members["c"]!.endpoint + "/federation/registry"
        let a = try federation.start("a", modules: [ProbeModule()], adjust: {
            $0.federationPollSeconds = 0.5
            $0.federation.registryURL = url
        })
        defer { a.stop() }
        let b = try federation.start("b")
        defer { b.stop() }
        // The URL poll is under way (and will trickle until its 15 s deadline).
        #expect(hostile.waitForRegistryRequest())

        _ = try federation.admin().revoke(memberId: "b", reason: "compromised")
        try federation.publish(to: ["a"])
        #expect(a.log.waitFor("federation.registry.accepted", timeout: 2.5, where: { $0["source"] as? String == "file" }) != nil,
                "a logged: \(a.log.all.suffix(8))")
        #expect(a.context.trust.registry.member(id: "b")?.status == .revoked)
        #expect(throws: PeerError.self) { try b.context.peerClient.send(toMember: "a", method: .get, path: "/probe/whoami") }
        // Rounds go on without a second poll of the URL while the first still runs.
        #expect(hostile.registryRequests.load(ordering: .relaxed) == 1)
    }
}
