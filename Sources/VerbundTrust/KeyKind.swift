import COpenSSL

/// The algorithm and size of a key, for policy checks such as "only P-256 and RSA ≥ 3072 bits".
package enum KeyKind: Sendable, Hashable, CustomStringConvertible {
    /// ECDSA on NIST P-256 (secp256r1, prime256v1): the key type Verbund creates and signs with.
    case p256
    /// RSA with the given modulus size in bits.
    case rsa(bits: Int)
    /// Anything else, named by OpenSSL (e.g. "ED25519", "EC secp384r1").
    case other(String)

    package var description: String {
        switch self {
        case .p256: return "EC P-256"
        case let .rsa(bits): return "RSA \(bits)-bit"
        case let .other(name): return name
        }
    }

    /// Whether a CSR with this key may be admitted: P-256, or RSA with at least 3072 bits.
    package var isAcceptableForMembers: Bool {
        switch self {
        case .p256: return true
        case let .rsa(bits): return bits >= 3072
        case .other: return false
        }
    }

    /// Classifies an `EVP_PKEY`.
    init(evpKey: OpaquePointer) {
        switch EVP_PKEY_get_base_id(evpKey) {
        case EVP_PKEY_EC:
            var buffer = [CChar](repeating: 0, count: 80)
            var length = 0
            guard EVP_PKEY_get_group_name(evpKey, &buffer, buffer.count, &length) == 1 else {
                ERR_clear_error()
                self = .other("EC (unknown curve)")
                return
            }
            let name = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            self = ["prime256v1", "P-256", "secp256r1"].contains(name) ? .p256 : .other("EC \(name)")
        case EVP_PKEY_RSA, EVP_PKEY_RSA_PSS:
            self = .rsa(bits: Int(EVP_PKEY_get_bits(evpKey)))
        default:
            if let name = EVP_PKEY_get0_type_name(evpKey) {
                self = .other(String(cString: name))
            } else {
                self = .other("unknown key type \(EVP_PKEY_get_base_id(evpKey))")
            }
        }
    }
}
