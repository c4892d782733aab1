import COpenSSL
import Foundation

/// A private key held by OpenSSL (`EVP_PKEY`). Verbund creates and signs with P-256 keys; other types can be
/// loaded for inspection.
///
/// Immutable after creation, so it is safe to share between threads.
package final class PrivateKey: @unchecked Sendable {
    private let pointer: OpaquePointer

    /// Takes ownership of an `EVP_PKEY` that holds private key material.
    init(takingOwnership pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { EVP_PKEY_free(pointer) }

    /// A fresh ECDSA P-256 key pair from OpenSSL's default random generator.
    package static func generateP256() throws -> PrivateKey {
        guard let key = shim_EVP_EC_gen_P256() else { throw OpenSSLError.drain("generating a P-256 key") }
        return PrivateKey(takingOwnership: key)
    }

    /// Reads a PEM private key: PKCS#8 (PEM label `PRIVATE KEY`) or a traditional format (labels `EC PRIVATE KEY`,
    /// `RSA PRIVATE KEY`). Encrypted keys are refused instead of prompting on the terminal.
    package convenience init(pem: String) throws {
        let bio = try MemoryBIO(copying: Array(pem.utf8))
        // A passphrase callback that refuses, so OpenSSL never reads a password from the tty.
        guard let key = PEM_read_bio_PrivateKey(bio.pointer, nil, { _, _, _, _ in 0 }, nil) else {
            throw OpenSSLError.drain("reading the private key PEM (encrypted keys are not supported; export it unencrypted)")
        }
        self.init(takingOwnership: key)
    }

    /// Reads a PEM private key file, refusing it unless only its owner can read it (mode 0600 or stricter).
    package convenience init(pemFile path: String) throws {
        let bytes = try KeyFile.readOwnerOnly(path)
        try self.init(pem: String(decoding: bytes, as: UTF8.self))
    }

    /// Algorithm and size.
    package var kind: KeyKind { KeyKind(evpKey: pointer) }

    /// The matching public key.
    package var publicKey: PublicKey {
        get throws {
            let der = try derEncoded("the public key") { i2d_PUBKEY(pointer, &$0) }
            return try PublicKey(der: der)
        }
    }

    /// PKCS#8 PEM (label `PRIVATE KEY`, RFC 5958), unencrypted.
    package func pkcs8PEM() throws -> String {
        let bio = try MemoryBIO()
        guard PEM_write_bio_PKCS8PrivateKey(bio.pointer, pointer, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLError.drain("writing the private key as PKCS#8 PEM")
        }
        return bio.string
    }

    /// Writes the key as PKCS#8 PEM to a new file created with mode 0600. Refuses to overwrite an existing file.
    package func write(toFile path: String) throws {
        try KeyFile.createOwnerOnly(path, contents: Array(try pkcs8PEM().utf8))
    }

    /// Lends the `EVP_PKEY` to other Verbund modules (TLS); the pointer must not escape `body`.
    package func withUnsafeEVPKey<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        try body(pointer)
    }
}
