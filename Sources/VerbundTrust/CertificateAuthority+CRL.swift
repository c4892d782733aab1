import COpenSSL
import Foundation

extension CertificateAuthority {
    /// Builds and signs a v2 CRL (RFC 5280 §5): the given entries with reason codes (§5.3.1), cRLNumber (§5.2.3),
    /// authorityKeyIdentifier (§5.2.1), thisUpdate and nextUpdate. An `.unspecified` reason is written as no reasonCode
    /// extension, as §5.3.1 recommends.
    package func revocationList(revoked: [RevokedCertificate], number: UInt64, thisUpdate: Date = Date(),
                               nextUpdate: Date) throws -> CertificateRevocationList {
        guard nextUpdate > thisUpdate else { throw TrustError.invalidArgument("a CRL's nextUpdate must be after its thisUpdate") }
        guard let digest = CertificateSigningRequest.digest(for: key.kind) else {
            throw TrustError.unsupportedKey(operation: "signing a CRL", kind: key.kind)
        }
        guard let crl = X509_CRL_new() else { throw OpenSSLError.drain("allocating a CRL") }
        do {
            guard X509_CRL_set_version(crl, Int(X509_CRL_VERSION_2)) == 1 else { throw OpenSSLError.drain("setting the CRL version") }
            try certificate.withUnsafeX509 { ca in
                guard X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)) == 1 else { throw OpenSSLError.drain("setting the CRL issuer") }
            }
            try Self.withTime(thisUpdate) { guard X509_CRL_set1_lastUpdate(crl, $0) == 1 else { throw OpenSSLError.drain("setting thisUpdate") } }
            try Self.withTime(nextUpdate) { guard X509_CRL_set1_nextUpdate(crl, $0) == 1 else { throw OpenSSLError.drain("setting nextUpdate") } }
            for entry in revoked { try Self.add(entry, to: crl) }
            try Self.addNumber(number, to: crl)
            try certificate.withUnsafeX509 { ca in
                var context = X509V3_CTX()
                X509V3_set_ctx(&context, ca, nil, nil, crl, 0)
                guard let ext = X509V3_EXT_conf_nid(nil, &context, NID_authority_key_identifier, "keyid:always") else {
                    throw OpenSSLError.drain("building the CRL authorityKeyIdentifier (does the CA certificate have a subjectKeyIdentifier?)")
                }
                defer { X509_EXTENSION_free(ext) }
                guard X509_CRL_add_ext(crl, ext, -1) == 1 else { throw OpenSSLError.drain("adding the CRL authorityKeyIdentifier") }
            }
            guard X509_CRL_sort(crl) == 1 else { throw OpenSSLError.drain("sorting the CRL entries") }
            try key.withUnsafeEVPKey { pkey in
                guard X509_CRL_sign(crl, pkey, digest) > 0 else { throw OpenSSLError.drain("signing the CRL") }
            }
        } catch {
            X509_CRL_free(crl)
            throw error
        }
        return try CertificateRevocationList(takingOwnership: crl)
    }

    private static func withTime(_ date: Date, _ body: (UnsafeMutablePointer<ASN1_TIME>) throws -> Void) throws {
        guard let time = ASN1_TIME_set(nil, ASN1.epochSeconds(date)) else { throw OpenSSLError.drain("encoding a time") }
        defer { ASN1_TIME_free(time) }
        try body(time)
    }

    private static func add(_ entry: RevokedCertificate, to crl: OpaquePointer) throws {
        guard let revoked = X509_REVOKED_new() else { throw OpenSSLError.drain("allocating a CRL entry") }
        do {
            guard let serial = ASN1_INTEGER_new() else { throw OpenSSLError.drain("allocating a serial number") }
            defer { ASN1_INTEGER_free(serial) }
            try entry.serialNumber.store(into: serial)
            guard X509_REVOKED_set_serialNumber(revoked, serial) == 1 else { throw OpenSSLError.drain("setting the revoked serial") }
            try withTime(entry.revocationDate) {
                guard X509_REVOKED_set_revocationDate(revoked, $0) == 1 else { throw OpenSSLError.drain("setting the revocation date") }
            }
            if let reason = entry.reason, reason != .unspecified {
                guard let code = ASN1_ENUMERATED_new() else { throw OpenSSLError.drain("allocating a reason code") }
                defer { ASN1_ENUMERATED_free(code) }
                guard ASN1_ENUMERATED_set(code, reason.rawValue) == 1,
                      X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, UnsafeMutableRawPointer(code), 0, 0) == 1 else {
                    throw OpenSSLError.drain("adding reason code \(reason)")
                }
            }
            // add0: the CRL owns the entry on success only.
            guard X509_CRL_add0_revoked(crl, revoked) == 1 else { throw OpenSSLError.drain("adding a CRL entry") }
        } catch {
            X509_REVOKED_free(revoked)
            throw error
        }
    }

    private static func addNumber(_ number: UInt64, to crl: OpaquePointer) throws {
        guard let value = ASN1_INTEGER_new() else { throw OpenSSLError.drain("allocating the CRL number") }
        defer { ASN1_INTEGER_free(value) }
        guard ASN1_INTEGER_set_uint64(value, number) == 1,
              X509_CRL_add1_ext_i2d(crl, NID_crl_number, UnsafeMutableRawPointer(value), 0, 0) == 1 else {
            throw OpenSSLError.drain("adding the CRL number")
        }
    }
}
