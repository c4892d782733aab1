import Foundation
import VerbundTrust

/// The chain check of a federation certificate: issued by the federation root, within its validity at `now`,
/// not on the root's CRL (RFC 5280 §6.1 with the CRL processing of §6.3).
struct FederationChain {
    enum Outcome: Equatable {
        case valid
        case revoked
        case invalid(String)
    }

    let root: Certificate
    let crl: CertificateRevocationList?

    func verify(_ certificate: Certificate, intermediates: [Certificate] = [], at now: Date) -> Outcome {
        guard root.isCA else { return .invalid("the federation root certificate is not a CA") }
        guard root.isValid(at: now) else { return .invalid("the federation root certificate is not valid at \(now.formatted(.iso8601))") }
        // Walk leaf → (intermediates) → root; each link must be a signature by the next certificate.
        var path = [certificate]
        var remaining = intermediates
        while let current = path.last, !current.isSigned(by: root) {
            guard let index = remaining.firstIndex(where: { current.isSigned(by: $0) && $0.isCA }) else {
                return .invalid("certificate is not issued by the federation root (unable to get local issuer certificate for \(current.issuer))")
            }
            path.append(remaining.remove(at: index))
        }
        for link in path {
            if now < link.notBefore { return .invalid("certificate is not yet valid (\(link.subject), notBefore \(link.notBefore.formatted(.iso8601)))") }
            if now > link.notAfter { return .invalid("certificate has expired (\(link.subject), notAfter \(link.notAfter.formatted(.iso8601)))") }
        }
        if let crl {
            guard crl.isSigned(by: root) else { return .invalid("the CRL is not signed by the federation root") }
            if crl.isRevoked(certificate) { return .revoked }
        }
        return .valid
    }
}
