import Foundation
import VerbundTrust

/// The chain check of a federation certificate with `ChainVerifier` (OpenSSL `X509_verify_cert`, RFC 5280 §6):
/// issued by the federation root, within its validity at `now`, and, with a CRL, not revoked (§6.3).
struct FederationChain {
    enum Outcome: Equatable {
        case valid
        case revoked
        case notIssuedByRoot(String)
        case invalid(String)
    }

    let root: Certificate
    let crl: CertificateRevocationList?

    func verify(_ certificate: Certificate, intermediates: [Certificate] = [], at now: Date,
                purpose: ChainVerifier.Purpose = .any) -> Outcome {
        if let crl, !crl.isSigned(by: root) { return .invalid("the CRL is not signed by the federation root") }
        do {
            try ChainVerifier(root: root, crl: crl).verify(certificate, intermediates: intermediates, at: now, purpose: purpose)
            return .valid
        } catch let error as ChainVerificationError {
            switch error.code {
            case ChainVerificationError.revokedCode:
                return .revoked
            case ChainVerificationError.unknownIssuerCode, 2 /* X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT */,
                 7 /* X509_V_ERR_CERT_SIGNATURE_FAILURE */, 18 /* X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT */,
                 19 /* X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN */, 21 /* X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE */:
                return .notIssuedByRoot("\(error.reason) (\(certificate.subject), issued by \(certificate.issuer))")
            default:
                return .invalid(error.description)
            }
        } catch {
            return .invalid("\(error)")
        }
    }
}
