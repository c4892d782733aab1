import VerbundTrust

/// The federation's registry signing key and its certificate (issued by the root with the registry-signer profile:
/// codeSigning only, so it cannot act as a connector and a connector certificate cannot sign registries).
public struct RegistrySigner: Sendable {
    public let certificate: Certificate
    public let key: PrivateKey

    public init(certificate: Certificate, key: PrivateKey) {
        self.certificate = certificate
        self.key = key
    }
}
