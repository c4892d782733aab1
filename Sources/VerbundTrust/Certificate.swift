import COpenSSL
import Foundation

/// An X.509 v3 certificate (RFC 5280) held by OpenSSL.
///
/// Immutable, so it is safe to share between threads. Equal when their DER encodings are equal.
package final class Certificate: @unchecked Sendable, Equatable, Hashable, CustomStringConvertible {
    private let pointer: OpaquePointer
    /// The DER encoding, kept because equality, fingerprints and `x5c` use it.
    package let der: [UInt8]

    /// Takes ownership of an `X509`.
    init(takingOwnership pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            der = try derEncoded("a certificate") { i2d_X509(pointer, &$0) }
        } catch {
            X509_free(pointer)
            throw error
        }
    }

    deinit { X509_free(pointer) }

    /// Parses one DER certificate; trailing bytes are refused.
    package convenience init(der: [UInt8]) throws {
        let x509 = try derDecoded("certificate", der, free: { X509_free($0) }) { d2i_X509(nil, &$0, $1) }
        try self.init(takingOwnership: x509)
    }

    /// Parses the first certificate of a PEM text.
    package convenience init(pem: String) throws {
        guard let first = try Certificate.all(pem: pem).first else {
            throw TrustError.malformed(what: "certificate PEM", reason: "no BEGIN CERTIFICATE block")
        }
        try self.init(der: first.der)
    }

    /// Parses every certificate of a PEM text (a chain or bundle), in order. Throws if there is none or one is damaged.
    package static func all(pem: String) throws -> [Certificate] {
        let bio = try MemoryBIO(copying: Array(pem.utf8))
        var certificates: [Certificate] = []
        ERR_clear_error()
        while let x509 = PEM_read_bio_X509(bio.pointer, nil, nil, nil) {
            certificates.append(try Certificate(takingOwnership: x509))
        }
        // The loop ends with "no start line" once the text is exhausted; anything else is a broken block.
        let reason = shim_ERR_GET_REASON_last()
        if reason != 0 && reason != PEM_R_NO_START_LINE {
            throw OpenSSLError.drain("reading certificate \(certificates.count + 1) of the PEM text")
        }
        ERR_clear_error()
        guard !certificates.isEmpty else {
            throw TrustError.malformed(what: "certificate PEM", reason: "no BEGIN CERTIFICATE block")
        }
        return certificates
    }

    /// Reads every certificate of a PEM file.
    package static func all(pemFile path: String) throws -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrustError.file(operation: "reading", path: path, reason: "file missing or unreadable")
        }
        return try all(pem: String(decoding: data, as: UTF8.self))
    }

    /// Takes a new reference to a borrowed `X509` (e.g. a TLS peer certificate or a verified chain element).
    package static func retaining(_ borrowed: OpaquePointer) throws -> Certificate {
        guard X509_up_ref(borrowed) == 1 else { throw OpenSSLError.drain("referencing a certificate") }
        return try Certificate(takingOwnership: borrowed)
    }

    /// PEM (`BEGIN CERTIFICATE`, RFC 7468 §5).
    package var pem: String {
        "-----BEGIN CERTIFICATE-----\n\(Data64.wrap(der))-----END CERTIFICATE-----\n"
    }

    /// Subject as an RFC 2253 string, e.g. `CN=Stadt Musterhausen,O=Verbund`.
    package var subject: String { ASN1.rfc2253(X509_get_subject_name(pointer)) }

    /// The subject's first common name.
    package var commonName: String? { ASN1.commonName(X509_get_subject_name(pointer)) }

    /// Issuer as an RFC 2253 string.
    package var issuer: String { ASN1.rfc2253(X509_get_issuer_name(pointer)) }

    /// The serial number.
    package var serialNumber: SerialNumber { SerialNumber(X509_get0_serialNumber(pointer)) }

    /// Start of validity (RFC 5280 §4.1.2.5).
    package var notBefore: Date { ASN1.date(X509_get0_notBefore(pointer)) ?? .distantFuture }

    /// End of validity (RFC 5280 §4.1.2.5).
    package var notAfter: Date { ASN1.date(X509_get0_notAfter(pointer)) ?? .distantPast }

    /// SHA-256 of the DER, lowercase hex: the fingerprint the member registry lists.
    package var fingerprintSHA256: String { SHA256.hexHash(der) }

    /// The subject public key.
    package var publicKey: PublicKey {
        get throws {
            guard let key = X509_get0_pubkey(pointer) else { throw OpenSSLError.drain("reading the certificate's public key") }
            return try PublicKey.retaining(key)
        }
    }

    /// Whether the certificate was issued by `issuer` and its signature verifies with the issuer's key.
    package func isSigned(by issuer: Certificate) -> Bool {
        guard let key = X509_get0_pubkey(issuer.pointer) else {
            ERR_clear_error()
            return false
        }
        let ok = X509_verify(pointer, key) == 1
        ERR_clear_error()
        return ok
    }

    package static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.der == rhs.der }
    package func hash(into hasher: inout Hasher) { hasher.combine(der) }

    package var description: String { "Certificate(\(subject), serial \(serialNumber.hex))" }

    /// Lends the `X509` to other Verbund modules (TLS); the pointer must not escape `body`.
    package func withUnsafeX509<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try body(pointer)
    }
}
