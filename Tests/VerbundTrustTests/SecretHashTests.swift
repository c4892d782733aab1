import Testing
@testable import VerbundTrust

@Suite struct SecretHashTests {
    // PBKDF2-HMAC-SHA256 vectors (RFC 8018 §5.2 with HMAC-SHA256), the RFC 6070 inputs with SHA-256 in place of SHA-1;
    // the expected keys were computed with Python's hashlib.pbkdf2_hmac, and AccountSecretCheckerTests recomputes
    // fresh ones with it while the suite runs.
    @Test func knownVectors() throws {
        let one = try SecretHash.derive(secret: Array("password".utf8), salt: Array("salt".utf8), iterations: 1, length: 32)
        #expect(Hex.encode(one) == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        let many = try SecretHash.derive(secret: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096, length: 32)
        #expect(Hex.encode(many) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        let long = try SecretHash.derive(secret: Array("passwordPASSWORDpassword".utf8),
                                         salt: Array("saltSALTsaltSALTsaltSALTsaltSALTsalt".utf8), iterations: 4096, length: 40)
        #expect(Hex.encode(long) == "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9")
    }

    @Test func defaultIterationsVector() throws {
        let key = try SecretHash.derive(secret: Array("Rathaus-Geheimnis".utf8), salt: Array(0..<16),
                                        iterations: SecretHash.defaultIterations, length: 32)
        #expect(Hex.encode(key) == "df4754bbbf9e806e15fdaa0042fdf1b2528e578baeb5faddc7d0be5ea206446a")
    }

    @Test func madeHashMatchesOnlyItsSecret() throws {
        let hash = try SecretHash.make(secret: Array("richtig".utf8), iterations: 1000)
        #expect(hash.salt.count == 16)
        #expect(hash.key.count == 32)
        #expect(hash.matches(secret: Array("richtig".utf8)))
        #expect(!hash.matches(secret: Array("Richtig".utf8)))
        #expect(!hash.matches(secret: []))
        let other = try SecretHash.make(secret: Array("richtig".utf8), iterations: 1000)
        #expect(other.salt != hash.salt, "every hash draws its own salt")
        #expect(!hash.encoded.contains("richtig"))
    }

    @Test func storedTextRoundTrips() throws {
        let hash = try SecretHash.make(secret: Array("s".utf8), iterations: 2000)
        let read = try #require(SecretHash(encoded: hash.encoded))
        #expect(read == hash)
        #expect(read.matches(secret: Array("s".utf8)))
        #expect(hash.encoded.hasPrefix("pbkdf2-sha256$2000$"))
    }

    @Test func hostileStoredTextsAreRefused() {
        let salt = String(repeating: "ab", count: 16), key = String(repeating: "cd", count: 32)
        for text in [
            "", "pbkdf2-sha256", "pbkdf2-sha1$1000$\(salt)$\(key)", "pbkdf2-sha256$0$\(salt)$\(key)",
            "pbkdf2-sha256$99999999$\(salt)$\(key)", "pbkdf2-sha256$-5$\(salt)$\(key)", "pbkdf2-sha256$+5$\(salt)$\(key)",
            "pbkdf2-sha256$1000$abcd$\(key)", "pbkdf2-sha256$1000$\(salt)$abcd", "pbkdf2-sha256$1000$\(salt)$\(key)$x",
            "pbkdf2-sha256$1000$zz\(salt.dropFirst(2))$\(key)", "pbkdf2-sha256$1000$\(salt)$\(key)" + String(repeating: "0", count: 400),
        ] {
            #expect(SecretHash(encoded: text) == nil, "\(text)")
        }
        #expect(SecretHash(encoded: "pbkdf2-sha256$1000$\(salt)$\(key)") != nil)
    }

    @Test func constantTimeComparison() {
        #expect(SecretHash.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!SecretHash.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!SecretHash.constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(SecretHash.constantTimeEqual([], []))
    }

    @Test func derivationBoundsAreEnforced() {
        #expect(throws: OpenSSLError.self) { try SecretHash.derive(secret: [1], salt: [1], iterations: 0, length: 32) }
        #expect(throws: OpenSSLError.self) { try SecretHash.derive(secret: [1], salt: [1], iterations: 1, length: 0) }
    }
}
