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
    /// OpenSSL fails every chain once the CRL is past nextUpdate ("CRL has expired"). Under `.warn` the chain is
    /// then verified without it and the (root-signed) stale CRL is still consulted for revocations, so a late CRL
    /// degrades to a warning instead of cutting off the whole federation.
    var staleCRLPolicy: StaleCRLPolicy = .refuse

    func verify(_ certificate: Certificate, intermediates: [Certificate] = [], at now: Date,
                purpose: ChainVerifier.Purpose = .any) -> Outcome {
        if let crl, !crl.isSigned(by: root) { return .invalid("the CRL is not signed by the federation root") }
        var effectiveCRL = crl
        if let crl, staleCRLPolicy == .warn, CRLFreshness(nextUpdate: crl.nextUpdate, now: now).isStale {
            if crl.isRevoked(certificate) { return .revoked }
            effectiveCRL = nil
        }
        do {
            try ChainVerifier(root: root, crl: effectiveCRL).verify(certificate, intermediates: intermediates, at: now, purpose: purpose)
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
