import Foundation
import VerbundStore

/// The connector's tamper-evident log, stored in the state database (tables `audit_log_leaf` and
/// `audit_log_node` of `StoreSchema`).
///
/// Entries are canonical JSON appended inside the caller's transaction, so a state change and the
/// entry recording it commit together or not at all. Next to every leaf hash the log keeps each
/// complete inner node (the hash of an aligned block of 2^level leaves) as soon as the block fills:
/// an append writes one leaf and, amortised, one node; the root of any size and any proof then
/// needs O(log n) reads, because every range RFC 9162's recursion visits splits into O(log n)
/// complete blocks.
package struct MerkleLog: Sendable {
    package let database: Database

    package init(database: Database) {
        self.database = database
    }

    // MARK: Inside the caller's transaction

    /// Appends `entry` and returns it as stored. Visible to others when `tx` commits.
    @discardableResult
    package func append(_ entry: JSONValue, in tx: Transaction) throws -> LogEntry {
        let bytes = try CanonicalJSON.encode(entry)
        let index = try size(in: tx)
        let leaf = MerkleTree.leafHash(bytes)
        try tx.execute("INSERT INTO audit_log_leaf (leaf_index, entry, leaf_hash) VALUES (?, ?, ?)",
                       [.integer(Int64(index)), .blob(bytes), .blob(leaf)])
        // Walk up while this node is a right child: each step completes its parent block.
        var hash = leaf
        var level = 0
        var position = index
        while position & 1 == 1 {
            hash = MerkleTree.nodeHash(try node(level: level, index: position - 1, in: tx), hash)
            level += 1
            position >>= 1
            try tx.execute("INSERT INTO audit_log_node (level, node_index, hash) VALUES (?, ?, ?)",
                           [.integer(Int64(level)), .integer(Int64(position)), .blob(hash)])
        }
        return LogEntry(index: index, canonicalJSON: bytes, leafHash: leaf)
    }

    /// Number of entries.
    package func size(in tx: Transaction) throws -> Int {
        try tx.queryFirst("SELECT COALESCE(MAX(leaf_index) + 1, 0) AS size FROM audit_log_leaf")?.int("size") ?? 0
    }

    /// MTH of the first `treeSize` entries.
    package func rootHash(treeSize: Int, in tx: Transaction) throws -> [UInt8] {
        try checkSize(treeSize, in: tx)
        return try subtreeHash(0..<treeSize, in: tx)
    }

    /// The head of the whole log now, stamped with `timestamp` (passed in, not read from a clock).
    package func treeHead(timestamp: Date, in tx: Transaction) throws -> TreeHead {
        let size = try size(in: tx)
        return try TreeHead(treeSize: size, rootHash: try subtreeHash(0..<size, in: tx), timestamp: timestamp)
    }

    package func inclusionProof(index: Int, treeSize: Int, in tx: Transaction) throws -> InclusionProof {
        try checkSize(treeSize, in: tx)
        guard index >= 0, index < treeSize else { throw MerkleError.indexOutOfRange(index: index, treeSize: treeSize) }
        let path = try MerkleTree.inclusionPath(index: index, treeSize: treeSize) { range throws in
            try subtreeHash(range, in: tx)
        }
        return InclusionProof(leafIndex: index, treeSize: treeSize, path: path)
    }

    package func consistencyProof(from first: Int, to second: Int, in tx: Transaction) throws -> ConsistencyProof {
        try checkSize(second, in: tx)
        guard first >= 0, first <= second else { throw MerkleError.invalidSizes(first: first, second: second) }
        let path = try MerkleTree.consistencyPath(first: first, second: second) { range throws in
            try subtreeHash(range, in: tx)
        }
        return ConsistencyProof(firstSize: first, secondSize: second, path: path)
    }

    package func entry(at index: Int, in tx: Transaction) throws -> LogEntry {
        guard let row = try tx.queryFirst("SELECT entry, leaf_hash FROM audit_log_leaf WHERE leaf_index = ?",
                                          [.integer(Int64(index))]) else {
            throw MerkleError.indexOutOfRange(index: index, treeSize: try size(in: tx))
        }
        return LogEntry(index: index, canonicalJSON: try row.blob("entry"), leafHash: try row.blob("leaf_hash"))
    }

    /// Entries with indices in `range` (clipped to the log), in order.
    package func entries(_ range: Range<Int>, in tx: Transaction) throws -> [LogEntry] {
        try tx.query("""
            SELECT leaf_index, entry, leaf_hash FROM audit_log_leaf
            WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index
            """, [.integer(Int64(range.lowerBound)), .integer(Int64(range.upperBound))]).map { row in
            LogEntry(index: try row.int("leaf_index"), canonicalJSON: try row.blob("entry"),
                     leafHash: try row.blob("leaf_hash"))
        }
    }

    // MARK: Convenience: each call in its own read transaction

    package func size() throws -> Int { try database.read { tx in try size(in: tx) } }

    package func rootHash(treeSize: Int) throws -> [UInt8] {
        try database.read { tx in try rootHash(treeSize: treeSize, in: tx) }
    }

    package func treeHead(timestamp: Date) throws -> TreeHead {
        try database.read { tx in try treeHead(timestamp: timestamp, in: tx) }
    }

    package func inclusionProof(index: Int, treeSize: Int) throws -> InclusionProof {
        try database.read { tx in try inclusionProof(index: index, treeSize: treeSize, in: tx) }
    }

    package func consistencyProof(from first: Int, to second: Int) throws -> ConsistencyProof {
        try database.read { tx in try consistencyProof(from: first, to: second, in: tx) }
    }

    package func entry(at index: Int) throws -> LogEntry {
        try database.read { tx in try entry(at: index, in: tx) }
    }

    // MARK: Storage-backed MTH

    private func checkSize(_ treeSize: Int, in tx: Transaction) throws {
        let available = try size(in: tx)
        guard treeSize >= 0, treeSize <= available else {
            throw MerkleError.treeSizeOutOfRange(requested: treeSize, available: available)
        }
    }

    /// MTH(D[range]) following §2.1.1's split; aligned blocks of 2^level leaves come from the store.
    func subtreeHash(_ range: Range<Int>, in tx: Transaction) throws -> [UInt8] {
        let count = range.count
        if count == 0 { return MerkleTree.emptyRootHash }
        if count & (count - 1) == 0 && range.lowerBound % count == 0 {
            return try node(level: count.trailingZeroBitCount, index: range.lowerBound / count, in: tx)
        }
        let split = range.lowerBound + MerkleTree.largestPowerOfTwo(below: count)
        return MerkleTree.nodeHash(try subtreeHash(range.lowerBound..<split, in: tx),
                                   try subtreeHash(split..<range.upperBound, in: tx))
    }

    /// The stored hash of the complete block `index` at `level` (level 0 = a leaf).
    private func node(level: Int, index: Int, in tx: Transaction) throws -> [UInt8] {
        let row = level == 0
            ? try tx.queryFirst("SELECT leaf_hash AS hash FROM audit_log_leaf WHERE leaf_index = ?",
                                [.integer(Int64(index))])
            : try tx.queryFirst("SELECT hash FROM audit_log_node WHERE level = ? AND node_index = ?",
                                [.integer(Int64(level)), .integer(Int64(index))])
        guard let row else { throw MerkleError.missingNode(level: level, index: index) }
        let hash = try row.blob("hash")
        guard hash.count == MerkleTree.hashSize else {
            throw MerkleError.corruptStore("node \(index) at level \(level) has a \(hash.count)-byte hash")
        }
        return hash
    }
}
