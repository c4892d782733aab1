import Foundation
import VerbundJSON

/// The JOSE protected header of a Verbund JWS (RFC 7515 §4.1). `alg` is always ES256.
package struct JWSHeader: Codable, Sendable, Equatable {
    /// The only algorithm Verbund signs or accepts.
    package static let algorithm = "ES256"

    package private(set) var alg: String
    /// Key id (RFC 7515 §4.1.4), e.g. the signer's certificate fingerprint.
    package var kid: String?
    /// The signer's certificate chain, leaf first, each standard base64 (not base64url) DER (RFC 7515 §4.1.6).
    package var x5c: [String]?
    package var typ: String?
    package var cty: String?
    /// Extensions the producer requires the verifier to understand; any entry makes Verbund refuse the JWS.
    package private(set) var crit: [String]?

    package init(kid: String? = nil, certificateChain: [Certificate] = [], typ: String? = nil, cty: String? = nil) {
        alg = Self.algorithm
        self.kid = kid
        x5c = certificateChain.isEmpty ? nil : certificateChain.map { Data($0.der).base64EncodedString() }
        self.typ = typ
        self.cty = cty
    }

    /// The `x5c` certificates, leaf first. The caller must chain-verify them before trusting the leaf's key.
    package func certificateChain() throws -> [Certificate] {
        guard let x5c, !x5c.isEmpty else { throw JWSError.certificateChain("the header has no x5c member") }
        return try x5c.enumerated().map { index, text in
            guard let der = Data(base64Encoded: text) else {
                throw JWSError.certificateChain("x5c[\(index)] is not standard base64")
            }
            do {
                return try Certificate(der: [UInt8](der))
            } catch {
                throw JWSError.certificateChain("x5c[\(index)] is not a DER certificate: \(error)")
            }
        }
    }

    /// Decodes a received base64url protected header and enforces the algorithm and `crit` rules.
    static func decode(encoded: String) throws -> JWSHeader {
        guard let json = Base64URL.decode(encoded), !json.isEmpty else {
            throw JWSError.malformed("the protected header is not base64url")
        }
        let header: JWSHeader
        do {
            _ = try CanonicalJSON.parsePeerJSON(json)  // duplicate names (e.g. two "alg") are refused (RFC 7515 §4)
            header = try JSONDecoder().decode(JWSHeader.self, from: Data(json))
        } catch {
            throw JWSError.malformed("the protected header is not a JSON object with a string \"alg\": \(error)")
        }
        guard header.alg == algorithm else { throw JWSError.unsupportedAlgorithm(header.alg) }
        if let crit = header.crit { throw JWSError.unsupportedCriticalHeader(crit) }
        return header
    }

    /// base64url of the header's JSON, the form that is signed.
    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Base64URL.encode(try encoder.encode(self))
    }
}

/// The JWS Signing Input, `ASCII(BASE64URL(header) || '.' || BASE64URL(payload))` (RFC 7515 §5.1 step 5),
/// built from the encoded parts exactly as received, never from re-serialised JSON.
func jwsSigningInput(header: String, payload: String) -> [UInt8] {
    Array(header.utf8) + [UInt8(ascii: ".")] + Array(payload.utf8)
}
