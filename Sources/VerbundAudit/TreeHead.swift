import Foundation
import VerbundTrust

/// A log's state at one moment: its size, its root hash and when the head was taken
/// (RFC 9162 §4.10 carries the same three facts in `TreeHeadDataV2`).
///
/// Signing happens elsewhere (JWS over `signingInput`); this type only fixes the bytes. They are
/// the canonical JSON (RFC 8785, see `CanonicalJSON`) of
/// `{"rootHash":"<64 hex digits>","timestamp":<ms since epoch>,"treeSize":<n>,"type":"verbund-tree-head/1"}`.
/// The `type` member keeps a signature over a tree head from being valid for any other signed object.
package struct TreeHead: Sendable, Hashable {
    /// Value of the `type` member.
    package static let typeName = "verbund-tree-head/1"

    package let treeSize: Int
    package let rootHash: [UInt8]
    /// Milliseconds since the Unix epoch, UTC.
    package let timestampMilliseconds: Int64
    /// The exact bytes to sign and to verify.
    package let signingInput: [UInt8]

    package init(treeSize: Int, rootHash: [UInt8], timestampMilliseconds: Int64) throws(TreeHeadError) {
        guard treeSize >= 0, Int64(treeSize) <= JSONValue.maxSafeInteger else {
            throw .invalid("tree size \(treeSize) is out of range")
        }
        guard rootHash.count == MerkleTree.hashSize else {
            throw .invalid("root hash has \(rootHash.count) bytes, expected \(MerkleTree.hashSize)")
        }
        guard timestampMilliseconds >= 0, timestampMilliseconds <= JSONValue.maxSafeInteger else {
            throw .invalid("timestamp \(timestampMilliseconds) is out of range")
        }
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.timestampMilliseconds = timestampMilliseconds
        let value: JSONValue = [
            "type": .string(Self.typeName), "treeSize": .integer(Int64(treeSize)),
            "rootHash": .string(Hex.encode(rootHash)), "timestamp": .integer(timestampMilliseconds),
        ]
        do {
            signingInput = try CanonicalJSON.encode(value)
        } catch {
            throw .invalid("\(error)")
        }
    }

    /// A head stamped with `timestamp`, truncated to whole milliseconds.
    package init(treeSize: Int, rootHash: [UInt8], timestamp: Date) throws(TreeHeadError) {
        try self.init(treeSize: treeSize, rootHash: rootHash,
                      timestampMilliseconds: Int64((timestamp.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Reads a head back from its signing input (e.g. a JWS payload); the bytes must be canonical.
    package init(signingInput bytes: [UInt8]) throws(TreeHeadError) {
        let value: JSONValue
        do {
            value = try CanonicalJSON.decode(bytes)
        } catch {
            throw .invalid("\(error)")
        }
        guard case .object(let members) = value, members.count == 4, value["type"]?.stringValue == Self.typeName,
              let size = value["treeSize"]?.integerValue, let hex = value["rootHash"]?.stringValue,
              let root = Hex.decode(hex), hex == Hex.encode(root), let time = value["timestamp"]?.integerValue else {
            throw .invalid("not a \(Self.typeName) object with exactly rootHash, timestamp, treeSize and type")
        }
        try self.init(treeSize: Int(size), rootHash: root, timestampMilliseconds: time)
        guard signingInput == bytes else { throw .invalid("the tree head is not in canonical form") }
    }

    package var timestamp: Date { Date(timeIntervalSince1970: Double(timestampMilliseconds) / 1000) }
}

/// A tree head that cannot exist or could not be read.
package enum TreeHeadError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalid(String)

    package var description: String {
        switch self {
        case .invalid(let reason): "invalid tree head: \(reason)"
        }
    }
}
