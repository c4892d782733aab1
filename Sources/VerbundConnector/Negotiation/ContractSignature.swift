import Foundation
import VerbundDataspace
import VerbundFederation
import VerbundJSON
import VerbundTrust

/// The parties' signatures on an agreement (docs/auditor.md, "What is signed"): each is a compact JWS, ES256, with the
/// signer's certificate chain in `x5c` (RFC 7515 §4.1.6) and its certificate fingerprint as `kid` (§4.1.4). Its payload
/// is a JSON text of the agreement object. Verbund signs the canonical form (RFC 8785) of the agreement; a peer may sign
/// its own text of it (its key order, its spacing). A signature is accepted when it verifies over the payload it
/// carries and that payload is the same JSON value as the agreement received. The consumer countersigns the very
/// payload the provider signed, so both signatures join into one JWS in general JSON serialization (§7.2.1) — the
/// contract both sides keep.
enum ContractSignature {
    /// Signs `agreement` as this connector, over its canonical JSON.
    static func sign(_ agreement: Agreement, identity: ConnectorIdentity) throws -> String {
        try sign(payload: [UInt8](try agreement.signingPayload()), identity: identity)
    }

    /// Signs `payload` (the JSON text of an agreement) as this connector.
    static func sign(payload: [UInt8], identity: ConnectorIdentity) throws -> String {
        let header = JWSHeader(kid: identity.certificate.fingerprintSHA256, certificateChain: identity.certificateChain)
        return try CompactJWS.sign(payload: payload, header: header, key: identity.privateKey).serialized
    }

    /// What a consumer countersigns: the payload of the provider's (verified) signature, so both sign the same bytes;
    /// without one, the canonical JSON (RFC 8785) of the agreement as received, else Verbund's own encoding of it.
    static func countersignedPayload(providerSignature: String?, agreement: Agreement, received: JSONValue?) throws -> [UInt8] {
        if let providerSignature, let jws = try? CompactJWS(parsing: providerSignature) { return jws.payload }
        if let received, let canonical = try? CanonicalJSON.encode(received) { return canonical }
        return [UInt8](try agreement.signingPayload())
    }

    /// The agreement as a JSON value: as received when known, else as Verbund encodes it.
    static func jsonValue(of agreement: Agreement, received: JSONValue? = nil) throws(ContractSignatureError) -> JSONValue {
        if let received { return received }
        do {
            return try CanonicalJSON.parsePeerJSON([UInt8](try agreement.signingPayload()))
        } catch {
            throw .malformed("the agreement cannot be encoded: \(error)")
        }
    }

    /// Checks that `signature` verifies over the payload it carries, that this payload is the same JSON value as
    /// `agreement` (member order and spacing do not matter; duplicate names are refused), with a certificate that chains
    /// to the federation root, is not revoked, is listed in the registry held now for an active member, and that this
    /// member is `expectedMember` (the party the agreement names). Returns the signer.
    @discardableResult
    static func verify(_ signature: String, of agreement: JSONValue, by expectedMember: String, trust: FederationTrust,
                       at now: Date) throws(ContractSignatureError) -> Member {
        let jws: CompactJWS
        do {
            jws = try CompactJWS(parsing: signature)
        } catch {
            throw .malformed("\(error)")
        }
        let chain: [Certificate]
        do {
            chain = try jws.header.certificateChain()
            try jws.verify(with: chain[0].publicKey)
        } catch {
            throw .invalidSignature("\(error)")
        }
        let signed: JSONValue
        do {
            signed = try CanonicalJSON.parsePeerJSON(jws.payload)
        } catch {
            throw .malformed("the signed payload is not JSON: \(error)")
        }
        guard sameValue(signed, agreement) else { throw .otherAgreement }
        switch trust.admit(chain[0], intermediates: Array(chain.dropFirst()), at: now) {
        case let .success(member):
            guard member.id == expectedMember else { throw .wrongSigner(expected: expectedMember, found: member.id) }
            return member
        case let .failure(refusal):
            throw .untrustedSigner(refusal.description)
        }
    }

    /// JSON value equality (RFC 8259 §4: member order does not matter), with a number equal to the same number
    /// however it was written (`5`, `5.0`, `5e0`); the readers of the two sides may have typed it differently.
    static func sameValue(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.object(left), .object(right)):
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { sameValue(value, $0) } ?? false }
        case let (.array(left), .array(right)):
            return left.count == right.count && zip(left, right).allSatisfy { sameValue($0, $1) }
        case let (.integer(left), .number(right)), let (.number(right), .integer(left)):
            return Double(left) == right
        default:
            return lhs == rhs
        }
    }

    /// `verify` against the agreement as Verbund encodes it.
    @discardableResult
    static func verify(_ signature: String, of agreement: Agreement, by expectedMember: String, trust: FederationTrust,
                       at now: Date) throws(ContractSignatureError) -> Member {
        try verify(signature, of: try jsonValue(of: agreement), by: expectedMember, trust: trust, at: now)
    }

    /// The contract: one general JSON JWS (RFC 7515 §7.2.1) with the provider's signature first, then the consumer's.
    /// The signatures were verified (or made) when they arrived; every one must be over the same payload.
    static func contract(signatures: [String]) throws -> String {
        // The parts exactly as signed (RFC 7515 §7.1: header.payload.signature).
        let parts = signatures.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
        guard let first = parts.first else { throw ContractSignatureError.malformed("no signature") }
        guard parts.allSatisfy({ $0.count == 3 }) else { throw ContractSignatureError.malformed("not a compact JWS") }
        guard parts.allSatisfy({ $0[1] == first[1] }) else { throw ContractSignatureError.otherAgreement }
        let general = GeneralWire(payload: first[1], signatures: parts.map { .init(protected: $0[0], signature: $0[2]) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(general), as: UTF8.self)
    }

    private struct GeneralWire: Encodable {
        struct Entry: Encodable {
            let protected: String
            let signature: String
        }
        let payload: String
        let signatures: [Entry]
    }
}

/// Why a party's signature on an agreement was not accepted.
enum ContractSignatureError: Error, Sendable, CustomStringConvertible {
    case malformed(String)
    /// The JWS signs other bytes than this agreement's.
    case otherAgreement
    case invalidSignature(String)
    case untrustedSigner(String)
    case wrongSigner(expected: String, found: String)

    var description: String {
        switch self {
        case let .malformed(why): return "the signature is not a compact ES256 JWS: \(why)"
        case .otherAgreement: return "the signature is over other bytes than this agreement (its payload is not the same JSON value)"
        case let .invalidSignature(why): return "the signature does not verify with its x5c certificate: \(why)"
        case let .untrustedSigner(why): return "the signer's certificate is not trusted by the federation: \(why)"
        case let .wrongSigner(expected, found):
            return "the signature was made by member '\(found)', but the agreement names '\(expected)'"
        }
    }
}
