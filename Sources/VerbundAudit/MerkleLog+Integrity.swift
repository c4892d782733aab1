import VerbundStore

extension MerkleLog {
    /// Re-derives the whole stored tree: every leaf hash from its entry bytes (which must be
    /// canonical JSON), leaf indices without gaps, and every stored inner node from its children.
    /// Returns the problems found (at most `limit`), empty when the store is intact. O(n).
    ///
    /// The append-only triggers stop accidental edits; this finds deliberate ones made with the
    /// triggers dropped, before the daemon signs a tree head over a damaged log.
    package func integrityProblems(limit: Int = 100, in tx: Transaction) throws -> [String] {
        var problems: [String] = []
        func report(_ problem: String) { if problems.count < limit { problems.append(problem) } }

        // Inner nodes the leaves imply, computed as `append` would have written them.
        var expected: [NodeKey: [UInt8]] = [:]
        var waitingLeft: [[UInt8]] = []  // waitingLeft[level]: left child whose sibling has not come yet
        var nextIndex = 0
        let leaves = try tx.prepare("SELECT leaf_index, entry, leaf_hash FROM audit_log_leaf ORDER BY leaf_index")
        try leaves.bind([])
        while try leaves.step() {
            let index = Int(leaves.value(at: 0).integerValue ?? -1)
            guard case .blob(let entry) = leaves.value(at: 1), case .blob(let stored) = leaves.value(at: 2) else {
                report("leaf \(index) has a non-blob entry or hash")
                continue
            }
            if index != nextIndex { report("leaf index \(index) follows \(nextIndex - 1): entries are missing") }
            nextIndex = index + 1
            var hash = MerkleTree.leafHash(entry)
            if hash != stored { report("leaf \(index): stored hash does not match its entry") }
            if !CanonicalJSON.isCanonical(entry) { report("leaf \(index): entry is not canonical JSON") }
            var level = 0
            var position = index
            while position & 1 == 1, level < waitingLeft.count {
                hash = MerkleTree.nodeHash(waitingLeft[level], hash)
                level += 1
                position >>= 1
                expected[NodeKey(level: level, index: position)] = hash
            }
            if level < waitingLeft.count { waitingLeft[level] = hash } else { waitingLeft.append(hash) }
        }

        let nodes = try tx.prepare("SELECT level, node_index, hash FROM audit_log_node ORDER BY level, node_index")
        try nodes.bind([])
        while try nodes.step() {
            let key = NodeKey(level: Int(nodes.value(at: 0).integerValue ?? -1),
                              index: Int(nodes.value(at: 1).integerValue ?? -1))
            guard let want = expected.removeValue(forKey: key) else {
                report("node \(key.index) at level \(key.level) should not exist")
                continue
            }
            if nodes.value(at: 2) != .blob(want) {
                report("node \(key.index) at level \(key.level) does not match its children")
            }
        }
        for key in expected.keys.sorted(by: { ($0.level, $0.index) < ($1.level, $1.index) }) {
            report("node \(key.index) at level \(key.level) is missing")
        }
        return problems
    }

    /// `integrityProblems(limit:in:)` in its own read transaction.
    package func integrityProblems(limit: Int = 100) throws -> [String] {
        try database.read { tx in try integrityProblems(limit: limit, in: tx) }
    }
}

private struct NodeKey: Hashable {
    let level: Int
    let index: Int
}
