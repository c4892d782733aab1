import Foundation
import Testing
import VerbundTestSupport
import VerbundAudit
import VerbundCLI
import VerbundFederation
import VerbundHTTP
import VerbundTrust
@testable import VerbundConnector

@Suite(.offCooperativePool) struct EvidenceBundleTests {
    /// A provider `a` and consumer `b` with a dual-signed contract, the log entries the negotiation and transfer
    /// modules write about it (one unrelated entry in between), and the bundle `a` exports.
    struct Setup {
        let federation: FederationFixture
        let a: RunningConnector
        let contract: ContractRecord
        let bundle: [UInt8]
        var root: Certificate { a.context.trust.root }
    }

    func withSetup(_ body: (Setup) throws -> Void) throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let contracts = FixedContracts()
        let a = try federation.start("a", modules: [AuditModule(contracts: contracts, settings: .init(signInterval: .milliseconds(50)))])
        defer { a.stop() }
        let contract = try federation.dualSignedContract(provider: "a", consumer: "b", agreedAt: Date())
        contracts.add(contract)
        let audit = a.context.audit
        try audit.record(AuditEvent(kind: "negotiation.requested", fields: [
            "providerPid": .string(contract.providerPid), "consumerPid": .string(contract.consumerPid), "member": "b",
        ]))
        try audit.record(AuditEvent(kind: "catalog.published", fields: ["dataset": "urn:uuid:other"]))
        try audit.record(AuditEvent(kind: "negotiation.finalized", fields: [
            "agreementId": .string(contract.agreement.id), "providerPid": .string(contract.providerPid),
            "consumerPid": .string(contract.consumerPid),
        ]))
        try audit.record(AuditEvent(kind: "transfer.completed", fields: [
            "agreementId": .string(contract.agreement.id), "bytes": 1_048_576,
            "sha256": .string(SHA256.hexHash(Array(repeating: UInt8(7), count: 16))),
        ]))
        let response = try a.management("/api/contracts/\(contract.agreement.id)/evidence")
        #expect(response.status.code == 200)
        try body(Setup(federation: federation, a: a, contract: contract, bundle: response.body))
    }

    @Test func bundleFromAConnectorVerifiesOfflineAndReadsPlainly() throws {
        try withSetup { setup in
            let verification = EvidenceVerifier.verify(setup.bundle, root: setup.root)
            #expect(verification.report.succeeded, "\(verification.report.failed)")
            let names = Set(verification.report.checks.map(\.name))
            for name in ["bundle-format", "contract", "contract-signatures", "provider-signature", "consumer-signature",
                         "signer-certificates", "crl", "provider-chain", "consumer-chain", "not-revoked-at-signing",
                         "registry", "provider-membership", "consumer-membership", "tree-head-signature",
                         "tree-head-signer", "inclusion-proofs", "entries-relevant"] {
                #expect(names.contains(name), "\(name)")
            }
            let summary = try #require(verification.summary)
            #expect(summary.provider.name == "Stadt a" && summary.consumer.name == "Stadt b")
            #expect(summary.dataset == "urn:uuid:dataset-parking")
            #expect(summary.rules.contains("at most 3 transfers"))
            #expect(summary.events.map(\.kind) == ["negotiation.requested", "negotiation.finalized", "transfer.completed"])
            #expect(summary.transfers.map(\.bytes) == [1_048_576])

            // The CLI prints the contract in plain words and exits 0.
            let file = setup.federation.root.file("bundle.json")
            try Data(setup.bundle).write(to: URL(fileURLWithPath: file))
            let rootFile = setup.federation.members["a"]!.federationFolder + "/root.pem"
            let console = CapturedConsole()
            #expect(VerbundCommandLine.main(["audit", "verify", file, "--root", rootFile], console: console) == 0)
            #expect(console.standardOutput.contains("Provider (assigner): Stadt a"))
            #expect(console.standardOutput.contains("1048576 bytes"))
            #expect(console.standardOutput.contains("Result: every check passed."))
            let json = CapturedConsole()
            #expect(VerbundCommandLine.main(["audit", "verify", file, "--root", rootFile, "--json"], console: json) == 0)
            #expect(json.standardOutput.contains("\"ok\":true"))

            // Exported through the CLI as well.
            let out = setup.federation.root.file("cli-bundle.json")
            let export = CapturedConsole()
            #expect(VerbundCommandLine.main(["audit", "evidence", setup.contract.agreement.id, "--config",
                                             setup.federation.members["a"]!.configurationFile, "--out", out], console: export) == 0,
                    "\(export.standardError)")
            #expect(EvidenceVerifier.verify(Array(try Data(contentsOf: URL(fileURLWithPath: out))), root: setup.root).report.succeeded)
        }
    }

    /// One changed character inside each part of the bundle is caught by the check that covers it.
    /// The Python snippet of docs/auditor.md ("Without Verbund"), taken from the document as it stands, checks a real
    /// bundle with joserfc: an auditor who copies it gets a working check, and one changed signature makes it fail.
    @Test func theAuditorGuidesPythonSnippetVerifiesARealBundle() throws {
        guard OutsideCheckers.mayRun(ContractVerifier.joserfcCheck, absence: ContractVerifier.joserfcAbsence) else { return }
        let guide = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/auditor.md")
        let text = try String(contentsOf: guide, encoding: .utf8)
        let start = try #require(text.range(of: "```python\n"))
        let end = try #require(text.range(of: "\n```", range: start.upperBound..<text.endIndex))
        let script = String(text[start.upperBound..<end.lowerBound])
        try withSetup { setup in
            let folder = setup.federation.root
            try script.write(toFile: folder.file("check_bundle.py"), atomically: true, encoding: .utf8)
            try Data(setup.bundle).write(to: URL(fileURLWithPath: folder.file("bundle.json")))
            let good = try ChildProcess.run("/usr/bin/env", ["python3", folder.file("check_bundle.py"), folder.file("bundle.json")], timeout: 30)
            #expect(good.status == 0, "\(good.output)\(good.error)")
            #expect(good.output.contains("all 3 entries are in the tree"), "\(good.output)")
            // The same check on a bundle whose provider signature lost a byte: the snippet raises.
            var bundle = try #require(try JSONSerialization.jsonObject(with: Data(setup.bundle)) as? [String: Any])
            var contract = try #require(bundle["contract"] as? [String: Any])
            var signatures = try #require(contract["signatures"] as? [[String: Any]])
            let signature = try #require(signatures[0]["signature"] as? String)
            signatures[0]["signature"] = String(signature.dropLast(4)) + (signature.hasSuffix("AAAA") ? "BBBB" : "AAAA")
            contract["signatures"] = signatures
            bundle["contract"] = contract
            try JSONSerialization.data(withJSONObject: bundle).write(to: URL(fileURLWithPath: folder.file("bad.json")))
            let bad = try ChildProcess.run("/usr/bin/env", ["python3", folder.file("check_bundle.py"), folder.file("bad.json")], timeout: 30)
            #expect(bad.status != 0)
        }
    }

    @Test func oneChangedByteInEachPartIsNamed() throws {
        try withSetup { setup in
            let text = String(decoding: setup.bundle, as: UTF8.self)
            let value = try CanonicalJSON.decode(setup.bundle)
            let payload = try #require(value["contract"]?["payload"]?.stringValue)
            let signature = try #require(value["contract"]?["signatures"]?.arrayValue?.last?["signature"]?.stringValue)
            let certificate = try #require(value["signers"]?["consumer"]?.arrayValue?.first?.stringValue)
            let registry = try #require(value["registry"]?.stringValue)
            let crl = try #require(value["crl"]?.stringValue)
            let entry = try #require(value["entries"]?.arrayValue?.last?["entry"]?.stringValue)
            let path = try #require(value["entries"]?.arrayValue?.first?["path"]?.arrayValue?.first?.stringValue)
            let treeHead = try #require(value["treeHead"]?.stringValue)
            // The entry appears JSON-escaped in the file; change a digit of its `at` time.
            let escapedEntry = String(try CanonicalJSON.string(.string(entry)).dropFirst().dropLast())
            let cases: [(part: String, inside: String, offset: Int, check: String)] = [
                ("agreement", payload, payload.count / 2, "contract-signatures"),
                ("signature", signature, 20, "contract-signatures"),
                ("certificate", certificate, certificate.count / 2, "signer-certificates"),
                ("registry", registry, registry.count / 2, "registry"),
                ("crl", crl, crl.count / 2, "crl"),
                ("entry", escapedEntry, (escapedEntry.range(of: "\\\"at\\\":")!.upperBound.utf16Offset(in: escapedEntry)) + 5, "inclusion-proofs"),
                ("proof", path, 7, "inclusion-proofs"),
                ("tree head", treeHead, treeHead.count / 2, "tree-head-signature"),
                ("type", "verbund-evidence/1", 17, "bundle-format"),
            ]
            for item in cases {
                let tampered = try #require(Self.change(text, inside: item.inside, at: item.offset), "\(item.part)")
                let report = EvidenceVerifier.verify(Array(tampered.utf8), root: setup.root).report
                #expect(!report.succeeded, "\(item.part)")
                #expect(report.failed.map(\.name).contains(item.check), "\(item.part): \(report.failed.map(\.name))")
            }
            // Not canonical any more (one space added): the form check names it.
            var spaced = setup.bundle
            spaced.insert(0x20, at: 1)
            #expect(EvidenceVerifier.verify(spaced, root: setup.root).report.failed.map(\.name) == ["bundle-format"])
            // Another federation's root: every chain check fails.
            let stranger = try FederationFixture(members: ["x"])
            let strangerRoot = try Certificate.all(pemFile: stranger.members["x"]!.federationFolder + "/root.pem")[0]
            let foreign = EvidenceVerifier.verify(setup.bundle, root: strangerRoot).report
            #expect(Set(foreign.failed.map(\.name)).isSuperset(of: ["provider-chain", "consumer-chain", "registry", "tree-head-signer"]))

            // The CLI exits 1 and names the check.
            let file = setup.federation.root.file("tampered.json")
            try Self.change(text, inside: crl, at: crl.count / 2)!.write(toFile: file, atomically: true, encoding: .utf8)
            let console = CapturedConsole()
            let rootFile = setup.federation.members["a"]!.federationFolder + "/root.pem"
            #expect(VerbundCommandLine.main(["audit", "verify", file, "--root", rootFile], console: console) == 1)
            #expect(console.standardOutput.contains("[FAIL] crl"))
            #expect(console.standardError.contains("crl"))
        }
    }

    @Test func aNewerCRLTellsWhetherASignerIsRevokedNow() throws {
        try withSetup { setup in
            Thread.sleep(forTimeInterval: 1.1)  // revocation times have whole seconds; revoke after the signing second
            _ = try setup.federation.admin().revoke(memberId: "b", reason: "left the federation", code: .cessationOfOperation,
                                                    certificateSerial: nil)
            let crl = try CertificateRevocationList(pemFile: setup.federation.adminFolder.crl)
            let verification = EvidenceVerifier.verify(setup.bundle, root: setup.root, currentCRL: crl)
            #expect(verification.report.succeeded, "\(verification.report.failed)")
            let now = try #require(verification.report.checks.first { $0.name == "revocation-now" })
            #expect(now.outcome == .notice)
            #expect(now.detail.contains("after signing"))
        }
    }

    @Test func bundleCarriesTheRegistryInForceAtSigningNotTheNewest() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let contracts = FixedContracts()
        let a = try federation.start("a", modules: [AuditModule(contracts: contracts, settings: .init(signInterval: .milliseconds(50)))])
        defer { a.stop() }
        let heldSerial = a.context.trust.registry.serial
        let contract = try federation.dualSignedContract(provider: "a", consumer: "b", agreedAt: Date())
        contracts.add(contract)
        try a.context.audit.record(AuditEvent(kind: "negotiation.finalized", fields: ["agreementId": .string(contract.agreement.id)]))
        // After signing, b is suspended: the newest registry would make the contract look invalid.
        Thread.sleep(forTimeInterval: 1.1)
        _ = try federation.admin().suspend(memberId: "b", reason: "after the contract")
        try federation.publish(to: ["a"])
        #expect(eventually { a.context.trust.registry.serial > heldSerial })
        #expect(try eventually { try a.rows("SELECT number FROM audit_trust_history WHERE kind = 'registry'").count == 2 })

        let bundle = try a.management("/api/contracts/\(contract.agreement.id)/evidence").body
        let verification = EvidenceVerifier.verify(bundle, root: a.context.trust.root)
        #expect(verification.report.succeeded, "\(verification.report.failed)")
        #expect(verification.report.checks.first { $0.name == "registry" }?.detail.contains("serial \(heldSerial) ") == true)
    }

    @Test func exportRefusesUnknownContractsAndConnectorsWithoutContracts() throws {
        try withSetup { setup throws in
            let unknown = try setup.a.management("/api/contracts/urn:uuid:nope/evidence")
            #expect(unknown.status.code == 404)
        }
        let federation = try FederationFixture(members: ["a"])
        let a = try federation.start("a", modules: [AuditModule()])
        defer { a.stop() }
        #expect(try a.management("/api/contracts/x/evidence").status.code == 503)
        #expect(EvidenceVerifier.verify(Array("{}".utf8), root: a.context.trust.root).report.failed.map(\.name) == ["bundle-format"])
    }

    /// `text` with the character at `offset` inside the first occurrence of `inside` replaced by another character of
    /// the same kind (base64, lowercase hex digit or decimal digit), so the file stays well-formed JSON.
    static func change(_ text: String, inside: String, at offset: Int) -> String? {
        guard let range = text.range(of: inside) else { return nil }
        let start = text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound.samePosition(in: text.utf8)!)
        var bytes = Array(text.utf8)
        let position = start + offset
        let old = bytes[position]
        bytes[position] = switch old {
        case UInt8(ascii: "0")...UInt8(ascii: "8"): old + 1
        case UInt8(ascii: "9"): UInt8(ascii: "0")
        case UInt8(ascii: "a"): UInt8(ascii: "b")
        case UInt8(ascii: "b")...UInt8(ascii: "z"): UInt8(ascii: "a")  // stays a lowercase hex digit where it was one
        default: old == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
