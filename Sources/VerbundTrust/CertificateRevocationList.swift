import COpenSSL
import Foundation

/// An X.509 v2 certificate revocation list (RFC 5280 §5) held by OpenSSL.
///
/// Immutable, so it is safe to share between threads. Build one with `CertificateAuthority.revocationList(...)`.
package final class CertificateRevocationList: @unchecked Sendable, Equatable {
    private let pointer: OpaquePointer
    /// The DER encoding.
    package let der: [UInt8]

    /// Takes ownership of an `X509_CRL`.
    init(takingOwnership pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            der = try derEncoded("a CRL") { i2d_X509_CRL(pointer, &$0) }
        } catch {
            X509_CRL_free(pointer)
            throw error
        }
    }

    deinit { X509_CRL_free(pointer) }

    /// Parses a DER CRL; trailing bytes are refused.
    package convenience init(der: [UInt8]) throws {
        let crl = try derDecoded("CRL", der, free: { X509_CRL_free($0) }) { d2i_X509_CRL(nil, &$0, $1) }
        try self.init(takingOwnership: crl)
    }

    /// Parses the first CRL of a PEM text (`BEGIN X509 CRL`).
    package convenience init(pem: String) throws {
        let bio = try MemoryBIO(copying: Array(pem.utf8))
        guard let crl = PEM_read_bio_X509_CRL(bio.pointer, nil, nil, nil) else {
            throw OpenSSLError.drain("reading the CRL PEM")
        }
        try self.init(takingOwnership: crl)
    }

    /// Reads a PEM CRL file.
    package convenience init(pemFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrustError.file(operation: "reading", path: path, reason: "file missing or unreadable")
        }
        try self.init(pem: String(decoding: data, as: UTF8.self))
    }

    /// PEM (`BEGIN X509 CRL`, RFC 7468 §6).
    package var pem: String { "-----BEGIN X509 CRL-----\n\(Data64.wrap(der))-----END X509 CRL-----\n" }

    /// Issuer as an RFC 2253 string.
    package var issuer: String { ASN1.rfc2253(X509_CRL_get_issuer(pointer)) }

    /// thisUpdate (RFC 5280 §5.1.2.4).
    package var thisUpdate: Date { ASN1.date(X509_CRL_get0_lastUpdate(pointer)) ?? .distantPast }

    /// nextUpdate (RFC 5280 §5.1.2.5); after it the CRL is stale and verifiers refuse it.
    package var nextUpdate: Date? { ASN1.date(X509_CRL_get0_nextUpdate(pointer)) }

    /// The cRLNumber extension (RFC 5280 §5.2.3), monotonically increasing per issuer.
    package var number: UInt64? {
        guard let raw = X509_CRL_get_ext_d2i(pointer, NID_crl_number, nil, nil) else { return nil }
        let integer = raw.assumingMemoryBound(to: ASN1_INTEGER.self)
        defer { ASN1_INTEGER_free(integer) }
        var value: UInt64 = 0
        guard ASN1_INTEGER_get_uint64(&value, integer) == 1 else {
            ERR_clear_error()
            return nil
        }
        return value
    }

    /// Every revoked certificate, in the CRL's order.
    package var entries: [RevokedCertificate] {
        guard let stack = X509_CRL_get_REVOKED(pointer) else { return [] }
        return (0..<shim_sk_X509_REVOKED_num(stack)).compactMap { index in
            guard let revoked = shim_sk_X509_REVOKED_value(stack, index),
                  let serial = X509_REVOKED_get0_serialNumber(revoked) else { return nil }
            let date = ASN1.date(X509_REVOKED_get0_revocationDate(revoked)) ?? .distantPast
            var reason: RevocationReason? = nil
            if let raw = X509_REVOKED_get_ext_d2i(revoked, NID_crl_reason, nil, nil) {
                let enumerated = raw.assumingMemoryBound(to: ASN1_ENUMERATED.self)
                reason = RevocationReason(rawValue: ASN1_ENUMERATED_get(enumerated))
                ASN1_ENUMERATED_free(enumerated)
            }
            return RevokedCertificate(serialNumber: SerialNumber(serial), revocationDate: date, reason: reason)
        }
    }

    /// Whether the CRL lists `serial`.
    package func isRevoked(_ serial: SerialNumber) -> Bool {
        entries.contains { $0.serialNumber == serial }
    }

    /// Whether the CRL lists `certificate` (by serial; the caller checks the CRL's issuer and signature).
    package func isRevoked(_ certificate: Certificate) -> Bool { isRevoked(certificate.serialNumber) }

    /// Whether the CRL names `issuer` as its issuer and its signature verifies with the issuer's key.
    package func isSigned(by issuer: Certificate) -> Bool {
        issuer.withUnsafeX509 { ca in
            defer { ERR_clear_error() }
            guard X509_NAME_cmp(X509_get_subject_name(ca), X509_CRL_get_issuer(pointer)) == 0,
                  let key = X509_get0_pubkey(ca) else { return false }
            return X509_CRL_verify(pointer, key) == 1
        }
    }

    package static func == (lhs: CertificateRevocationList, rhs: CertificateRevocationList) -> Bool { lhs.der == rhs.der }

    /// Lends the `X509_CRL` to other Verbund modules (TLS); the pointer must not escape `body`.
    package func withUnsafeX509CRL<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try body(pointer)
    }
}
