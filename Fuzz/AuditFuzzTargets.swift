// Fuzz targets `registry`, `merkle` and `evidence`: the signed member registry, RFC 9162 proofs, and evidence
// bundles as `verbund audit verify` reads them.
import Foundation
@testable import VerbundAudit
@testable import VerbundConnector
@testable import VerbundFederation
@testable import VerbundTrust

/// `registry`: the bytes as a compact JWS verified under the demo root, and as a registry payload, which must
/// survive canonical encode → decode unchanged.
func fuzzRegistry(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? SignedRegistry(compact: text, root: demoRoot, crl: nil, expectedFederation: nil,
                            at: Date(timeIntervalSince1970: 1_800_000_000))
    guard let registry = try? RegistryJSON.decode(MemberRegistry.self, from: bytes) else { return }
    guard let encoded = try? registry.canonicalJSON(), let again = try? RegistryJSON.decode(MemberRegistry.self, from: encoded) else {
        fatalError("a decoded registry does not survive encode → decode")
    }
    require(again == registry, "registry changed by encode → decode")
    for member in registry.members {
        _ = registry.member(participantId: member.participantId)
    }
}

/// `merkle`: a tree of up to 32 leaves cut from the input: every inclusion and consistency proof the tree makes
/// verifies, and proofs with hostile sizes, indexes and paths (from the same bytes) are refused without trapping.
func fuzzMerkleProofs(_ bytes: [UInt8]) {
    guard bytes.count >= 2 else { return }
    let count = Int(bytes[0] % 32) + 1
    let rest = Array(bytes.dropFirst())
    let leaves = (0..<count).map { index in Array(rest.dropFirst(index * rest.count / count).prefix(max(rest.count / count, 1))) }
    let leafHashes = leaves.map(MerkleTree.leafHash)
    let root = MerkleTree.rootHash(ofLeafHashes: leafHashes)
    require(root == MerkleTree.rootHash(of: leaves), "root over leaves and over leaf hashes differ")
    let index = Int(bytes[1]) % count
    guard let inclusion = try? MerkleTree.inclusionProof(index: index, treeSize: count, leafHashes: leafHashes) else {
        fatalError("no inclusion proof for leaf \(index) of \(count)")
    }
    require(InclusionProof(leafIndex: index, treeSize: count, path: inclusion.path).verify(leafHash: leafHashes[index], rootHash: root),
            "a correct inclusion proof does not verify")
    let first = Int(bytes[1] >> 3) % count + 1
    guard let consistency = try? MerkleTree.consistencyProof(from: first, to: count, leafHashes: leafHashes) else {
        fatalError("no consistency proof from \(first) to \(count)")
    }
    let firstRoot = MerkleTree.rootHash(ofLeafHashes: Array(leafHashes.prefix(first)))
    require(ConsistencyProof(firstSize: first, secondSize: count, path: consistency.path).verify(firstRootHash: firstRoot, secondRootHash: root),
            "a correct consistency proof does not verify")

    // Hostile proofs: sizes and indexes from any 8 bytes (negative and huge included), paths of any length.
    func integer(_ offset: Int) -> Int {
        rest.dropFirst(offset).prefix(8).reduce(0) { $0 << 8 | Int($1) }
    }
    let path = stride(from: 0, to: rest.count, by: 32).map { Array(rest[$0..<min($0 + 32, rest.count)]) }
    let forgedInclusion = InclusionProof(leafIndex: integer(0), treeSize: integer(8), path: path)
    if forgedInclusion.verify(leafHash: leafHashes[0], rootHash: root) {
        require(forgedInclusion.treeSize == count, "an inclusion proof for another tree size verified")
    }
    _ = ConsistencyProof(firstSize: integer(4), secondSize: integer(12), path: path).verify(firstRootHash: firstRoot, secondRootHash: root)
    _ = MerkleTree.verifyInclusion(leafHash: leafHashes[0], index: integer(2), treeSize: integer(10), path: path, rootHash: root)
}

/// The root of the federation that signed the evidence seed (Fuzz/corpus/evidence), made by the test fixtures.
let evidenceRoot: Certificate = {
    let pem = String(decoding: FuzzTarget.repositoryFile("Fuzz/evidence-root.pem"), as: UTF8.self)
    guard let root = try? Certificate(pem: pem) else { fatalError("Fuzz/evidence-root.pem does not parse") }
    return root
}()

/// `evidence`: every check runs on any bytes without trapping; a bundle that parses re-encodes to one that parses
/// equal, and re-encoding a canonical bundle gives its bytes back.
func fuzzEvidenceBundle(_ bytes: [UInt8]) {
    let verification = EvidenceVerifier.verify(bytes, root: evidenceRoot)
    require(!verification.report.checks.isEmpty, "a verification without any check")
    _ = verification.summary?.text
    guard let bundle = try? EvidenceBundle(bytes: bytes) else { return }
    guard let encoded = try? bundle.encoded(), let again = try? EvidenceBundle(bytes: encoded) else {
        fatalError("a parsed evidence bundle does not survive encode → parse")
    }
    require(again == bundle, "evidence bundle changed by encode → parse")
    require(encoded == bytes || encoded == bytes + [0x0a], "a canonical bundle re-encodes to other bytes")
}
