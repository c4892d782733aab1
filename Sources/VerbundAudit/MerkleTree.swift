import VerbundTrust

/// The Merkle Tree Hash of RFC 9162 §2.1 over SHA-256, as pure functions.
///
/// Leaves are `SHA-256(0x00 ‖ entry)`, inner nodes `SHA-256(0x01 ‖ left ‖ right)` (§2.1.1), and a
/// tree of n > 1 leaves splits at k, the largest power of two smaller than n. Proof generation is
/// written against a `subtreeHash` function so that the in-memory functions here and the
/// storage-backed `MerkleLog` share one implementation of §2.1.3.1 and §2.1.4.1.
package enum MerkleTree {
    /// Size of every hash in bytes.
    package static let hashSize = SHA256.byteCount

    /// MTH({}) = SHA-256 of the empty string (§2.1.1).
    package static let emptyRootHash: [UInt8] = SHA256.hash([UInt8]())

    /// MTH({d(0)}) = SHA-256(0x00 ‖ d(0)).
    package static func leafHash<Entry: Collection>(_ entry: Entry) -> [UInt8] where Entry.Element == UInt8 {
        var hasher = SHA256Stream()
        hasher.update(CollectionOfOne(MerkleHashPrefix.leaf))
        hasher.update(entry)
        return hasher.finalize()
    }

    /// SHA-256(0x01 ‖ left ‖ right).
    package static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256Stream()
        hasher.update(CollectionOfOne(MerkleHashPrefix.node))
        hasher.update(left)
        hasher.update(right)
        return hasher.finalize()
    }

    /// The root of a tree whose leaves are `entries`.
    package static func rootHash(of entries: [[UInt8]]) -> [UInt8] {
        rootHash(ofLeafHashes: entries.map { leafHash($0) })
    }

    /// The root of a tree given its leaf hashes; any count, including 0.
    package static func rootHash(ofLeafHashes leaves: [[UInt8]]) -> [UInt8] {
        subtreeHash(leaves[...])
    }

    /// Inclusion proof (audit path) of leaf `index` in the tree of the first `treeSize` leaves (§2.1.3.1).
    package static func inclusionProof(index: Int, treeSize: Int, leafHashes: [[UInt8]]) throws(MerkleError)
        -> InclusionProof {
        guard treeSize >= 0, treeSize <= leafHashes.count else {
            throw .treeSizeOutOfRange(requested: treeSize, available: leafHashes.count)
        }
        guard index >= 0, index < treeSize else { throw .indexOutOfRange(index: index, treeSize: treeSize) }
        let path = inclusionPath(index: index, treeSize: treeSize) { range in subtreeHash(leafHashes[range]) }
        return InclusionProof(leafIndex: index, treeSize: treeSize, path: path)
    }

    /// Consistency proof between the trees of the first `first` and `second` leaves (§2.1.4.1).
    package static func consistencyProof(from first: Int, to second: Int, leafHashes: [[UInt8]]) throws(MerkleError)
        -> ConsistencyProof {
        guard second >= 0, second <= leafHashes.count else {
            throw .treeSizeOutOfRange(requested: second, available: leafHashes.count)
        }
        guard first >= 0, first <= second else { throw .invalidSizes(first: first, second: second) }
        let path = consistencyPath(first: first, second: second) { range in subtreeHash(leafHashes[range]) }
        return ConsistencyProof(firstSize: first, secondSize: second, path: path)
    }

    // MARK: Shared algorithms

    /// MTH over a slice of leaf hashes, recursively as §2.1.1 defines it.
    static func subtreeHash(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        switch leaves.count {
        case 0: return emptyRootHash
        case 1: return leaves[leaves.startIndex]
        default:
            let split = leaves.startIndex + largestPowerOfTwo(below: leaves.count)
            return nodeHash(subtreeHash(leaves[..<split]), subtreeHash(leaves[split...]))
        }
    }

    /// k of §2.1.1: the largest power of two smaller than `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        precondition(n >= 2, "a split needs at least two leaves")
        return 1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }

    /// §2.1.3.1 PATH(index, D[treeSize]) with MTH supplied by `subtreeHash` (a range of leaf
    /// indices → its MTH). The caller has checked 0 ≤ index < treeSize.
    static func inclusionPath<E: Error>(index: Int, treeSize: Int,
                                        subtreeHash: (Range<Int>) throws(E) -> [UInt8]) throws(E) -> [[UInt8]] {
        var path: [[UInt8]] = []
        try appendPath(index, 0..<treeSize, &path, subtreeHash)
        return path
    }

    /// Hashes are appended leaf-side first, as the RFC orders them.
    private static func appendPath<E: Error>(_ m: Int, _ range: Range<Int>, _ path: inout [[UInt8]],
                                             _ subtreeHash: (Range<Int>) throws(E) -> [UInt8]) throws(E) {
        guard range.count > 1 else { return }  // PATH(0, {d(0)}) = {}
        let k = largestPowerOfTwo(below: range.count)
        let split = range.lowerBound + k
        if m < k {
            try appendPath(m, range.lowerBound..<split, &path, subtreeHash)
            path.append(try subtreeHash(split..<range.upperBound))
        } else {
            try appendPath(m - k, split..<range.upperBound, &path, subtreeHash)
            path.append(try subtreeHash(range.lowerBound..<split))
        }
    }

    /// §2.1.4.1 PROOF(first, D[second]) = SUBPROOF(first, D[second], true); empty for first = 0 and
    /// first = second. The caller has checked 0 ≤ first ≤ second.
    static func consistencyPath<E: Error>(first: Int, second: Int,
                                          subtreeHash: (Range<Int>) throws(E) -> [UInt8]) throws(E) -> [[UInt8]] {
        var path: [[UInt8]] = []
        if first > 0 && first < second {
            try appendSubproof(first, 0..<second, true, &path, subtreeHash)
        }
        return path
    }

    private static func appendSubproof<E: Error>(_ m: Int, _ range: Range<Int>, _ complete: Bool,
                                                 _ path: inout [[UInt8]],
                                                 _ subtreeHash: (Range<Int>) throws(E) -> [UInt8]) throws(E) {
        let n = range.count
        if m == n {
            // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}
            if !complete { path.append(try subtreeHash(range)) }
            return
        }
        let k = largestPowerOfTwo(below: n)
        let split = range.lowerBound + k
        if m <= k {
            try appendSubproof(m, range.lowerBound..<split, complete, &path, subtreeHash)
            path.append(try subtreeHash(split..<range.upperBound))
        } else {
            try appendSubproof(m - k, split..<range.upperBound, false, &path, subtreeHash)
            path.append(try subtreeHash(range.lowerBound..<split))
        }
    }
}
