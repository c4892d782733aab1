import COpenSSL
import Foundation

/// A certificate authority: its certificate and private key. Issues member certificates from CSRs and signs CRLs.
///
/// Certificates start five minutes before `now` to tolerate clock skew between the CA and relying parties.
package struct CertificateAuthority: Sendable {
    package let certificate: Certificate
    package let key: PrivateKey

    /// Seconds subtracted from notBefore for clock skew.
    package static let clockSkewAllowance: TimeInterval = 300

    /// Pairs a CA certificate with its key; refuses a key that does not match or a certificate that is not a CA.
    package init(certificate: Certificate, key: PrivateKey) throws {
        let matches = certificate.withUnsafeX509 { x509 in key.withUnsafeEVPKey { X509_check_private_key(x509, $0) == 1 } }
        ERR_clear_error()
        guard matches else { throw TrustError.invalidArgument("the CA private key does not belong to the CA certificate \(certificate.subject)") }
        guard certificate.isCA else { throw TrustError.invalidArgument("\(certificate.subject) is not a CA certificate (basicConstraints CA:FALSE or absent)") }
        self.certificate = certificate
        self.key = key
    }

    /// A self-signed root (RFC 5280 §4.2.1.9): CA:TRUE and pathlen (critical), keyCertSign + cRLSign (critical), SKI.
    /// `pathLength` 0 means it may only issue end-entity certificates; nil leaves the path length open.
    package static func selfSignedRoot(name: String, organization: String? = nil, key: PrivateKey, days: Int,
                                      pathLength: Int? = 0, now: Date = Date()) throws -> CertificateAuthority {
        let x509 = try CertificateBuilder(key: key, days: days, now: now)
        let subject = try ASN1.makeName(commonName: name, organization: organization)
        defer { X509_NAME_free(subject) }
        try x509.setNames(subject: subject, issuer: subject)
        try key.withUnsafeEVPKey { try x509.setPublicKey($0) }
        let constraints = pathLength.map { "critical,CA:TRUE,pathlen:\(max(0, $0))" } ?? "critical,CA:TRUE"
        try x509.addExtension(NID_basic_constraints, constraints, issuer: nil)
        try x509.addExtension(NID_key_usage, "critical,keyCertSign,cRLSign", issuer: nil)
        try x509.addExtension(NID_subject_key_identifier, "hash", issuer: nil)
        let certificate = try x509.sign(with: key)
        return try CertificateAuthority(certificate: certificate, key: key)
    }

    /// Issues a certificate for the key in `csr`, after checking the CSR's signature (proof of possession).
    ///
    /// The subject is `CN=commonName` (default: the CSR's CN) plus the optional `organization`; the subjectAltName is
    /// exactly `subjectAltNameURIs` + `dnsNames` as chosen by the CA. Nothing else from the CSR is copied.
    package func issue(csr: CertificateSigningRequest, subjectAltNameURIs: [String], dnsNames: [String] = [],
                      commonName: String? = nil, organization: String? = nil, days: Int, now: Date = Date(),
                      profile: CertificateProfile = .connector) throws -> Certificate {
        guard csr.isSignatureValid else { throw TrustError.csrSignatureInvalid }
        let requestedKey = try csr.publicKey
        if case .other = requestedKey.kind {
            throw TrustError.unsupportedKey(operation: "issuing a certificate", kind: requestedKey.kind)
        }
        guard let name = commonName ?? csr.commonName else {
            throw TrustError.invalidArgument("the CSR has no common name; pass one explicitly")
        }
        let x509 = try CertificateBuilder(key: key, days: days, now: now)
        let subject = try ASN1.makeName(commonName: name, organization: organization)
        defer { X509_NAME_free(subject) }
        try certificate.withUnsafeX509 { ca in try x509.setNames(subject: subject, issuer: X509_get_subject_name(ca)) }
        try requestedKey.withUnsafeEVPKey { try x509.setPublicKey($0) }
        try certificate.withUnsafeX509 { ca in
            try x509.addExtension(NID_basic_constraints, profile.basicConstraints, issuer: ca)
            try x509.addExtension(NID_key_usage, profile.keyUsage, issuer: ca)
            if let eku = profile.extendedKeyUsage { try x509.addExtension(NID_ext_key_usage, eku, issuer: ca) }
            try x509.addExtension(NID_subject_key_identifier, "hash", issuer: ca)
            try x509.addExtension(NID_authority_key_identifier, "keyid:always", issuer: ca)
        }
        if !subjectAltNameURIs.isEmpty || !dnsNames.isEmpty {
            try x509.addSubjectAltName(uris: subjectAltNameURIs, dnsNames: dnsNames)
        }
        return try x509.sign(with: key)
    }
}
