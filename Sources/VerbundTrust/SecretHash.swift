import COpenSSL

/// An account secret as it is stored: PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) over the secret with a random salt.
///
/// The stored text is `pbkdf2-sha256$<iterations>$<salt hex>$<key hex>`; the secret itself is never kept.
/// Iterations default to 600 000, the figure OWASP's password storage guidance gives for PBKDF2-HMAC-SHA256;
/// the salt is 16 bytes from OpenSSL's `RAND_bytes`, the derived key 32 bytes (one SHA-256 block).
/// Reading a stored text is bounded (iterations 1 ... 10 000 000, salt 16 ... 64 bytes, key 32 bytes), so a
/// tampered store cannot make a login run for minutes.
package struct SecretHash: Sendable, Equatable {
    package static let scheme = "pbkdf2-sha256"
    package static let defaultIterations = 600_000
    package static let saltByteCount = 16
    package static let keyByteCount = 32
    package static let iterationRange = 1...10_000_000

    package let iterations: Int
    package let salt: [UInt8]
    package let key: [UInt8]

    /// Hashes `secret` with a fresh random salt.
    package static func make(secret: [UInt8], iterations: Int = defaultIterations) throws -> SecretHash {
        let salt = try SecretHash.randomBytes(saltByteCount, purpose: "drawing a salt for an account secret")
        return SecretHash(iterations: iterations, salt: salt,
                          key: try derive(secret: secret, salt: salt, iterations: iterations, length: keyByteCount))
    }

    package init(iterations: Int, salt: [UInt8], key: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.key = key
    }

    /// True when `secret` derives the stored key; the comparison takes the same time wherever the keys differ.
    package func matches(secret: [UInt8]) -> Bool {
        guard let derived = try? SecretHash.derive(secret: secret, salt: salt, iterations: iterations,
                                                  length: key.count), derived.count == key.count else { return false }
        return SecretHash.constantTimeEqual(derived, key)
    }

    /// The stored text.
    package var encoded: String {
        "\(SecretHash.scheme)$\(iterations)$\(Hex.encode(salt))$\(Hex.encode(key))"
    }

    /// Reads a stored text; nil for anything that is not exactly the form `encoded` writes, within the bounds.
    package init?(encoded text: String) {
        guard text.utf8.count <= 400 else { return nil }
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == SecretHash.scheme,
              parts[1].utf8.count <= 8, parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let iterations = Int(parts[1]), SecretHash.iterationRange.contains(iterations),
              let salt = Hex.decode(String(parts[2])), (SecretHash.saltByteCount...64).contains(salt.count),
              let key = Hex.decode(String(parts[3])), key.count == SecretHash.keyByteCount
        else { return nil }
        self.init(iterations: iterations, salt: salt, key: key)
    }

    /// PBKDF2-HMAC-SHA256 through OpenSSL's `PKCS5_PBKDF2_HMAC`.
    package static func derive(secret: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws -> [UInt8] {
        guard iterationRange.contains(iterations), (1...1024).contains(length) else {
            throw OpenSSLError(operation: "deriving an account key (iterations \(iterations), length \(length) out of bounds)",
                               queue: [])
        }
        var out = [UInt8](repeating: 0, count: length)
        let status = secret.withUnsafeBufferPointer { secretBytes in
            salt.withUnsafeBufferPointer { saltBytes in
                secretBytes.withMemoryRebound(to: CChar.self) { secretChars in
                    PKCS5_PBKDF2_HMAC(secretChars.baseAddress, Int32(secretChars.count),
                                      saltBytes.baseAddress, Int32(saltBytes.count), Int32(iterations),
                                      EVP_sha256(), Int32(length), &out)
                }
            }
        }
        guard status == 1 else { throw OpenSSLError.drain("deriving an account key with PBKDF2-HMAC-SHA256") }
        return out
    }

    /// `CRYPTO_memcmp`: time independent of where two equally long byte strings differ.
    package static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    package static func randomBytes(_ count: Int, purpose: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { throw OpenSSLError.drain(purpose) }
        return bytes
    }
}
