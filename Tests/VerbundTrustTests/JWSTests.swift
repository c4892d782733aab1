import Foundation
import Testing
@testable import VerbundTrust

@Suite struct CompactJWSTests {
    @Test func rfc7515AppendixA3ParsesAndVerifies() throws {
        let jws = try CompactJWS(parsing: RFC7515A3.compact)
        #expect(jws.header.alg == "ES256")
        #expect(String(decoding: jws.payload, as: UTF8.self).hasPrefix("{\"iss\":\"joe\",\r\n \"exp\":1300819380"))
        try jws.verify(with: PublicKey(jwk: RFC7515A3.jwk))
        #expect(jws.serialized == RFC7515A3.compact)
        #expect(throws: JWSError.signatureInvalid) { try jws.verify(with: PrivateKey.generateP256().publicKey) }
    }

    @Test func signVerifyRoundTrip() throws {
        let key = try PrivateKey.generateP256()
        let payload = Array(#"{"agreement":"urn:uuid:1"}"#.utf8)
        let jws = try CompactJWS.sign(payload: payload, header: JWSHeader(kid: "k1", typ: "JOSE", cty: "json"), key: key)
        let parsed = try CompactJWS(parsing: jws.serialized)
        #expect(parsed == jws)
        #expect(parsed.payload == payload)
        #expect(parsed.header.kid == "k1")
        #expect(parsed.header.typ == "JOSE")
        #expect(parsed.header.cty == "json")
        try parsed.verify(with: key.publicKey)
    }

    @Test func tamperingIsDetected() throws {
        let key = try PrivateKey.generateP256()
        let jws = try CompactJWS.sign(payload: Array("pay".utf8), header: JWSHeader(kid: "k1"), key: key)
        let parts = jws.serialized.split(separator: ".").map(String.init)
        let otherPayload = Base64URL.encode(Array("PAY".utf8))
        let otherHeader = Base64URL.encode(Array(#"{"alg":"ES256","kid":"k2"}"#.utf8))
        var signature = Base64URL.decode(parts[2])!
        signature[63] ^= 0x01
        for forged in ["\(parts[0]).\(otherPayload).\(parts[2])",
                       "\(otherHeader).\(parts[1]).\(parts[2])",
                       "\(parts[0]).\(parts[1]).\(Base64URL.encode(signature))"] {
            let parsed = try CompactJWS(parsing: forged)
            #expect(throws: JWSError.signatureInvalid) { try parsed.verify(with: key.publicKey) }
        }
    }

    @Test func wrongLengthSignatureIsRefused() throws {
        let key = try PrivateKey.generateP256()
        let jws = try CompactJWS.sign(payload: [1], key: key)
        let parts = jws.serialized.split(separator: ".").map(String.init)
        let long = Base64URL.encode(Base64URL.decode(parts[2])! + [0])
        #expect(throws: JWSError.self) { try CompactJWS(parsing: "\(parts[0]).\(parts[1]).\(long)") }
        let der = Base64URL.encode(try ES256.derSignature(fromRaw: Base64URL.decode(parts[2])!))
        #expect(throws: JWSError.self) { try CompactJWS(parsing: "\(parts[0]).\(parts[1]).\(der)") }
    }

    @Test func otherAlgorithmsAndCritAreRefused() throws {
        let payload = Base64URL.encode(Array("x".utf8))
        let signature = Base64URL.encode([UInt8](repeating: 1, count: 64))
        func token(_ header: String) -> String { "\(Base64URL.encode(Array(header.utf8))).\(payload).\(signature)" }
        #expect(throws: JWSError.unsupportedAlgorithm("none")) { try CompactJWS(parsing: token(#"{"alg":"none"}"#)) }
        #expect(throws: JWSError.unsupportedAlgorithm("none")) {
            try CompactJWS(parsing: "\(Base64URL.encode(Array(#"{"alg":"none"}"#.utf8))).\(payload).")
        }
        #expect(throws: JWSError.unsupportedAlgorithm("HS256")) { try CompactJWS(parsing: token(#"{"alg":"HS256"}"#)) }
        #expect(throws: JWSError.unsupportedAlgorithm("RS256")) { try CompactJWS(parsing: token(#"{"alg":"RS256"}"#)) }
        #expect(throws: JWSError.unsupportedCriticalHeader(["exp"])) {
            try CompactJWS(parsing: token(#"{"alg":"ES256","crit":["exp"],"exp":1}"#))
        }
        #expect(throws: JWSError.self) { try CompactJWS(parsing: token(#"{"kid":"x"}"#)) }
        #expect(throws: JWSError.self) { try CompactJWS(parsing: token(#"["ES256"]"#)) }
    }

    @Test func malformedSerializationsAreRefused() {
        for text in ["", "a.b", "a.b.c.d", "!!.e30.AA", "\(RFC7515A3.header).***.\(RFC7515A3.signature)",
                     "\(RFC7515A3.header)=.\(RFC7515A3.payload).\(RFC7515A3.signature)"] {
            #expect(throws: JWSError.self) { try CompactJWS(parsing: text) }
        }
    }

    @Test func x5cCarriesTheChainAndVerifies() throws {
        let pki = try TestPKI()
        let member = try pki.member("signer")
        let header = JWSHeader(kid: member.certificate.fingerprintSHA256, certificateChain: [member.certificate, pki.root])
        let jws = try CompactJWS.sign(payload: Array("registry".utf8), header: header, key: member.key)
        let parsed = try CompactJWS(parsing: jws.serialized)
        // RFC 7515 §4.1.6: standard base64 (not base64url) DER.
        #expect(parsed.header.x5c?.first == Data(member.certificate.der).base64EncodedString())
        #expect(try parsed.verifyWithX5C() == [member.certificate, pki.root])

        // Signed by someone else while claiming the member's certificate.
        let impostor = try CompactJWS.sign(payload: Array("registry".utf8), header: header, key: PrivateKey.generateP256())
        #expect(throws: JWSError.signatureInvalid) { try impostor.verifyWithX5C() }
        #expect(throws: JWSError.self) { try CompactJWS.sign(payload: [1], key: member.key).verifyWithX5C() }
    }
}

@Suite struct GeneralJWSTests {
    @Test func twoSignersEachVerify() throws {
        let provider = try PrivateKey.generateP256()
        let consumer = try PrivateKey.generateP256()
        var jws = GeneralJWS(payload: Array(#"{"@type":"Agreement"}"#.utf8))
        try jws.addSignature(header: JWSHeader(kid: "provider"), key: provider)
        let afterFirst = try jws.json()

        // The consumer receives the JSON, countersigns; the provider's signature is untouched.
        var received = try GeneralJWS(json: afterFirst)
        try received.addSignature(header: JWSHeader(kid: "consumer"), key: consumer)
        let final = try GeneralJWS(json: received.json())
        #expect(final.signatures.count == 2)
        #expect(final.signatures[0] == jws.signatures[0])
        #expect(final.signatures.map { $0.header.kid } == ["provider", "consumer"])
        try final.verify(signatureAt: 0, with: provider.publicKey)
        try final.verify(signatureAt: 1, with: consumer.publicKey)
        #expect(throws: JWSError.signatureInvalid) { try final.verify(signatureAt: 0, with: consumer.publicKey) }
        #expect(throws: JWSError.noSuchSignature(2)) { try final.verify(signatureAt: 2, with: consumer.publicKey) }
        try final.compact(signatureAt: 1).verify(with: consumer.publicKey)
    }

    @Test func oneTamperedSignatureIsDetected() throws {
        let first = try PrivateKey.generateP256()
        let second = try PrivateKey.generateP256()
        var jws = GeneralJWS(payload: Array("contract".utf8))
        try jws.addSignature(key: first)
        try jws.addSignature(key: second)
        var object = try #require(JSONSerialization.jsonObject(with: Data(jws.json())) as? [String: Any])
        var signatures = try #require(object["signatures"] as? [[String: Any]])
        var raw = try #require(Base64URL.decode(signatures[1]["signature"] as! String))
        raw[0] ^= 0x01
        signatures[1]["signature"] = Base64URL.encode(raw)
        object["signatures"] = signatures
        let tampered = try GeneralJWS(json: [UInt8](JSONSerialization.data(withJSONObject: object)))
        try tampered.verify(signatureAt: 0, with: first.publicKey)
        #expect(throws: JWSError.signatureInvalid) { try tampered.verify(signatureAt: 1, with: second.publicKey) }

        // A changed payload breaks both.
        object["payload"] = Base64URL.encode(Array("contracT".utf8))
        let changed = try GeneralJWS(json: [UInt8](JSONSerialization.data(withJSONObject: object)))
        #expect(throws: JWSError.signatureInvalid) { try changed.verify(signatureAt: 0, with: first.publicKey) }
    }

    @Test func rfcVectorInFlattenedAndCompactForms() throws {
        let key = try PublicKey(jwk: RFC7515A3.jwk)
        let flattened = #"{"payload":"\#(RFC7515A3.payload)","protected":"\#(RFC7515A3.header)","signature":"\#(RFC7515A3.signature)"}"#
        try GeneralJWS(json: flattened).verify(signatureAt: 0, with: key)
        let general = GeneralJWS(try CompactJWS(parsing: RFC7515A3.compact))
        try GeneralJWS(json: general.json()).verify(signatureAt: 0, with: key)
    }

    @Test func x5cPerSignature() throws {
        let pki = try TestPKI()
        let a = try pki.member("a")
        let b = try pki.member("b")
        var jws = GeneralJWS(payload: [1, 2, 3])
        try jws.addSignature(header: JWSHeader(certificateChain: [a.certificate]), key: a.key)
        try jws.addSignature(header: JWSHeader(certificateChain: [b.certificate]), key: b.key)
        #expect(try jws.verifyWithX5C(signatureAt: 0) == [a.certificate])
        #expect(try jws.verifyWithX5C(signatureAt: 1) == [b.certificate])
    }

    @Test func badJSONIsRefused() throws {
        let none = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8))
        let sig = Base64URL.encode([UInt8](repeating: 1, count: 64))
        let cases = [
            "not json",
            #"{"signatures":[]}"#,
            #"{"payload":"AA","signatures":[]}"#,
            #"{"payload":"AA","signatures":[{"protected":"\#(none)","signature":"\#(sig)"}]}"#,
            #"{"payload":"AA","signatures":[{"signature":"\#(sig)"}]}"#,
            #"{"payload":"AA","signatures":[{"protected":"\#(RFC7515A3.header)","signature":"AAAA"}]}"#,
            #"{"payload":"A","signatures":[{"protected":"\#(RFC7515A3.header)","signature":"\#(sig)"}]}"#,
        ]
        for text in cases {
            #expect(throws: JWSError.self) { try GeneralJWS(json: text) }
        }
    }
}
