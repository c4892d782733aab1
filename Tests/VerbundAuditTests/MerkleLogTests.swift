import Foundation
import Testing
import VerbundStore
@testable import VerbundAudit

@Suite struct MerkleLogTests {
    private func openLog(_ dir: TemporaryDirectory) throws -> (Database, MerkleLog) {
        let db = try Database.openStore(path: dir.path("state.sqlite"))
        return (db, MerkleLog(database: db))
    }

    static func logEntry(_ index: Int) -> JSONValue {
        ["event": "transfer.completed", "seq": .integer(Int64(index)), "bytes": .integer(Int64(index * 1024)),
         "agreement": .string("urn:uuid:\(index)"), "ok": .bool(index % 3 != 0)]
    }

    private func append(_ log: MerkleLog, _ db: Database, _ range: Range<Int>, chunk: Int = 1000) throws {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + chunk, range.upperBound)
            try db.transaction { tx in
                for index in start..<end { try log.append(Self.logEntry(index), in: tx) }
            }
            start = end
        }
    }

    @Test func tenThousandEntriesGiveVerifiableProofs() throws {
        let dir = try TemporaryDirectory()
        let (db, log) = try openLog(dir)
        let total = 10_000
        // Speed is measured by `verbund-bench audit`, not asserted here; appendStoresOnlyCompleteNodes
        // checks the structural reason appends stay cheap.
        try append(log, db, 0..<total)
        #expect(try log.size() == total)

        // Independent check: the in-memory tree over the same canonical bytes.
        let leaves = try (0..<total).map { MerkleTree.leafHash(try CanonicalJSON.encode(Self.logEntry($0))) }
        let sizes = [0, 1, 2, 3, 7, 8, 9, 1000, 1023, 1024, 1025, 4097, 9999, total]
        var roots: [Int: [UInt8]] = [:]
        for size in sizes {
            let root = try log.rootHash(treeSize: size)
            #expect(root == MerkleTree.rootHash(ofLeafHashes: Array(leaves.prefix(size))), "size \(size)")
            roots[size] = root
        }

        do {
            for size in sizes where size > 0 {
                for index in stride(from: 0, to: size, by: max(1, size / 37)) + [size - 1] {
                    let proof = try log.inclusionProof(index: index, treeSize: size)
                    #expect(proof.verify(leafHash: leaves[index], rootHash: roots[size]!), "\(index) in \(size)")
                    #expect(proof == (try MerkleTree.inclusionProof(index: index, treeSize: size, leafHashes: leaves)))
                }
            }
            for first in sizes {
                for second in sizes where second >= first {
                    let proof = try log.consistencyProof(from: first, to: second)
                    #expect(proof.verify(firstRootHash: roots[first]!, secondRootHash: roots[second]!),
                            "\(first) → \(second)")
                }
            }
        }
    }

    @Test func appendStoresOnlyCompleteNodes() throws {
        let dir = try TemporaryDirectory()
        let (db, log) = try openLog(dir)
        for size in 1...70 {
            try db.transaction { tx in try log.append(Self.logEntry(size), in: tx) }
            let nodes = try db.read { tx in try tx.queryFirst("SELECT count(*) AS n FROM audit_log_node")?.int("n") }
            // A tree of n leaves has n − popcount(n) complete inner nodes: each append adds O(1) amortised.
            #expect(nodes == size - size.nonzeroBitCount)
        }
    }

    @Test func entriesRoundTripAndAreCanonical() throws {
        let dir = try TemporaryDirectory()
        let (db, log) = try openLog(dir)
        let entry: JSONValue = ["z": 1, "a": ["x", nil, true], "ümlaut": "Grüße\n"]
        let stored = try db.transaction { tx in try log.append(entry, in: tx) }
        #expect(stored.index == 0)
        #expect(String(decoding: stored.canonicalJSON, as: UTF8.self) == #"{"a":["x",null,true],"z":1,"ümlaut":"Grüße\n"}"#)
        let read = try log.entry(at: 0)
        #expect(read == stored)
        #expect(try read.value() == entry)
        #expect(read.leafHash == MerkleTree.leafHash(read.canonicalJSON))
    }

    @Test func entryCommitsOrVanishesWithTheStateChange() throws {
        struct Refused: Error {}
        let dir = try TemporaryDirectory()
        let (db, log) = try openLog(dir)
        try append(log, db, 0..<3)
        let before = try log.rootHash(treeSize: 3)
        #expect(throws: Refused.self) {
            try db.transaction { tx in
                try log.append(["event": "agreement.signed"], in: tx)
                try log.append(["event": "agreement.countersigned"], in: tx)
                throw Refused()
            }
        }
        #expect(try log.size() == 3)
        #expect(try log.rootHash(treeSize: 3) == before)
        let next = try db.transaction { tx in try log.append(Self.logEntry(3), in: tx) }
        #expect(next.index == 3)
    }

    @Test func unencodableEntryIsRefused() throws {
        let dir = try TemporaryDirectory()
        let (db, log) = try openLog(dir)
        #expect(throws: CanonicalJSONError.integerOutOfRange(.max)) {
            try db.transaction { tx in try log.append(["n": .integer(.max)], in: tx) }
        }
        #expect(try log.size() == 0)
    }

    @Test func outOfRangeRequestsAreRefused() throws {
        let dir = try TemporaryDirectory()
        let (db, log) = try openLog(dir)
        try append(log, db, 0..<5)
        #expect(throws: MerkleError.treeSizeOutOfRange(requested: 6, available: 5)) { try log.rootHash(treeSize: 6) }
        #expect(throws: MerkleError.treeSizeOutOfRange(requested: -1, available: 5)) { try log.rootHash(treeSize: -1) }
        #expect(throws: MerkleError.indexOutOfRange(index: 3, treeSize: 3)) {
            try log.inclusionProof(index: 3, treeSize: 3)
        }
        #expect(throws: MerkleError.invalidSizes(first: 4, second: 2)) { try log.consistencyProof(from: 4, to: 2) }
        #expect(throws: MerkleError.treeSizeOutOfRange(requested: 9, available: 5)) {
            try log.consistencyProof(from: 1, to: 9)
        }
        #expect(throws: MerkleError.indexOutOfRange(index: 5, treeSize: 5)) { try log.entry(at: 5) }
        #expect(try log.rootHash(treeSize: 0) == MerkleTree.emptyRootHash)
    }

    @Test func storedLogIsAppendOnly() throws {
        let dir = try TemporaryDirectory()
        let (db, log) = try openLog(dir)
        try append(log, db, 0..<4)
        for sql in ["UPDATE audit_log_leaf SET entry = x'00' WHERE leaf_index = 1",
                    "DELETE FROM audit_log_leaf WHERE leaf_index = 3",
                    "UPDATE audit_log_node SET hash = zeroblob(32)",
                    "DELETE FROM audit_log_node"] {
            let error = #expect(throws: SQLiteError.self) { try db.transaction { tx in try tx.execute(sql) } }
            #expect(error?.isConstraintViolation == true)
            #expect(error?.message.contains("append-only") == true)
        }
    }

    @Test func treeHeadDescribesTheLog() throws {
        let dir = try TemporaryDirectory()
        let (db, log) = try openLog(dir)
        try append(log, db, 0..<11)
        let time = Date(timeIntervalSince1970: 1_800_000_000.123)
        let head = try log.treeHead(timestamp: time)
        #expect(head.treeSize == 11)
        #expect(head.rootHash == (try log.rootHash(treeSize: 11)))
        #expect(head.timestampMilliseconds == 1_800_000_000_123)
        #expect(try TreeHead(signingInput: head.signingInput) == head)
    }
}

@Suite struct MerkleLogIntegrityTests {
    @Test func intactLogHasNoProblems() throws {
        let dir = try TemporaryDirectory()
        let db = try Database.openStore(path: dir.path("state.sqlite"))
        let log = MerkleLog(database: db)
        #expect(try log.integrityProblems().isEmpty)
        try db.transaction { tx in for index in 0..<37 { try log.append(MerkleLogTests.logEntry(index), in: tx) } }
        #expect(try log.integrityProblems().isEmpty)
    }

    @Test func editsBehindTheTriggersAreFound() throws {
        let dir = try TemporaryDirectory()
        let db = try Database.openStore(path: dir.path("state.sqlite"))
        let log = MerkleLog(database: db)
        try db.transaction { tx in for index in 0..<20 { try log.append(MerkleLogTests.logEntry(index), in: tx) } }
        let head = try log.treeHead(timestamp: Date(timeIntervalSince1970: 1_800_000_000))
        let proof = try log.inclusionProof(index: 5, treeSize: 20)
        // An attacker with file access drops the triggers and rewrites history.
        try db.transaction { tx in
            for trigger in ["audit_log_leaf_no_update", "audit_log_node_no_update", "audit_log_node_no_delete"] {
                try tx.execute("DROP TRIGGER \(trigger)")
            }
            try tx.execute("UPDATE audit_log_leaf SET entry = ? WHERE leaf_index = 5",
                           [.blob(Array(#"{"event":"nothing happened"}"#.utf8))])
            try tx.execute("UPDATE audit_log_node SET hash = zeroblob(32) WHERE level = 2 AND node_index = 3")
            try tx.execute("DELETE FROM audit_log_node WHERE level = 4")
        }
        let problems = try log.integrityProblems()
        #expect(problems.contains("leaf 5: stored hash does not match its entry"))
        #expect(problems.contains("node 3 at level 2 does not match its children"))
        #expect(problems.contains("node 0 at level 4 is missing"))
        // The rewritten entry no longer matches what the signed head committed to.
        let forged = try log.entry(at: 5)
        #expect(!proof.verify(leafHash: MerkleTree.leafHash(forged.canonicalJSON), rootHash: head.rootHash))
        #expect(throws: MerkleError.missingNode(level: 4, index: 0)) { try log.rootHash(treeSize: 20) }
    }
}
