/// Why a Merkle tree operation could not be carried out.
package enum MerkleError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A leaf index at or beyond the tree size.
    case indexOutOfRange(index: Int, treeSize: Int)
    /// A tree size larger than the log (or negative).
    case treeSizeOutOfRange(requested: Int, available: Int)
    /// A consistency proof was asked from a larger to a smaller tree.
    case invalidSizes(first: Int, second: Int)
    /// The store lacks a node the log must have written: the database was edited or damaged.
    case missingNode(level: Int, index: Int)
    /// A stored entry or hash does not have the expected form.
    case corruptStore(String)

    package var description: String {
        switch self {
        case .indexOutOfRange(let index, let treeSize):
            "leaf index \(index) is outside a tree of size \(treeSize)"
        case .treeSizeOutOfRange(let requested, let available):
            "tree size \(requested) is not available; the log holds \(available) entries"
        case .invalidSizes(let first, let second):
            "no consistency proof from tree size \(first) to the smaller size \(second)"
        case .missingNode(let level, let index):
            "the log store has no hash for node \(index) at level \(level); the database was altered or damaged"
        case .corruptStore(let reason):
            "the log store is damaged: \(reason)"
        }
    }
}
