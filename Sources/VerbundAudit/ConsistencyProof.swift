/// Proof that the tree of `firstSize` leaves is a prefix of the tree of `secondSize` leaves
/// (RFC 9162 §2.1.4): the log only appended between two tree heads.
package struct ConsistencyProof: Sendable, Hashable {
    package let firstSize: Int
    package let secondSize: Int
    package let path: [[UInt8]]

    package init(firstSize: Int, secondSize: Int, path: [[UInt8]]) {
        self.firstSize = firstSize
        self.secondSize = secondSize
        self.path = path
    }

    /// True if the proof shows that `firstRootHash` (size `firstSize`) is a prefix of
    /// `secondRootHash` (size `secondSize`).
    package func verify(firstRootHash: [UInt8], secondRootHash: [UInt8]) -> Bool {
        MerkleTree.verifyConsistency(firstSize: firstSize, secondSize: secondSize, path: path,
                                     firstRootHash: firstRootHash, secondRootHash: secondRootHash)
    }
}

extension MerkleTree {
    /// RFC 9162 §2.1.4.2, plus the two cases the RFC leaves to the caller: equal sizes (empty
    /// proof, equal roots) and an empty first tree (empty proof, first root = MTH({})), which every
    /// tree extends.
    package static func verifyConsistency(firstSize: Int, secondSize: Int, path: [[UInt8]], firstRootHash: [UInt8],
                                         secondRootHash: [UInt8]) -> Bool {
        guard firstSize >= 0, firstSize <= secondSize, firstRootHash.count == hashSize,
              secondRootHash.count == hashSize, path.allSatisfy({ $0.count == hashSize }) else { return false }
        if firstSize == secondSize { return path.isEmpty && firstRootHash == secondRootHash }
        if firstSize == 0 { return path.isEmpty && firstRootHash == emptyRootHash }
        // Step 1.
        guard !path.isEmpty else { return false }
        // Step 2: a complete first tree is itself a node of the second; the proof omits it.
        var hashes = path
        if firstSize & (firstSize - 1) == 0 { hashes.insert(firstRootHash, at: 0) }
        // Steps 3–4.
        var fn = firstSize - 1
        var sn = secondSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // Step 5.
        var fr = hashes[0]
        var sr = hashes[0]
        // Step 6.
        for c in hashes.dropFirst() {
            if sn == 0 { return false }  // 6a
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)  // 6b: c is a left sibling of both paths
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)  // c lies right of the first tree: only the second root covers it
            }
            fn >>= 1  // 6c
            sn >>= 1
        }
        // Step 7.
        return fr == firstRootHash && sr == secondRootHash && sn == 0
    }
}
