import VerbundTrust

/// Why a `TLSContext` could not be built from a `TLSConfiguration`.
package enum TLSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingCertificate
    case missingTrustRoot
    case revocationListRequired
    case invalidVersionRange
    /// A reloaded context has another role than the one it replaces.
    case roleMismatch
    /// An OpenSSL call refused the material; the error carries the queue.
    case openSSL(OpenSSLError)

    package var description: String {
        switch self {
        case .missingCertificate:
            return "TLS configuration has no certificate: give our certificate chain (leaf first) and its private key"
        case .missingTrustRoot:
            return "TLS configuration has no trust root: give the federation root certificate (federation-config/root.pem)"
        case .revocationListRequired:
            return "TLS configuration requires a CRL but none is given: add the federation CRL (federation-config/crl.pem)"
        case .invalidVersionRange:
            return "TLS configuration's minimum protocol version is above its maximum"
        case .roleMismatch:
            return "a reloaded TLS context must keep the role (server or client) of the context it replaces"
        case .openSSL(let error):
            return "building the TLS context failed: \(error)"
        }
    }
}
