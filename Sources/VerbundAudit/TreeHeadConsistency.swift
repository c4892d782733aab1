/// How a newer signed tree head of one log relates to an older one (RFC 9162 §2.1.4: a log that only appended can
/// prove that the older tree is a prefix of the newer). A peer's STHs are checked with this every time one arrives.
package enum TreeHeadConsistency: Sendable, Equatable, CustomStringConvertible {
    /// The new head extends (or equals) the old one.
    case consistent
    /// The new head is smaller than the old one and the proof shows it is an earlier state of the same log.
    case older
    /// Two heads of the same size with different roots: the log was forked or rewritten.
    case fork
    /// The consistency proof does not connect the two roots: entries were changed, removed or reordered.
    case inconsistent
    /// A proof is needed (sizes differ) but none was given.
    case proofNeeded(from: Int, to: Int)

    package var description: String {
        switch self {
        case .consistent: "consistent"
        case .older: "an older head of the same log"
        case .fork: "fork: two signed heads of the same size with different root hashes"
        case .inconsistent: "inconsistent: the consistency proof does not connect the two root hashes"
        case .proofNeeded(let from, let to): "a consistency proof from size \(from) to \(to) is needed"
        }
    }

    /// Compares `new` with `old`. `proof` must run from the smaller size to the larger one.
    package static func check(old: TreeHead, new: TreeHead, proof: ConsistencyProof?) -> TreeHeadConsistency {
        if old.treeSize == new.treeSize { return old.rootHash == new.rootHash ? .consistent : .fork }
        let (small, large) = old.treeSize < new.treeSize ? (old, new) : (new, old)
        guard let proof else { return .proofNeeded(from: small.treeSize, to: large.treeSize) }
        guard proof.firstSize == small.treeSize, proof.secondSize == large.treeSize,
              proof.verify(firstRootHash: small.rootHash, secondRootHash: large.rootHash) else { return .inconsistent }
        return old.treeSize < new.treeSize ? .consistent : .older
    }
}
