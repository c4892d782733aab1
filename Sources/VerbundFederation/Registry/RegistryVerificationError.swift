import Foundation

/// Why a signed registry was not accepted. Each case names the cause, for a clear log line.
package enum RegistryVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not three base64url parts, or a header that is not JSON.
    case malformed(String)
    /// The header asks for something other than ES256 (including `none`), or another `typ`.
    case unsupportedHeader(String)
    /// The header carries no `x5c` signer certificate.
    case missingSignerCertificate
    /// The signature does not verify with the `x5c` certificate's key: the bytes were changed after signing.
    case signatureInvalid
    /// The signer certificate does not chain to the federation root we hold (another federation or a forged key).
    case signerNotIssuedByRoot(String)
    /// The signer certificate chains to the root but is expired, not yet valid, revoked, or not a registry signer.
    case signerNotAcceptable(String)
    /// The signed payload is not a registry.
    case payloadMalformed(String)
    /// The registry is of another federation than the one expected.
    case federationMismatch(expected: String, found: String)

    package var description: String {
        switch self {
        case let .malformed(reason): return "registry is not a JWS compact serialization: \(reason)"
        case let .unsupportedHeader(reason): return "registry JWS header refused: \(reason)"
        case .missingSignerCertificate: return "registry JWS header has no x5c signer certificate"
        case .signatureInvalid: return "registry signature does not verify (the registry was altered after signing)"
        case let .signerNotIssuedByRoot(reason): return "registry signer certificate is not issued by the federation root: \(reason)"
        case let .signerNotAcceptable(reason): return "registry signer certificate is not acceptable: \(reason)"
        case let .payloadMalformed(reason): return "registry payload is malformed: \(reason)"
        case let .federationMismatch(expected, found): return "registry is of federation '\(found)', expected '\(expected)'"
        }
    }
}
