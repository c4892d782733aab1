import Foundation
import VerbundTrust

/// What the federation CA accepts in a member's CSR before it issues anything.
enum CertificateRequestPolicy {
    /// Proof of possession and key strength: only P-256 and RSA ≥ 3072 bits (NIST SP 800-57 Part 1 §5.6.1: 128-bit
    /// security; RSA-2048 only reaches 112).
    static func check(_ csr: CertificateSigningRequest) throws(AdminError) {
        guard csr.isSignatureValid else {
            throw .csrRefused("its signature does not verify with its own public key (no proof of possession); ask the member for a new CSR")
        }
        let kind: KeyKind
        do {
            kind = try csr.publicKey.kind
        } catch {
            throw .csrRefused("its public key cannot be read: \(error)")
        }
        guard kind.isAcceptableForMembers else {
            throw .csrRefused("its key is \(kind), which is too weak or not supported; only EC P-256 and RSA with at least 3072 bits are accepted (e.g. `verbund member init`, or `openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256`)")
        }
        // Text the admin's terminal prints and the signed registry carries to every member (`PrintableText`).
        let refuse = { (message: String) in AdminError.csrRefused(message + "; ask the member for a new CSR") }
        if let commonName = csr.commonName { try PrintableText.require(commonName, "its subject CN", invalid: refuse) }
        try PrintableText.require(csr.subject, "its subject", invalid: refuse)
        for uri in csr.requestedSubjectAltNameURIs { try PrintableText.require(uri, "its SAN URI", invalid: refuse) }
        for name in csr.requestedDNSNames { try PrintableText.require(name, "its SAN DNS name", invalid: refuse) }
    }
}

/// Reads a CSR file (PEM) the admin was sent.
package enum CertificateRequestFile {
    package static func load(_ path: String) throws(AdminError) -> CertificateSigningRequest {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .file(operation: "reading", path: path, reason: "file missing or unreadable")
        }
        do {
            return try CertificateSigningRequest(pem: text)
        } catch {
            throw .csrRefused("\(path) is not a PEM certificate request (BEGIN CERTIFICATE REQUEST): \(error)")
        }
    }
}
