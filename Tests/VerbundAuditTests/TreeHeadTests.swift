import Foundation
import Testing
import VerbundTrust
@testable import VerbundAudit

@Suite struct TreeHeadTests {
    let root = MerkleTree.rootHash(of: [[1], [2], [3]])

    @Test func signingInputIsFixedCanonicalJSON() throws {
        let head = try TreeHead(treeSize: 3, rootHash: root, timestampMilliseconds: 1_800_000_000_123)
        let expected = #"{"rootHash":""# + Hex.encode(root)
            + #"","timestamp":1800000000123,"treeSize":3,"type":"verbund-tree-head/1"}"#
        #expect(String(decoding: head.signingInput, as: UTF8.self) == expected)
        #expect(try TreeHead(signingInput: head.signingInput) == head)
        #expect(head.timestamp == Date(timeIntervalSince1970: 1_800_000_000.123))
    }

    @Test func differentHeadsHaveDifferentInputs() throws {
        let base = try TreeHead(treeSize: 3, rootHash: root, timestampMilliseconds: 1)
        #expect(base.signingInput != (try TreeHead(treeSize: 4, rootHash: root, timestampMilliseconds: 1)).signingInput)
        #expect(base.signingInput != (try TreeHead(treeSize: 3, rootHash: root, timestampMilliseconds: 2)).signingInput)
        var other = root
        other[31] ^= 1
        #expect(base.signingInput != (try TreeHead(treeSize: 3, rootHash: other, timestampMilliseconds: 1)).signingInput)
    }

    @Test func invalidHeadsAreRefused() throws {
        #expect(throws: TreeHeadError.self) { try TreeHead(treeSize: -1, rootHash: root, timestampMilliseconds: 0) }
        #expect(throws: TreeHeadError.self) { try TreeHead(treeSize: 1, rootHash: [1, 2], timestampMilliseconds: 0) }
        #expect(throws: TreeHeadError.self) { try TreeHead(treeSize: 1, rootHash: root, timestampMilliseconds: -5) }
        let valid = try TreeHead(treeSize: 3, rootHash: root, timestampMilliseconds: 7)
        let text = String(decoding: valid.signingInput, as: UTF8.self)
        let variants = [
            text.replacingOccurrences(of: ",", with: ", "),  // not canonical
            text.replacingOccurrences(of: "verbund-tree-head/1", with: "something-else"),
            text.replacingOccurrences(of: "\"treeSize\":3", with: "\"treeSize\":\"3\""),
            text.replacingOccurrences(of: "}", with: ",\"extra\":1}"),
            text.uppercased(),
            "[]",
        ]
        for variant in variants {
            #expect(throws: TreeHeadError.self, "\(variant)") { try TreeHead(signingInput: Array(variant.utf8)) }
        }
    }
}
