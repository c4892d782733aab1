/// One entry of a `MerkleLog`: its position, the exact canonical JSON bytes that were hashed, and
/// the leaf hash `SHA-256(0x00 ‖ bytes)`.
package struct LogEntry: Sendable, Hashable {
    package let index: Int
    package let canonicalJSON: [UInt8]
    package let leafHash: [UInt8]

    package init(index: Int, canonicalJSON: [UInt8], leafHash: [UInt8]) {
        self.index = index
        self.canonicalJSON = canonicalJSON
        self.leafHash = leafHash
    }

    /// The entry parsed back into a value.
    package func value() throws(CanonicalJSONError) -> JSONValue {
        try CanonicalJSON.decode(canonicalJSON)
    }
}
