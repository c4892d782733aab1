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

    @Test func hexRoundTrip() {
        #expect(Hex.encode([0x00, 0xab, 0xff]) == "00abff")
        #expect(Hex.decode("00ABff") == [0x00, 0xab, 0xff])
        #expect(Hex.decode("0") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
