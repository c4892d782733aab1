import Foundation
import VerbundJSON

/// One signature of a general JSON JWS (RFC 7515 §7.2.1): its protected header and r‖s signature.
package struct JWSSignature: Sendable, Equatable {
    package let header: JWSHeader
    /// base64url header and signature exactly as received or produced.
    package let encodedHeader: String
    package let encodedSignature: String

    /// The raw r‖s signature.
    package var signature: [UInt8] { Base64URL.decode(encodedSignature) ?? [] }
}

/// A JWS in general JSON serialization (RFC 7515 §7.2.1): one payload, any number of ES256 signatures, so a second
/// party can countersign the same bytes later. Unprotected per-signature `header` members are not kept.
package struct GeneralJWS: Sendable, Equatable {
    package let payload: [UInt8]
    /// base64url payload as received or produced.
    package let encodedPayload: String
    package private(set) var signatures: [JWSSignature]

    /// An unsigned JWS over `payload`; add signatures with `addSignature`.
    package init(payload: [UInt8]) {
        self.payload = payload
        encodedPayload = Base64URL.encode(payload)
        signatures = []
    }

    /// The general form of a compact JWS (same bytes, same signature).
    package init(_ compact: CompactJWS) {
        payload = compact.payload
        encodedPayload = compact.encodedPayload
        signatures = [JWSSignature(header: compact.header, encodedHeader: compact.encodedHeader,
                                   encodedSignature: compact.encodedSignature)]
    }

    /// Parses general JSON (§7.2.1), or flattened JSON (§7.2.2) as a single signature. Every signature's header
    /// must pass the ES256 and `crit` rules; signatures are not verified here.
    package init(json: [UInt8]) throws {
        let wire: Wire
        do {
            _ = try CanonicalJSON.parsePeerJSON(json)  // duplicate names are refused (RFC 7515 §7.2.1)
            wire = try JSONDecoder().decode(Wire.self, from: Data(json))
        } catch {
            throw JWSError.malformed("not a JWS JSON object: \(error)")
        }
        guard let payload = Base64URL.decode(wire.payload) else { throw JWSError.malformed("the payload is not base64url") }
        var entries = wire.signatures ?? []
        if let protected = wire.protected, let signature = wire.signature {
            guard wire.signatures == nil else { throw JWSError.malformed("both \"signatures\" and flattened members present") }
            entries = [Wire.Entry(protected: protected, signature: signature)]
        }
        guard !entries.isEmpty else { throw JWSError.malformed("no signatures") }
        self.payload = payload
        encodedPayload = wire.payload
        signatures = try entries.enumerated().map { index, entry in
            guard let protected = entry.protected else { throw JWSError.malformed("signature \(index) has no protected header") }
            let header = try JWSHeader.decode(encoded: protected)
            guard let raw = Base64URL.decode(entry.signature), raw.count == ES256.signatureByteCount else {
                throw JWSError.malformed("signature \(index) is not a 64-byte base64url ES256 signature")
            }
            return JWSSignature(header: header, encodedHeader: protected, encodedSignature: entry.signature)
        }
    }

    /// Parses general or flattened JSON text.
    package init(json: String) throws { try self.init(json: Array(json.utf8)) }

    /// Signs the payload with `key` under `header` and appends the signature; earlier signatures are untouched.
    package mutating func addSignature(header: JWSHeader = JWSHeader(), key: PrivateKey) throws {
        let encodedHeader = try header.encoded()
        let signature = try ES256.sign(jwsSigningInput(header: encodedHeader, payload: encodedPayload), with: key)
        signatures.append(JWSSignature(header: header, encodedHeader: encodedHeader, encodedSignature: Base64URL.encode(signature)))
    }

    /// The general JSON serialization.
    package func json() throws -> [UInt8] {
        let wire = Wire(payload: encodedPayload,
                        signatures: signatures.map { Wire.Entry(protected: $0.encodedHeader, signature: $0.encodedSignature) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [UInt8](try encoder.encode(wire))
    }

    /// Verifies signature `index` with `key`.
    package func verify(signatureAt index: Int, with key: PublicKey) throws {
        let entry = try signature(at: index)
        let input = jwsSigningInput(header: entry.encodedHeader, payload: encodedPayload)
        guard ES256.verify(entry.signature, for: input, with: key) else { throw JWSError.signatureInvalid }
    }

    /// Verifies signature `index` with its own `x5c` leaf key and returns that chain for the caller to chain-verify.
    package func verifyWithX5C(signatureAt index: Int) throws -> [Certificate] {
        let chain = try signature(at: index).header.certificateChain()
        try verify(signatureAt: index, with: chain[0].publicKey)
        return chain
    }

    /// Signature `index` in compact form (RFC 7515 §7.1 carries one signature).
    package func compact(signatureAt index: Int) throws -> CompactJWS {
        let entry = try signature(at: index)
        return CompactJWS(header: entry.header, payload: payload, encodedHeader: entry.encodedHeader,
                          encodedPayload: encodedPayload, encodedSignature: entry.encodedSignature)
    }

    private func signature(at index: Int) throws -> JWSSignature {
        guard signatures.indices.contains(index) else { throw JWSError.noSuchSignature(index) }
        return signatures[index]
    }

    /// JSON members of §7.2.1 and §7.2.2.
    private struct Wire: Codable {
        struct Entry: Codable {
            var protected: String?
            var signature: String
        }
        var payload: String
        var signatures: [Entry]?
        var protected: String? = nil
        var signature: String? = nil
    }
}
