import Foundation
import Testing
import VerbundTrust
@testable import VerbundAudit

/// A root and a connector certificate made fresh per test.
struct AuditTestPKI {
    let authority: CertificateAuthority
    let key: PrivateKey
    let certificate: Certificate

    init(member: String = "a") throws {
        authority = try CertificateAuthority.selfSignedRoot(name: "Audit Test Root", key: PrivateKey.generateP256(), days: 30)
        key = try PrivateKey.generateP256()
        let csr = try CertificateSigningRequest(commonName: member, subjectAltNameURIs: ["urn:verbund:test:\(member)"], key: key)
        certificate = try authority.issue(csr: csr, subjectAltNameURIs: ["urn:verbund:test:\(member)"], days: 10)
    }

    var root: Certificate { authority.certificate }

    func sign(_ head: TreeHead) throws -> SignedTreeHead {
        try SignedTreeHead.sign(head, key: key, chain: [certificate])
    }
}

@Suite struct SignedTreeHeadTests {
    let entries: [[UInt8]] = (0..<7).map { Array("{\"kind\":\"e\",\"n\":\($0)}".utf8) }

    func head(_ leaves: [[UInt8]], at milliseconds: Int64 = 1_700_000_000_000) throws -> TreeHead {
        try TreeHead(treeSize: leaves.count, rootHash: MerkleTree.rootHash(of: leaves), timestampMilliseconds: milliseconds)
    }

    @Test func signedHeadRoundTripsAndChainsToTheRoot() throws {
        let pki = try AuditTestPKI()
        let signed = try pki.sign(try head(entries))
        let parsed = try SignedTreeHead(compact: signed.compact)
        #expect(parsed == signed)
        #expect(parsed.head == signed.head)
        #expect(parsed.treeSize == 7)
        #expect(parsed.signer == pki.certificate)
        let chain = try parsed.verifyChain(ChainVerifier(root: pki.root), at: Date())
        #expect(chain.last == pki.root)
    }

    @Test func changedPayloadOrSignatureIsRefused() throws {
        let pki = try AuditTestPKI()
        let signed = try pki.sign(try head(entries))
        let parts = signed.compact.split(separator: ".").map(String.init)
        // Another, validly formed tree head under the old signature.
        let other = try head(Array(entries.dropLast()))
        let forgedPayload = [parts[0], Base64URL.encode(other.signingInput), parts[2]].joined(separator: ".")
        #expect(throws: SignedTreeHeadError.signatureInvalid) { try SignedTreeHead(compact: forgedPayload) }
        var signature = Base64URL.decode(parts[2])!
        signature[10] ^= 0x01
        let forgedSignature = [parts[0], parts[1], Base64URL.encode(signature)].joined(separator: ".")
        #expect(throws: SignedTreeHeadError.signatureInvalid) { try SignedTreeHead(compact: forgedSignature) }
        #expect(throws: SignedTreeHeadError.self) { try SignedTreeHead(compact: "not.a.jws") }
    }

    @Test func aSignerOfAnotherRootIsNotTrusted() throws {
        let pki = try AuditTestPKI()
        let stranger = try AuditTestPKI()
        let signed = try stranger.sign(try head(entries))
        #expect(throws: SignedTreeHeadError.self) { try signed.verifyChain(ChainVerifier(root: pki.root), at: Date()) }
    }

    @Test func consistencyOfTwoHeadsIsJudged() throws {
        let old = try head(Array(entries.prefix(3)))
        let new = try head(entries)
        let proof = try MerkleTree.consistencyProof(from: 3, to: 7, leafHashes: entries.map { MerkleTree.leafHash($0) })
        #expect(TreeHeadConsistency.check(old: old, new: new, proof: proof) == .consistent)
        #expect(TreeHeadConsistency.check(old: new, new: old, proof: proof) == .older)
        #expect(TreeHeadConsistency.check(old: old, new: new, proof: nil) == .proofNeeded(from: 3, to: 7))

        // A fork: same size, another root.
        var rewritten = entries
        rewritten[1] = Array("{\"kind\":\"e\",\"n\":100}".utf8)
        #expect(TreeHeadConsistency.check(old: new, new: try head(rewritten), proof: nil) == .fork)
        // A rewritten history that grew: the honest proof of the new tree does not reach the old root.
        let grown = rewritten + [Array("{\"kind\":\"e\",\"n\":8}".utf8)]
        let grownProof = try MerkleTree.consistencyProof(from: 7, to: 8, leafHashes: grown.map { MerkleTree.leafHash($0) })
        #expect(TreeHeadConsistency.check(old: new, new: try head(grown), proof: grownProof) == .inconsistent)
    }
}

@Suite struct LogExportTests {
    let entries: [[UInt8]] = (0..<9).map { Array("{\"at\":\(1000 + $0),\"kind\":\"negotiation.step\",\"n\":\($0)}".utf8) }

    func export(_ lines: [[UInt8]]) -> [UInt8] { lines.flatMap { $0 + [0x0a] } }

    func signedHead(_ pki: AuditTestPKI, over lines: [[UInt8]]) throws -> String {
        try pki.sign(try TreeHead(treeSize: lines.count, rootHash: MerkleTree.rootHash(of: lines), timestamp: Date())).compact
    }

    @Test func intactExportVerifies() throws {
        let pki = try AuditTestPKI()
        let report = LogExport.verify(export(entries), signedTreeHead: try signedHead(pki, over: entries), root: pki.root)
        #expect(report.succeeded, "\(report.failed)")
        #expect(report.checks.map(\.name) == ["tree-head-signature", "tree-head-signer", "entries-format", "entry-count", "root-hash"])
        // Entries appended after the head are reported, not failed.
        let more = entries + [Array("{\"at\":2000,\"kind\":\"late\"}".utf8)]
        let later = LogExport.verify(export(more), signedTreeHead: try signedHead(pki, over: entries), root: pki.root)
        #expect(later.succeeded)
        #expect(later.checks.contains { $0.name == "uncovered-entries" && $0.outcome == .notice })
    }

    @Test func forgedEntryIsNamed() throws {
        let pki = try AuditTestPKI()
        let head = try signedHead(pki, over: entries)
        var forged = entries
        forged[4] = Array("{\"at\":1004,\"kind\":\"negotiation.step\",\"n\":44}".utf8)
        let report = LogExport.verify(export(forged), signedTreeHead: head, root: pki.root)
        #expect(!report.succeeded)
        #expect(report.failed.map(\.name) == ["root-hash"])
        // An edit that is not even canonical JSON is named by line.
        var spaced = entries
        spaced[2] = Array("{\"at\": 1002,\"kind\":\"negotiation.step\",\"n\":2}".utf8)
        let format = LogExport.verify(export(spaced), signedTreeHead: head, root: pki.root)
        #expect(format.failure("entries-format")?.detail.contains("line 3") == true)
    }

    @Test func removedEntryIsNamed() throws {
        let pki = try AuditTestPKI()
        var removed = entries
        removed.remove(at: 3)
        let report = LogExport.verify(export(removed), signedTreeHead: try signedHead(pki, over: entries), root: pki.root)
        #expect(report.failed.map(\.name) == ["entry-count"])
    }

    @Test func reorderedEntriesAreNamed() throws {
        let pki = try AuditTestPKI()
        var reordered = entries
        reordered.swapAt(2, 5)
        let report = LogExport.verify(export(reordered), signedTreeHead: try signedHead(pki, over: entries), root: pki.root)
        #expect(report.failed.map(\.name) == ["root-hash"])
    }

    @Test func forkedTreeHeadIsNamed() throws {
        // The connector signed a head over another history of the same size: validly signed, but not this log.
        let pki = try AuditTestPKI()
        var fork = entries
        fork[0] = Array("{\"at\":1000,\"kind\":\"negotiation.step\",\"n\":-1}".utf8)
        let report = LogExport.verify(export(entries), signedTreeHead: try signedHead(pki, over: fork), root: pki.root)
        #expect(report.failure("tree-head-signature") == nil)
        #expect(report.failed.map(\.name) == ["root-hash"])
    }

    @Test func treeHeadOfAStrangerOrBrokenIsNamed() throws {
        let pki = try AuditTestPKI()
        let stranger = try AuditTestPKI()
        let report = LogExport.verify(export(entries), signedTreeHead: try signedHead(stranger, over: entries), root: pki.root)
        #expect(report.failed.map(\.name) == ["tree-head-signer"])
        let broken = LogExport.verify(export(entries), signedTreeHead: "garbage", root: pki.root)
        #expect(broken.failed.map(\.name) == ["tree-head-signature"])
    }
}
