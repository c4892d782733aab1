/// Domain-separation prefixes of RFC 9162 §2.1.1: leaves hash `0x00 ‖ entry`, nodes `0x01 ‖ left ‖ right`.
public enum MerkleHashPrefix {
    public static let leaf: UInt8 = 0x00
    public static let node: UInt8 = 0x01
}
