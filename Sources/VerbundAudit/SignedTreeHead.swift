import Foundation
import VerbundTrust

/// A `TreeHead` signed by a connector: a JWS in compact serialization (RFC 7515 §7.1), ES256, whose payload is the
/// head's canonical JSON (`TreeHead.signingInput`) and whose protected header carries `typ` = `verbund-sth+json`,
/// `kid` = the signer certificate's SHA-256 fingerprint and `x5c` = the signer's certificate chain (§4.1.6).
///
/// Parsing checks the form, the signature against the `x5c` leaf and the payload; whether the leaf belongs to whom it
/// should (chain to the federation root, listed in the registry) is the caller's decision (`verifyChain`).
package struct SignedTreeHead: Sendable, Hashable, CustomStringConvertible {
    package static let mediaType = "verbund-sth+json"

    /// The JWS exactly as produced or received.
    package let compact: String
    package let head: TreeHead
    /// The `x5c` chain, leaf (the signer) first.
    package let chain: [Certificate]

    package var signer: Certificate { chain[0] }
    package var treeSize: Int { head.treeSize }
    package var rootHash: [UInt8] { head.rootHash }
    package var description: String { compact }

    /// Signs `head` with `key`; `chain` is the signer's certificate chain, leaf first.
    package static func sign(_ head: TreeHead, key: PrivateKey, chain: [Certificate]) throws(SignedTreeHeadError)
        -> SignedTreeHead {
        guard let leaf = chain.first else { throw .unusable("no signer certificate") }
        let header = JWSHeader(kid: leaf.fingerprintSHA256, certificateChain: chain, typ: mediaType)
        do {
            let jws = try CompactJWS.sign(payload: head.signingInput, header: header, key: key)
            return SignedTreeHead(compact: jws.serialized, head: head, chain: chain)
        } catch {
            throw .unusable("signing the tree head failed: \(error)")
        }
    }

    private init(compact: String, head: TreeHead, chain: [Certificate]) {
        self.compact = compact
        self.head = head
        self.chain = chain
    }

    /// Parses `text` and verifies its signature with the `x5c` leaf key. Every part must be canonical base64url, so
    /// no two different strings pass as the same signed tree head.
    package init(compact text: String) throws(SignedTreeHeadError) {
        let compact = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let jws: CompactJWS
        do {
            jws = try CompactJWS(parsing: compact)
        } catch {
            throw .malformed("\(error)")
        }
        for part in compact.split(separator: ".", omittingEmptySubsequences: false) {
            guard let bytes = Base64URL.decode(String(part)), Base64URL.encode(bytes) == part else {
                throw .malformed("a part of the JWS is not canonical base64url")
            }
        }
        guard jws.header.typ == Self.mediaType else {
            throw .malformed("typ is '\(jws.header.typ ?? "absent")', expected \(Self.mediaType)")
        }
        let chain: [Certificate]
        do {
            chain = try jws.verifyWithX5C()
        } catch JWSError.signatureInvalid {
            throw .signatureInvalid
        } catch {
            throw .malformed("\(error)")
        }
        if let kid = jws.header.kid, kid != chain[0].fingerprintSHA256 {
            throw .malformed("kid does not name the x5c leaf certificate")
        }
        do {
            head = try TreeHead(signingInput: jws.payload)
        } catch {
            throw .malformed("\(error)")
        }
        self.compact = compact
        self.chain = chain
    }

    /// Verifies the signer's chain to the trust anchors of `verifier` at `time` (e.g. the head's own timestamp).
    @discardableResult
    package func verifyChain(_ verifier: ChainVerifier, at time: Date) throws(SignedTreeHeadError) -> [Certificate] {
        do {
            return try verifier.verify(signer, intermediates: Array(chain.dropFirst()), at: time)
        } catch {
            throw .signerNotTrusted("\(error)")
        }
    }

    package static func == (lhs: SignedTreeHead, rhs: SignedTreeHead) -> Bool { lhs.compact == rhs.compact }
    package func hash(into hasher: inout Hasher) { hasher.combine(compact) }
}

/// Why a signed tree head was refused.
package enum SignedTreeHeadError: Error, CustomStringConvertible, Sendable, Equatable {
    case malformed(String)
    case signatureInvalid
    case signerNotTrusted(String)
    case unusable(String)

    package var description: String {
        switch self {
        case .malformed(let reason): "the signed tree head is malformed: \(reason)"
        case .signatureInvalid: "the signed tree head's signature does not verify with its x5c certificate"
        case .signerNotTrusted(let reason): "the signed tree head's signer does not chain to the federation root: \(reason)"
        case .unusable(let reason): "cannot make a signed tree head: \(reason)"
        }
    }
}
