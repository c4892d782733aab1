/// What an issued certificate may be used for; the CA sets these extensions itself and never copies requested ones.
package enum CertificateProfile: Sendable, Hashable {
    /// A connector's TLS identity: keyUsage digitalSignature (critical), extendedKeyUsage serverAuth + clientAuth.
    case connector
    /// The federation's registry signer: keyUsage digitalSignature + contentCommitment (critical), extendedKeyUsage
    /// codeSigning only. Without serverAuth/clientAuth the signing key cannot double as a TLS identity, so a stolen
    /// connector certificate cannot sign registries and the signer certificate cannot open connections.
    case registrySigner
    /// A subordinate CA: basicConstraints CA:TRUE with the path length (critical), keyUsage keyCertSign + cRLSign.
    case intermediateCA(pathLength: Int)

    /// `X509V3_EXT_conf_nid` values, fixed strings chosen here (no caller text reaches the config parser).
    var basicConstraints: String {
        switch self {
        case .connector, .registrySigner: return "critical,CA:FALSE"
        case let .intermediateCA(pathLength): return "critical,CA:TRUE,pathlen:\(max(0, pathLength))"
        }
    }

    var keyUsage: String {
        switch self {
        case .connector: return "critical,digitalSignature"
        case .registrySigner: return "critical,digitalSignature,nonRepudiation"
        case .intermediateCA: return "critical,keyCertSign,cRLSign"
        }
    }

    var extendedKeyUsage: String? {
        switch self {
        case .connector: return "serverAuth,clientAuth"
        case .registrySigner: return "codeSigning"
        case .intermediateCA: return nil
        }
    }
}
