import Foundation
import Testing
import VerbundTrust
@testable import VerbundFederation

@Suite struct FederationTrustTests {
    @Test func newerRegistryIsAcceptedOlderAndSameAreRefused() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let serial1 = try federation.registryText
        let trust = try federation.trust()
        try federation.admit("jena")
        let serial2 = try federation.registryText
        try federation.admit("erfurt")
        let serial3 = try federation.registryText

        #expect(trust.offer(registry: serial2) == .accepted(from: 1, to: 2, warning: nil))
        #expect(trust.registry.member(id: "jena") != nil)
        // Replay: the same registry again.
        guard case let .refused(replay) = trust.offer(registry: serial2) else { Issue.record("replay accepted"); return }
        #expect(replay.contains("replay"))
        // Rollback: an older registry.
        guard case let .refused(rollback) = trust.offer(registry: serial1) else { Issue.record("rollback accepted"); return }
        #expect(rollback.contains("rollback"))
        #expect(trust.registry.serial == 2)
        #expect(trust.offer(registry: serial3).isAccepted)
        #expect(trust.registry.serial == 3)
    }

    @Test func sameSerialWithOtherContentIsRefused() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let trust = try federation.trust()
        // Re-sign serial 1 with other content using the real signer: still refused, the serial is not higher.
        var other = trust.registry
        other.federation.name = "Renamed"
        let signed = try SignedRegistry.sign(other, signer: federation.admin.signer, root: try federation.root)
        guard case let .refused(reason) = trust.offer(registry: signed.compact) else { Issue.record("accepted"); return }
        #expect(reason.contains("serial 1"))
    }

    @Test func tamperedAndForeignRegistriesAreRefusedWithTheCause() throws {
        let federation = try TestFederation()
        let foreign = try TestFederation(id: "thueringen", name: "Other")
        defer { federation.remove(); foreign.remove() }
        let trust = try federation.trust()
        try foreign.admit("a")
        try foreign.admit("b")
        guard case let .refused(reason) = trust.offer(registry: try foreign.registryText) else { Issue.record("accepted"); return }
        #expect(reason.contains("not issued by the federation root"))

        try federation.admit("jena")
        var bytes = Array(try federation.registryText.utf8)
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))! + 10
        bytes[dot] = bytes[dot] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        guard case let .refused(tampered) = trust.offer(registry: String(decoding: bytes, as: UTF8.self)) else {
            Issue.record("tampered registry accepted"); return
        }
        #expect(tampered.contains("signature does not verify"))
        #expect(trust.registry.serial == 1)
    }

    @Test func crlUpdatesMoveForwardOnly() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let trust = try federation.trust()
        let first = try federation.crl
        try federation.admit("jena")
        _ = try federation.reopen().revoke(memberId: "jena", reason: nil, code: .keyCompromise)
        let second = try federation.crl
        #expect(second.number == 2)
        #expect(trust.offer(crl: second) == .accepted(from: 1, to: 2, warning: nil))
        guard case let .refused(rollback) = trust.offer(crl: first) else { Issue.record("older CRL accepted"); return }
        #expect(rollback.contains("rollback"))
        guard case let .refused(replay) = trust.offer(crl: second) else { Issue.record("same CRL accepted"); return }
        #expect(replay.contains("replay"))

        let foreign = try TestFederation()
        defer { foreign.remove() }
        guard case let .refused(unsigned) = trust.offer(crl: try foreign.reopen().refreshCRL()) else { Issue.record("foreign CRL accepted"); return }
        #expect(unsigned.contains("not signed by the federation root"))
    }

    @Test func staleCRLWarnsOrIsFatal() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let later = Date().addingTimeInterval(Double(FederationAdministration.crlValidityDays + 1) * 86_400)
        let jena = try federation.admit("jena")
        let lenient = try federation.trust(policy: .warn)
        let strict = try federation.trust(policy: .refuse)
        #expect(lenient.crlFreshness(at: later).isStale)
        #expect(!lenient.crlFreshness(at: Date()).isStale)
        // A CRL whose nextUpdate has passed: a lenient trust store takes it with a warning, a strict one refuses it.
        let stale = try federation.reopen().refreshCRL(now: Date().addingTimeInterval(-40 * 86_400))
        guard case let .accepted(_, _, warning) = lenient.offer(crl: stale) else { Issue.record("refused"); return }
        #expect(warning?.contains("stale") == true)
        guard case let .refused(reason) = strict.offer(crl: stale) else { Issue.record("stale CRL accepted"); return }
        #expect(reason.contains("stale"))
        #expect(strict.crl.number == 1)
        // Under the strict policy, a connector whose crl.pem went stale does not start, and admits nobody.
        guard case .failure(.crlStale) = strict.admit(jena, at: later) else { Issue.record("admitted under a stale CRL"); return }
        // Under the lenient policy a stale CRL is only a warning: members still get in, revoked ones still do not.
        #expect(try lenient.admit(jena, at: later).get().id == "jena")
        let erfurt = try federation.admit("erfurt")
        _ = try federation.reopen().revoke(memberId: "erfurt", reason: nil, code: .keyCompromise)
        let revokedStale = try federation.reopen().refreshCRL(now: Date().addingTimeInterval(-35 * 86_400))
        #expect(lenient.offer(registry: try federation.registryText).isAccepted)
        #expect(lenient.offer(crl: revokedStale).isAccepted)
        #expect(lenient.admit(erfurt, at: later) == .failure(.revokedOnCRL(serial: erfurt.serialNumber.hex)))
        guard case .success = strict.admit(jena, at: Date()) else { Issue.record("refused under a fresh CRL"); return }
        #expect(throws: FederationTrustError.self) { try federation.trust(policy: .refuse) }
    }

    @Test func offersFromFiles() throws {
        let federation = try TestFederation()
        defer { federation.remove() }
        let trust = try federation.trust()
        try federation.admit("jena")
        #expect(trust.offer(registryFile: federation.folder.registry) == .accepted(from: 1, to: 2, warning: nil))
        #expect(!trust.offer(registryFile: federation.folder.registry).isAccepted)
        _ = try federation.reopen().refreshCRL()
        #expect(trust.offer(crlFile: federation.folder.crl).isAccepted)
        guard case let .refused(reason) = trust.offer(crlFile: federation.scratch + "/none.pem") else { Issue.record("accepted"); return }
        #expect(reason.contains("none.pem"))
        #expect(!trust.offer(registryFile: federation.scratch + "/none.jws").isAccepted)
    }

    @Test func missingFilesAreNamed() throws {
        do {
            _ = try FederationTrust(rootFile: "/nonexistent/root.pem", registryFile: "/nonexistent/registry.jws", crlFile: "/nonexistent/crl.pem")
            Issue.record("loaded from nothing")
        } catch {
            #expect(error.description.contains("/nonexistent/root.pem"))
        }
    }
}
