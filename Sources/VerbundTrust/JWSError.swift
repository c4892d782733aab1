/// Why a JWS (RFC 7515) was refused.
package enum JWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The serialization or the header JSON is not well-formed.
    case malformed(String)
    /// `alg` is not ES256; `none`, HMAC and everything else are refused (RFC 7515 §10.7: the key, not the token, decides).
    case unsupportedAlgorithm(String)
    /// The header lists extensions in `crit` that Verbund does not implement (RFC 7515 §4.1.11).
    case unsupportedCriticalHeader([String])
    /// The signature does not verify with the given key.
    case signatureInvalid
    /// No signature at this index.
    case noSuchSignature(Int)
    /// The header carries no `x5c` chain, or it cannot be parsed.
    case certificateChain(String)

    package var description: String {
        switch self {
        case let .malformed(reason): return "malformed JWS: \(reason)"
        case let .unsupportedAlgorithm(alg): return "JWS algorithm \"\(alg)\" is not accepted; only ES256 is"
        case let .unsupportedCriticalHeader(names): return "JWS marks unsupported header parameters as critical: \(names.joined(separator: ", "))"
        case .signatureInvalid: return "JWS signature does not verify"
        case let .noSuchSignature(index): return "JWS has no signature number \(index)"
        case let .certificateChain(reason): return "JWS x5c certificate chain unusable: \(reason)"
        }
    }
}
