/// Proof that one leaf is in a tree of a given size (RFC 9162 §2.1.3).
package struct InclusionProof: Sendable, Hashable {
    package let leafIndex: Int
    package let treeSize: Int
    /// Sibling hashes from the leaf up to the root.
    package let path: [[UInt8]]

    package init(leafIndex: Int, treeSize: Int, path: [[UInt8]]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.path = path
    }

    /// True if the proof leads from `leafHash` to `rootHash`.
    package func verify(leafHash: [UInt8], rootHash: [UInt8]) -> Bool {
        MerkleTree.verifyInclusion(leafHash: leafHash, index: leafIndex, treeSize: treeSize, path: path,
                                   rootHash: rootHash)
    }
}

extension MerkleTree {
    /// RFC 9162 §2.1.3.2: recomputes the root from the leaf hash and the path, walking up from the
    /// leaf; `fn` is the node's index and `sn` the last index at the current level.
    package static func verifyInclusion(leafHash: [UInt8], index: Int, treeSize: Int, path: [[UInt8]],
                                       rootHash: [UInt8]) -> Bool {
        // Step 1: the index must lie inside the tree.
        guard index >= 0, index < treeSize, leafHash.count == hashSize, rootHash.count == hashSize,
              path.allSatisfy({ $0.count == hashSize }) else { return false }
        // Steps 2–3.
        var fn = index
        var sn = treeSize - 1
        var r = leafHash
        // Step 4.
        for p in path {
            if sn == 0 { return false }  // 4a: the path is longer than the tree is high
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)  // 4b: p is a left sibling
                if fn & 1 == 0 {
                    // A rightmost node without sibling at this level is promoted: skip those levels.
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)  // p is a right sibling
            }
            fn >>= 1  // 4c
            sn >>= 1
        }
        // Step 5: the whole path was used and it led to the root.
        return sn == 0 && r == rootHash
    }
}
