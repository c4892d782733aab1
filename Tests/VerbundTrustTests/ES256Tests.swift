import Foundation
import Testing
@testable import VerbundTrust

/// RFC 7515 Appendix A.3: the EC P-256 public key and the ES256 compact JWS.
enum RFC7515A3 {
    static let jwk = JWK(x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")
    static let header = "eyJhbGciOiJFUzI1NiJ9"
    static let payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    static let signature = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
    static var compact: String { "\(header).\(payload).\(signature)" }
}

@Suite struct ES256Tests {
    @Test func rfc7515AppendixA3Verifies() throws {
        let key = try PublicKey(jwk: RFC7515A3.jwk)
        let input = Array("\(RFC7515A3.header).\(RFC7515A3.payload)".utf8)
        let signature = try #require(Base64URL.decode(RFC7515A3.signature))
        #expect(signature.count == 64)
        #expect(ES256.verify(signature, for: input, with: key))
        var flipped = signature
        flipped[10] ^= 0x80
        #expect(!ES256.verify(flipped, for: input, with: key))
        #expect(!ES256.verify(signature, for: input + [0x20], with: key))
    }

    @Test func jwkRoundTrip() throws {
        let key = try PublicKey(jwk: RFC7515A3.jwk)
        #expect(try key.jwk() == RFC7515A3.jwk)
        #expect(try key.jwk(kid: "k1").kid == "k1")
        let fresh = try PrivateKey.generateP256().publicKey
        #expect(try PublicKey(jwk: fresh.jwk()) == fresh)
    }

    @Test func badJWKsAreRefused() throws {
        var offCurve = RFC7515A3.jwk
        offCurve.y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5b0"
        #expect(throws: (any Error).self) { try PublicKey(jwk: offCurve) }
        var short = RFC7515A3.jwk
        short.x = Base64URL.encode([UInt8](repeating: 1, count: 31))
        #expect(throws: TrustError.self) { try PublicKey(jwk: short) }
        var wrongCurve = RFC7515A3.jwk
        wrongCurve.crv = "P-384"
        #expect(throws: TrustError.self) { try PublicKey(jwk: wrongCurve) }
        var wrongType = RFC7515A3.jwk
        wrongType.kty = "RSA"
        #expect(throws: TrustError.self) { try PublicKey(jwk: wrongType) }
    }

    @Test func signVerifyRoundTripIsRaw64Bytes() throws {
        let key = try PrivateKey.generateP256()
        let message = Array("Verbund contract".utf8)
        for _ in 0..<20 {  // r or s with leading zero bytes show up within a few runs; padding must keep 64
            let signature = try ES256.sign(message, with: key)
            #expect(signature.count == 64)
            #expect(ES256.verify(signature, for: message, with: try key.publicKey))
        }
        let signature = try ES256.sign(message, with: key)
        #expect(!ES256.verify(signature, for: message, with: try PrivateKey.generateP256().publicKey))
    }

    @Test func otherLengthsAndDERAreRejected() throws {
        let key = try PrivateKey.generateP256()
        let message = Array("m".utf8)
        let raw = try ES256.sign(message, with: key)
        let der = try ES256.derSignature(fromRaw: raw)
        #expect(try ES256.rawSignature(fromDER: der) == raw)
        #expect(!ES256.verify(der, for: message, with: try key.publicKey))
        #expect(!ES256.verify(Array(raw.prefix(63)), for: message, with: try key.publicKey))
        #expect(!ES256.verify(raw + [0], for: message, with: try key.publicKey))
        #expect(!ES256.verify([UInt8](repeating: 0, count: 64), for: message, with: try key.publicKey))
        #expect(!ES256.verify([], for: message, with: try key.publicKey))
    }

    @Test func nonP256KeysAreRefused() throws {
        let dir = try TemporaryDirectory()
        _ = try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.key"], in: dir.path)
        let p384 = try PrivateKey(pem: String(contentsOfFile: dir.file("p384.key"), encoding: .utf8))
        #expect(throws: TrustError.self) { try ES256.sign([1, 2, 3], with: p384) }
        #expect(throws: TrustError.self) { try p384.publicKey.jwk() }
    }

    @Test func opensslVerifiesOurSignature() throws {
        let dir = try TemporaryDirectory()
        let key = try PrivateKey.generateP256()
        let message = Array("interop".utf8)
        let raw = try ES256.sign(message, with: key)
        try Data(message).write(to: URL(fileURLWithPath: dir.file("msg")))
        try Data(try ES256.derSignature(fromRaw: raw)).write(to: URL(fileURLWithPath: dir.file("sig.der")))
        _ = try dir.write("pub.pem", try key.publicKey.pem)
        let result = try openssl(["dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "msg"], in: dir.path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("Verified OK"))
    }
}
