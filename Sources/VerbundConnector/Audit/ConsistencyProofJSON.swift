import VerbundAudit
import VerbundTrust

/// The body of `GET <endpoint>/audit/consistency`: `{"firstSize":N,"path":["<hex>",…],"secondSize":M}`, canonical
/// JSON, hashes as lowercase hex in the order of RFC 9162 §2.1.4.1.
enum ConsistencyProofJSON {
    static func encode(_ proof: ConsistencyProof) throws -> [UInt8] {
        try CanonicalJSON.encode([
            "firstSize": .integer(Int64(proof.firstSize)), "secondSize": .integer(Int64(proof.secondSize)),
            "path": .array(proof.path.map { .string(Hex.encode($0)) }),
        ])
    }

    static func decode(_ bytes: [UInt8]) throws -> ConsistencyProof {
        let value = try CanonicalJSON.decode(bytes)
        guard let first = value["firstSize"]?.integerValue, let second = value["secondSize"]?.integerValue,
              let path = value["path"]?.arrayValue else {
            throw PeerProofError("the consistency proof is not {firstSize, secondSize, path}")
        }
        let hashes = try path.map { item -> [UInt8] in
            guard let text = item.stringValue, let hash = Hex.decode(text), hash.count == MerkleTree.hashSize else {
                throw PeerProofError("a consistency proof hash is not 64 hex digits")
            }
            return hash
        }
        return ConsistencyProof(firstSize: Int(first), secondSize: Int(second), path: hashes)
    }
}
