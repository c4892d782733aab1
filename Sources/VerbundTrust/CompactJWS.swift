/// A JWS in compact serialization (RFC 7515 §7.1): `header.payload.signature`, one ES256 signature.
package struct CompactJWS: Sendable, Equatable, CustomStringConvertible {
    package let header: JWSHeader
    package let payload: [UInt8]
    /// The three base64url parts as received or produced; verification uses these, not re-encoded values.
    let encodedHeader: String
    let encodedPayload: String
    let encodedSignature: String

    /// Parses a compact JWS; refuses anything but exactly three parts, a non-ES256 `alg`, or a `crit` header.
    package init(parsing text: String) throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { throw JWSError.malformed("compact serialization needs 3 parts, found \(parts.count)") }
        header = try JWSHeader.decode(encoded: parts[0])
        guard let payload = Base64URL.decode(parts[1]) else { throw JWSError.malformed("the payload is not base64url") }
        guard let signature = Base64URL.decode(parts[2]) else { throw JWSError.malformed("the signature is not base64url") }
        guard signature.count == ES256.signatureByteCount else {
            throw JWSError.malformed("an ES256 signature has 64 bytes, this one \(signature.count)")
        }
        self.payload = payload
        encodedHeader = parts[0]
        encodedPayload = parts[1]
        encodedSignature = parts[2]
    }

    init(header: JWSHeader, payload: [UInt8], encodedHeader: String, encodedPayload: String, encodedSignature: String) {
        self.header = header
        self.payload = payload
        self.encodedHeader = encodedHeader
        self.encodedPayload = encodedPayload
        self.encodedSignature = encodedSignature
    }

    /// Signs `payload` with `key` under `header`.
    package static func sign(payload: [UInt8], header: JWSHeader = JWSHeader(), key: PrivateKey) throws -> CompactJWS {
        let encodedHeader = try header.encoded()
        let encodedPayload = Base64URL.encode(payload)
        let signature = try ES256.sign(jwsSigningInput(header: encodedHeader, payload: encodedPayload), with: key)
        return CompactJWS(header: header, payload: payload, encodedHeader: encodedHeader, encodedPayload: encodedPayload,
                          encodedSignature: Base64URL.encode(signature))
    }

    /// The compact serialization.
    package var serialized: String { "\(encodedHeader).\(encodedPayload).\(encodedSignature)" }
    package var description: String { serialized }

    /// The raw r‖s signature.
    package var signature: [UInt8] { Base64URL.decode(encodedSignature) ?? [] }

    /// Verifies the signature with `key`; throws `JWSError.signatureInvalid` if it does not match.
    package func verify(with key: PublicKey) throws {
        let input = jwsSigningInput(header: encodedHeader, payload: encodedPayload)
        guard ES256.verify(signature, for: input, with: key) else { throw JWSError.signatureInvalid }
    }

    /// Verifies the signature with the public key of the first `x5c` certificate and returns the whole `x5c` chain.
    /// This proves only that the holder of that certificate's key signed: the caller must still verify the chain
    /// (e.g. with `ChainVerifier`) before trusting it.
    package func verifyWithX5C() throws -> [Certificate] {
        let chain = try header.certificateChain()
        try verify(with: chain[0].publicKey)
        return chain
    }
}
