/// Why a certificate chain did not verify, in OpenSSL's words (`X509_verify_cert_error_string`).
package struct ChainVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `X509_V_ERR_*` code, e.g. 23 for a revoked certificate.
    package let code: Int32
    /// OpenSSL's text, e.g. "certificate revoked", "certificate has expired", "unable to get local issuer certificate".
    package let reason: String
    /// Position in the chain of the certificate that failed (0 = leaf).
    package let depth: Int
    /// Subject (RFC 2253) of that certificate, when OpenSSL names one.
    package let subject: String?

    package init(code: Int32, reason: String, depth: Int, subject: String?) {
        self.code = code
        self.reason = reason
        self.depth = depth
        self.subject = subject
    }

    package var description: String {
        let whom = subject.map { " for \($0)" } ?? ""
        return "certificate chain verification failed at depth \(depth)\(whom): \(reason) (X509_V_ERR \(code))"
    }

    // The codes Verbund reacts to specifically (x509_vfy.h).
    package static let revokedCode: Int32 = 23        // X509_V_ERR_CERT_REVOKED
    package static let expiredCode: Int32 = 10        // X509_V_ERR_CERT_HAS_EXPIRED
    package static let notYetValidCode: Int32 = 9     // X509_V_ERR_CERT_NOT_YET_VALID
    package static let unknownIssuerCode: Int32 = 20  // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
}
