import COpenSSL
import Foundation

/// An `X509` under construction; freed unless `sign` hands it to a `Certificate`.
final class CertificateBuilder {
    private var pointer: OpaquePointer?

    /// A v3 certificate with a fresh random serial and validity [now − skew, now + days].
    init(key: PrivateKey, days: Int, now: Date) throws {
        guard days > 0 else { throw TrustError.invalidArgument("validity must be at least one day, got \(days)") }
        guard CertificateSigningRequest.digest(for: key.kind) != nil else {
            throw TrustError.unsupportedKey(operation: "signing a certificate", kind: key.kind)
        }
        guard let x509 = X509_new() else { throw OpenSSLError.drain("allocating a certificate") }
        pointer = x509
        guard X509_set_version(x509, Int(X509_VERSION_3)) == 1 else { throw OpenSSLError.drain("setting the certificate version") }
        guard let serial = X509_get_serialNumber(x509) else { throw OpenSSLError.drain("reading the serial field") }
        try SerialNumber.random().store(into: serial)
        let start = ASN1.epochSeconds(now.addingTimeInterval(-CertificateAuthority.clockSkewAllowance))
        let end = ASN1.epochSeconds(now) + time_t(days) * 86_400
        guard ASN1_TIME_set(X509_getm_notBefore(x509), start) != nil,
              ASN1_TIME_set(X509_getm_notAfter(x509), end) != nil else {
            throw OpenSSLError.drain("setting the validity period")
        }
    }

    deinit { if let pointer { X509_free(pointer) } }

    private var x509: OpaquePointer {
        guard let pointer else { preconditionFailure("CertificateBuilder used after sign") }
        return pointer
    }

    func setNames(subject: OpaquePointer, issuer: OpaquePointer?) throws {
        guard X509_set_subject_name(x509, subject) == 1, X509_set_issuer_name(x509, issuer) == 1 else {
            throw OpenSSLError.drain("setting the subject and issuer names")
        }
    }

    func setPublicKey(_ key: OpaquePointer) throws {
        guard X509_set_pubkey(x509, key) == 1 else { throw OpenSSLError.drain("setting the subject public key") }
    }

    /// Adds an extension from a fixed config value. `issuer` nil means self-signed (the certificate is its own issuer).
    func addExtension(_ nid: Int32, _ value: String, issuer: OpaquePointer?) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer ?? x509, x509, nil, nil, 0)
        guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            throw OpenSSLError.drain("building extension \(String(cString: OBJ_nid2sn(nid))) = \(value)")
        }
        defer { X509_EXTENSION_free(ext) }
        guard X509_add_ext(x509, ext, -1) == 1 else { throw OpenSSLError.drain("adding extension \(value)") }
    }

    /// subjectAltName built as GENERAL_NAMES, so no text can inject extra entries through the config syntax.
    func addSubjectAltName(uris: [String], dnsNames: [String]) throws {
        let names = try GeneralNames.make(uris: uris, dnsNames: dnsNames)
        defer { GENERAL_NAMES_free(names) }
        guard X509_add1_ext_i2d(x509, NID_subject_alt_name, UnsafeMutableRawPointer(names), 0, UInt(X509V3_ADD_DEFAULT)) == 1 else {
            throw OpenSSLError.drain("adding the subjectAltName")
        }
    }

    func sign(with key: PrivateKey) throws -> Certificate {
        let digest = CertificateSigningRequest.digest(for: key.kind)
        try key.withUnsafeEVPKey { pkey in
            guard X509_sign(x509, pkey, digest) > 0 else { throw OpenSSLError.drain("signing the certificate") }
        }
        let owned = x509
        pointer = nil
        return try Certificate(takingOwnership: owned)
    }
}
