import VerbundTrust

/// The federation's registry signing key and its certificate (issued by the root with the registry-signer profile:
/// codeSigning only, so it cannot act as a connector and a connector certificate cannot sign registries).
package struct RegistrySigner: Sendable {
    package let certificate: Certificate
    package let key: PrivateKey

    package init(certificate: Certificate, key: PrivateKey) {
        self.certificate = certificate
        self.key = key
    }
}
