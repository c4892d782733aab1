import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundAudit
import VerbundFederation
import VerbundTrust
@testable import VerbundConnector

/// Colluding or revoked parties try to pass off a contract as made earlier than it was, when the CRL and registry
/// in the bundle still showed them in good standing. Each forged bundle below passed the verifier before the
/// `signing-time` check and the tree-head signer's revocation check existed.
@Suite(.offCooperativePool) struct EvidenceBackdatingTests {
    /// A clock that runs with the real one until a test moves it forward.
    final class ShiftedClock: Sendable {
        private let offset = Mutex<TimeInterval>(0)
        func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
        func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    }

    /// Provider `a` and consumer `b` sign a contract that carries a timestamp one hour before `a`'s connector logs
    /// it (as if both had written an earlier date into a contract made now). Everything else is genuine: real
    /// certificates, the registry and CRL `a` held at the stated time, entries with valid inclusion proofs.
    @Test func agreementDatedAnHourBeforeTheLogNamesItFails() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let contracts = FixedContracts()
        let clock = ShiftedClock()
        let a = try federation.start("a", modules: [AuditModule(contracts: contracts, settings: .init(signInterval: .milliseconds(50)))],
                                     options: { $0.clock = { clock.now() } })
        defer { a.stop() }
        let contract = try federation.dualSignedContract(provider: "a", consumer: "b", agreedAt: Date())
        contracts.add(contract)
        clock.advance(by: 3600)
        try a.context.audit.record(AuditEvent(kind: "negotiation.finalized", fields: [
            "agreementId": .string(contract.agreement.id), "providerPid": .string(contract.providerPid),
            "consumerPid": .string(contract.consumerPid),
        ]))
        try a.context.audit.record(AuditEvent(kind: "transfer.completed", fields: [
            "agreementId": .string(contract.agreement.id), "bytes": 1024, "sha256": .string(SHA256.hexHash([1, 2, 3])),
        ]))
        let response = try a.management("/api/contracts/\(contract.agreement.id)/evidence")
        #expect(response.status.code == 200)

        let report = EvidenceVerifier.verify(response.body, root: a.context.trust.root).report
        #expect(report.failed.map(\.name) == ["signing-time"], "\(report.failed)")
        #expect(report.failure("signing-time")?.detail.contains("60 minutes later") == true, "\(report.failed)")
        // Every check the verifier had before passes: this bundle was accepted as evidence.
        let earlier = report.checks.filter { $0.name != "signing-time" }
        #expect(!earlier.isEmpty && earlier.allSatisfy { $0.outcome == .passed })

        // The same bundle made without the shift passes: the check measures the gap, not the clock.
        let honest = try federation.dualSignedContract(provider: "a", consumer: "b", agreedAt: clock.now())
        contracts.add(honest)
        try a.context.audit.record(AuditEvent(kind: "negotiation.finalized", fields: ["agreementId": .string(honest.agreement.id)]))
        let good = try a.management("/api/contracts/\(honest.agreement.id)/evidence").body
        let verification = EvidenceVerifier.verify(good, root: a.context.trust.root)
        #expect(verification.report.succeeded, "\(verification.report.failed)")
    }

    /// Consumer `b` is revoked after the contract; its connector (which has not taken the new CRL) still signs a
    /// tree head over its log and exports the bundle. A revoked member's head vouches for nothing after its
    /// revocation: with the current CRL the verifier refuses it, while the contract signers alone only earn a note.
    @Test func treeHeadSignedByAMemberAfterItsRevocationFails() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let contracts = FixedContracts()
        let b = try federation.start("b", modules: [AuditModule(contracts: contracts, settings: .init(signInterval: .milliseconds(50)))])
        defer { b.stop() }
        let contract = try federation.dualSignedContract(provider: "a", consumer: "b", agreedAt: Date())
        contracts.add(contract)
        try b.context.audit.record(AuditEvent(kind: "negotiation.finalized", fields: ["agreementId": .string(contract.agreement.id)]))
        Thread.sleep(forTimeInterval: 1.1)  // revocation times have whole seconds; revoke after the signing second
        _ = try federation.admin().revoke(memberId: "b", reason: "key lost", code: .cessationOfOperation, certificateSerial: nil)
        let currentCRL = try CertificateRevocationList(pemFile: federation.adminFolder.crl)
        Thread.sleep(forTimeInterval: 1.1)  // the head is signed in a later second than the revocation
        // b goes on logging (and so signing heads) after its revocation.
        try b.context.audit.record(AuditEvent(kind: "transfer.received", fields: [
            "agreementId": .string(contract.agreement.id), "bytes": 1024, "sha256": .string(SHA256.hexHash([1, 2, 3])),
        ]))
        let bundle = try b.management("/api/contracts/\(contract.agreement.id)/evidence").body

        let report = EvidenceVerifier.verify(bundle, root: b.context.trust.root, currentCRL: currentCRL).report
        #expect(report.failed.map(\.name) == ["revocation-now"], "\(report.failed)")
        let detail = try #require(report.failure("revocation-now")?.detail)
        #expect(detail.contains("tree head's signer") && detail.contains("before it signed the head"), "\(detail)")
        // Without the current CRL nothing shows the revocation (the bundle carries the CRL in force at signing).
        #expect(EvidenceVerifier.verify(bundle, root: b.context.trust.root).report.succeeded)
    }

    /// The tree head's signer must not be on the CRL in force at signing, even when it is a party's other certificate.
    @Test func treeHeadSignerCheckedAgainstTheBundleCRL() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let contracts = FixedContracts()
        let a = try federation.start("a", modules: [AuditModule(contracts: contracts, settings: .init(signInterval: .milliseconds(50)))])
        defer { a.stop() }
        let contract = try federation.dualSignedContract(provider: "a", consumer: "b", agreedAt: Date())
        contracts.add(contract)
        try a.context.audit.record(AuditEvent(kind: "negotiation.finalized", fields: ["agreementId": .string(contract.agreement.id)]))
        let bundle = try a.management("/api/contracts/\(contract.agreement.id)/evidence").body
        var evidence = EvidenceFindings(bytes: bundle, root: a.context.trust.root, currentCRL: nil)
        var report = AuditReport()
        for check in EvidenceVerifier.standardChecks.prefix(while: { !($0 is TreeHeadSignerCheck) }) {
            _ = check.run(&evidence, &report)
        }
        #expect(report.succeeded, "\(report.failed)")
        // The same findings with a's certificate on the CRL of the bundle.
        Thread.sleep(forTimeInterval: 1.1)
        _ = try federation.admin().revoke(memberId: "a", reason: "compromised", code: .keyCompromise, certificateSerial: nil)
        evidence.crl = try CertificateRevocationList(pemFile: federation.adminFolder.crl)
        var after = AuditReport()
        _ = TreeHeadSignerCheck().run(&evidence, &after)
        #expect(after.failure("tree-head-signer")?.detail.contains("on the CRL in force at signing") == true, "\(after.checks)")
    }
}
