import COpenSSL
import Foundation

/// A public key held by OpenSSL (`EVP_PKEY`), from a certificate, a CSR, SPKI PEM/DER or a JWK.
///
/// Immutable, so it is safe to share between threads. Equal when their SubjectPublicKeyInfo DER is equal.
package final class PublicKey: @unchecked Sendable, Equatable, Hashable {
    private let pointer: OpaquePointer
    /// SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7), kept because equality and fingerprints use it.
    package let der: [UInt8]

    /// Takes ownership of an `EVP_PKEY`.
    init(takingOwnership pointer: OpaquePointer) throws {
        self.pointer = pointer
        do {
            der = try derEncoded("the public key") { i2d_PUBKEY(pointer, &$0) }
        } catch {
            EVP_PKEY_free(pointer)
            throw error
        }
    }

    deinit { EVP_PKEY_free(pointer) }

    /// Parses SubjectPublicKeyInfo DER.
    package convenience init(der: [UInt8]) throws {
        let key = try derDecoded("public key", der, free: { EVP_PKEY_free($0) }) { d2i_PUBKEY(nil, &$0, $1) }
        try self.init(takingOwnership: key)
    }

    /// Parses SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`).
    package convenience init(pem: String) throws {
        let bio = try MemoryBIO(copying: Array(pem.utf8))
        guard let key = PEM_read_bio_PUBKEY(bio.pointer, nil, nil, nil) else {
            throw OpenSSLError.drain("reading the public key PEM")
        }
        try self.init(takingOwnership: key)
    }

    /// Takes a new reference to a borrowed `EVP_PKEY` (e.g. from `X509_get0_pubkey`).
    static func retaining(_ borrowed: OpaquePointer) throws -> PublicKey {
        guard EVP_PKEY_up_ref(borrowed) == 1 else { throw OpenSSLError.drain("referencing a public key") }
        return try PublicKey(takingOwnership: borrowed)
    }

    /// SubjectPublicKeyInfo PEM.
    package var pem: String {
        let body = Data64.wrap(der)
        return "-----BEGIN PUBLIC KEY-----\n\(body)-----END PUBLIC KEY-----\n"
    }

    /// Algorithm and size.
    package var kind: KeyKind { KeyKind(evpKey: pointer) }

    /// SHA-256 of the SubjectPublicKeyInfo DER, lowercase hex.
    package var fingerprintSHA256: String { SHA256.hexHash(der) }

    package static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.der == rhs.der }
    package func hash(into hasher: inout Hasher) { hasher.combine(der) }

    /// Lends the `EVP_PKEY` to other Verbund modules; the pointer must not escape `body`.
    package func withUnsafeEVPKey<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try body(pointer)
    }
}
