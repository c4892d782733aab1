import Foundation
import Testing
import VerbundTrust
@testable import VerbundAudit

/// Deterministic entries of varying length (including empty ones) shared with the Python oracle.
func testEntry(_ index: Int) -> [UInt8] {
    Array(0..<UInt8(index % 7)) + Array("entry-\(index)".utf8)
}

@Suite struct MerkleTreeTests {
    static let maxSize = 64
    let entries = (0..<MerkleTreeTests.maxSize).map(testEntry)
    var leafHashes: [[UInt8]] { entries.map { MerkleTree.leafHash($0) } }

    /// Roots for sizes 0…64 computed by Python's hashlib from the RFC 9162 §2.1.1 definition,
    /// independently of this code base.
    static func pythonRoots() throws -> [String] {
        let script = """
            import hashlib, sys
            def entry(i): return bytes(range(i % 7)) + ("entry-%d" % i).encode()
            def mth(d):
                if len(d) == 0: return hashlib.sha256(b"").digest()
                if len(d) == 1: return hashlib.sha256(b"\\x00" + d[0]).digest()
                k = 1
                while k * 2 < len(d): k *= 2
                return hashlib.sha256(b"\\x01" + mth(d[:k]) + mth(d[k:])).digest()
            leaves = [entry(i) for i in range(\(maxSize))]
            for n in range(\(maxSize) + 1): print(mth(leaves[:n]).hex())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func rootsMatchPythonHashlib() throws {
        let expected = try Self.pythonRoots()
        try #require(expected.count == Self.maxSize + 1)
        for size in 0...Self.maxSize {
            #expect(Hex.encode(MerkleTree.rootHash(of: Array(entries.prefix(size)))) == expected[size], "size \(size)")
        }
    }

    @Test func hashingFollowsTheRFCDefinition() {
        #expect(Hex.encode(MerkleTree.emptyRootHash)
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleTree.leafHash([1, 2]) == SHA256.hash([0, 1, 2]))
        let a = SHA256.hash([UInt8(1)])
        let b = SHA256.hash([UInt8(2)])
        #expect(MerkleTree.nodeHash(a, b) == SHA256.hash([1] + a + b))
        #expect(MerkleTree.nodeHash(a, b) != MerkleTree.nodeHash(b, a))
        // A leaf can never be taken for a node: the prefixes differ (second preimage defence).
        #expect(MerkleTree.leafHash(a + b) != MerkleTree.nodeHash(a, b))
    }

    /// The eight-leaf test tree used by Certificate Transparency implementations (RFC 6962 hashing).
    @Test func certificateTransparencyVectors() {
        let leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
            .map { Hex.decode($0)! }
        let roots = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ]
        for size in 1...8 {
            #expect(Hex.encode(MerkleTree.rootHash(of: Array(leaves.prefix(size)))) == roots[size - 1])
        }
    }

    @Test func everyInclusionProofVerifies() throws {
        let leaves = leafHashes
        for size in 1...Self.maxSize {
            let root = MerkleTree.rootHash(ofLeafHashes: Array(leaves.prefix(size)))
            for index in 0..<size {
                let proof = try MerkleTree.inclusionProof(index: index, treeSize: size, leafHashes: leaves)
                #expect(proof.verify(leafHash: leaves[index], rootHash: root), "index \(index) size \(size)")
            }
        }
    }

    @Test func tamperedInclusionProofsFail() throws {
        let leaves = leafHashes
        for size in 1...Self.maxSize {
            let root = MerkleTree.rootHash(ofLeafHashes: Array(leaves.prefix(size)))
            for index in 0..<size {
                let proof = try MerkleTree.inclusionProof(index: index, treeSize: size, leafHashes: leaves)
                let path = proof.path
                // Another entry, another root, or a flipped bit anywhere in the path.
                #expect(!proof.verify(leafHash: MerkleTree.leafHash(testEntry(index) + [0]), rootHash: root))
                #expect(!proof.verify(leafHash: leaves[index], rootHash: MerkleTree.leafHash([9])))
                for position in path.indices {
                    var bad = path
                    bad[position][position % MerkleTree.hashSize] ^= 0x01
                    #expect(!InclusionProof(leafIndex: index, treeSize: size, path: bad)
                        .verify(leafHash: leaves[index], rootHash: root))
                }
                // Truncated and extended paths.
                if !path.isEmpty {
                    #expect(!InclusionProof(leafIndex: index, treeSize: size, path: Array(path.dropLast()))
                        .verify(leafHash: leaves[index], rootHash: root))
                }
                #expect(!InclusionProof(leafIndex: index, treeSize: size, path: path + [leaves[0]])
                    .verify(leafHash: leaves[index], rootHash: root))
                // The proof of one index does not prove another.
                if size > 1 {
                    let other = (index + 1) % size
                    #expect(!InclusionProof(leafIndex: other, treeSize: size, path: path)
                        .verify(leafHash: leaves[index], rootHash: root))
                }
            }
        }
    }

    @Test func inclusionRejectsImpossibleInput() throws {
        let leaves = leafHashes
        let root = MerkleTree.rootHash(ofLeafHashes: Array(leaves.prefix(4)))
        #expect(!MerkleTree.verifyInclusion(leafHash: leaves[0], index: 4, treeSize: 4, path: [], rootHash: root))
        #expect(!MerkleTree.verifyInclusion(leafHash: leaves[0], index: -1, treeSize: 4, path: [], rootHash: root))
        #expect(!MerkleTree.verifyInclusion(leafHash: leaves[0], index: 0, treeSize: 0, path: [], rootHash: root))
        #expect(!MerkleTree.verifyInclusion(leafHash: [1, 2], index: 0, treeSize: 1, path: [], rootHash: [1, 2]))
        #expect(throws: MerkleError.indexOutOfRange(index: 4, treeSize: 4)) {
            try MerkleTree.inclusionProof(index: 4, treeSize: 4, leafHashes: leaves)
        }
        #expect(throws: MerkleError.treeSizeOutOfRange(requested: 65, available: 64)) {
            try MerkleTree.inclusionProof(index: 0, treeSize: 65, leafHashes: leaves)
        }
    }

    @Test func everyConsistencyProofVerifies() throws {
        let leaves = leafHashes
        let roots = (0...Self.maxSize).map { MerkleTree.rootHash(ofLeafHashes: Array(leaves.prefix($0))) }
        for second in 0...Self.maxSize {
            for first in 0...second {
                let proof = try MerkleTree.consistencyProof(from: first, to: second, leafHashes: leaves)
                #expect(proof.verify(firstRootHash: roots[first], secondRootHash: roots[second]),
                        "\(first) → \(second)")
            }
        }
    }

    @Test func tamperedConsistencyProofsFail() throws {
        let leaves = leafHashes
        let roots = (0...Self.maxSize).map { MerkleTree.rootHash(ofLeafHashes: Array(leaves.prefix($0))) }
        for second in 1...Self.maxSize {
            for first in 1..<second {
                let proof = try MerkleTree.consistencyProof(from: first, to: second, leafHashes: leaves)
                let path = proof.path
                #expect(!proof.verify(firstRootHash: roots[first - 1], secondRootHash: roots[second]))
                #expect(!proof.verify(firstRootHash: roots[first], secondRootHash: roots[second - 1]))
                for position in path.indices {
                    var bad = path
                    bad[position][0] ^= 0x80
                    #expect(!ConsistencyProof(firstSize: first, secondSize: second, path: bad)
                        .verify(firstRootHash: roots[first], secondRootHash: roots[second]))
                }
                #expect(!ConsistencyProof(firstSize: first, secondSize: second, path: Array(path.dropLast()))
                    .verify(firstRootHash: roots[first], secondRootHash: roots[second]))
                #expect(!ConsistencyProof(firstSize: first, secondSize: second, path: path + [roots[1]])
                    .verify(firstRootHash: roots[first], secondRootHash: roots[second]))
            }
        }
    }

    @Test func consistencyEdgeCases() throws {
        let leaves = leafHashes
        let root5 = MerkleTree.rootHash(ofLeafHashes: Array(leaves.prefix(5)))
        let root6 = MerkleTree.rootHash(ofLeafHashes: Array(leaves.prefix(6)))
        #expect(MerkleTree.verifyConsistency(firstSize: 5, secondSize: 5, path: [], firstRootHash: root5,
                                             secondRootHash: root5))
        #expect(!MerkleTree.verifyConsistency(firstSize: 5, secondSize: 5, path: [], firstRootHash: root5,
                                              secondRootHash: root6))
        #expect(!MerkleTree.verifyConsistency(firstSize: 5, secondSize: 6, path: [], firstRootHash: root5,
                                              secondRootHash: root6))
        #expect(!MerkleTree.verifyConsistency(firstSize: 6, secondSize: 5, path: [], firstRootHash: root6,
                                              secondRootHash: root5))
        #expect(!MerkleTree.verifyConsistency(firstSize: 0, secondSize: 5, path: [], firstRootHash: root5,
                                              secondRootHash: root5))
        #expect(throws: MerkleError.invalidSizes(first: 6, second: 5)) {
            try MerkleTree.consistencyProof(from: 6, to: 5, leafHashes: leaves)
        }
        #expect(throws: MerkleError.self) { try MerkleTree.consistencyProof(from: 1, to: 65, leafHashes: leaves) }
    }
}
