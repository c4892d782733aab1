/// Domain-separation prefixes of RFC 9162 §2.1.1: leaves hash `0x00 ‖ entry`, nodes `0x01 ‖ left ‖ right`.
package enum MerkleHashPrefix {
    package static let leaf: UInt8 = 0x00
    package static let node: UInt8 = 0x01
}
