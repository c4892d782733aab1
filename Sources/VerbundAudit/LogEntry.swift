/// One entry of a `MerkleLog`: its position, the exact canonical JSON bytes that were hashed, and
/// the leaf hash `SHA-256(0x00 ‖ bytes)`.
public struct LogEntry: Sendable, Hashable {
    public let index: Int
    public let canonicalJSON: [UInt8]
    public let leafHash: [UInt8]

    public init(index: Int, canonicalJSON: [UInt8], leafHash: [UInt8]) {
        self.index = index
        self.canonicalJSON = canonicalJSON
        self.leafHash = leafHash
    }

    /// The entry parsed back into a value.
    public func value() throws(CanonicalJSONError) -> JSONValue {
        try CanonicalJSON.decode(canonicalJSON)
    }
}
