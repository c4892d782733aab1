import Testing
@testable import VerbundTrust

@Suite struct SHA256Tests {
    // FIPS 180-2 Appendix B.1 / B.2 test vectors.
    @Test func abc() {
        #expect(SHA256.hexHash(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessage() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hexHash(message) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func emptyInput() {
        #expect(SHA256.hexHash([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func streamingMatchesOneShot() {
        let data = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var stream = SHA256Stream()
        var index = 0
        while index < data.count {
            let end = min(index + 65_537, data.count)
            stream.update(data[index..<end])
            index = end
        }
        #expect(stream.finalize() == SHA256.hash(data))
    }
}

@Suite struct EncodingTests {
    @Test func base64URLRoundTrip() {
        let bytes: [UInt8] = [0xfb, 0xff, 0x00, 0x3e, 0x3f]
        let text = Base64URL.encode(bytes)
        #expect(text == "-_8APj8")
        #expect(Base64URL.decode(text) == bytes)
    }

    @Test func base64URLRejectsPaddingAndForeignCharacters() {
        #expect(Base64URL.decode("AAA=") == nil)
        #expect(Base64URL.decode("AA+A") == nil)
        #expect(Base64URL.decode("A") == nil)
        // "AB" leaves non-zero unused bits; only "AA" is the canonical spelling of [0x00].
        #expect(Base64URL.decode("AB") == nil)
        #expect(Base64URL.decode("AA") == [0x00])
    }

    /// RFC 4648 §10 test vectors, without their padding (base64url has none) — the base64 and base64url alphabets agree
    /// on every character these use.
    @Test(arguments: [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
                      ("foobar", "Zm9vYmFy")])
    func base64URLMatchesRFC4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func base64URLUsesTheURLSafeAlphabetAndRoundTripsEveryLength() {
        // RFC 4648 §5: 62 and 63 are "-" and "_", never "+" and "/".
        #expect(Base64URL.encode([0xFB, 0xEF, 0xBE]) == "----")
        #expect(Base64URL.encode([0xFF, 0xFF, 0xFF]) == "____")
        #expect(Base64URL.decode("+/+/") == nil)
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("="))
            #expect(text.utf8.count == (length * 4 + 2) / 3)
            #expect(Base64URL.decode(text) == bytes)
        }
        // Every byte value through encode and back (also the slice and non-contiguous paths of `encode`).
        let all = (0...255).map(UInt8.init)
        #expect(Base64URL.decode(Base64URL.encode(all)) == all)
        #expect(Base64URL.encode(all[1...]) == Base64URL.encode(Array(all[1...])))
        #expect(Base64URL.encode(all.lazy.map { $0 }) == Base64URL.encode(all))
    }

    @Test func base64URLRejectsBadCharactersAnywhereAndNonCanonicalEndings() {
        for bad in ["Zm9v YmFy", "Zm9vYmF=", "Zm9v\nYmFy", "Zm9vYmFy=", "Zm9vY.Fy", "Zm9vYmFyé", "Zm9vY\u{0}Fy", "Zm9vYmFyZ"] {
            #expect(Base64URL.decode(bad) == nil, "\(bad)")
        }
        // "Zm9" encodes "fo" canonically; "Zm9" with any non-zero low bits in its last character is refused.
        #expect(Base64URL.decode("Zm8") == Array("fo".utf8))
        #expect(Base64URL.decode("Zm9") == nil)
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64URL.decode("Zg") == Array("f".utf8))
    }

    @Test func hexRoundTrip() {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(Hex.decode("00ABff") == [0x00, 0xab, 0xff])
        #expect(Hex.decode("0") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
