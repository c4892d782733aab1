import Foundation
import VerbundDataspace
import VerbundFederation
import VerbundTrust

/// The parties' signatures on an agreement (docs/design.md §13 "Signed contracts"): each is a compact JWS, ES256, over the
/// agreement's exact signing bytes (`Agreement.signingPayload()`), with the signer's certificate chain in `x5c`
/// (RFC 7515 §4.1.6) and its certificate fingerprint as `kid` (§4.1.4). Both are joined into one JWS in general JSON
/// serialization (§7.2.1) — the contract both sides keep.
enum ContractSignature {
    /// Signs `agreement` as this connector.
    static func sign(_ agreement: Agreement, identity: ConnectorIdentity) throws -> String {
        let payload = [UInt8](try agreement.signingPayload())
        let header = JWSHeader(kid: identity.certificate.fingerprintSHA256, certificateChain: identity.certificateChain)
        return try CompactJWS.sign(payload: payload, header: header, key: identity.privateKey).serialized
    }

    /// Checks that `signature` signs exactly `agreement`'s bytes, with a certificate that chains to the federation
    /// root, is not revoked, is listed in the registry held now for an active member, and that this member is
    /// `expectedMember` (the party the agreement names). Returns the signer.
    @discardableResult
    static func verify(_ signature: String, of agreement: Agreement, by expectedMember: String, trust: FederationTrust,
                       at now: Date) throws(ContractSignatureError) -> Member {
        let jws: CompactJWS
        do {
            jws = try CompactJWS(parsing: signature)
        } catch {
            throw .malformed("\(error)")
        }
        let expected: [UInt8]
        do {
            expected = [UInt8](try agreement.signingPayload())
        } catch {
            throw .malformed("the agreement cannot be encoded: \(error)")
        }
        guard jws.payload == expected else { throw .otherAgreement }
        let chain: [Certificate]
        do {
            chain = try jws.header.certificateChain()
            try jws.verify(with: chain[0].publicKey)
        } catch {
            throw .invalidSignature("\(error)")
        }
        switch trust.admit(chain[0], intermediates: Array(chain.dropFirst()), at: now) {
        case let .success(member):
            guard member.id == expectedMember else { throw .wrongSigner(expected: expectedMember, found: member.id) }
            return member
        case let .failure(refusal):
            throw .untrustedSigner(refusal.description)
        }
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
        case .otherAgreement: return "the signature is over other bytes than this agreement"
        case let .invalidSignature(why): return "the signature does not verify with its x5c certificate: \(why)"
        case let .untrustedSigner(why): return "the signer's certificate is not trusted by the federation: \(why)"
        case let .wrongSigner(expected, found):
            return "the signature was made by member '\(found)', but the agreement names '\(expected)'"
        }
    }
}
