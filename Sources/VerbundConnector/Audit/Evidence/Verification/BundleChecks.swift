import Foundation
import VerbundAudit
import VerbundDataspace
import VerbundTrust

/// `bundle-format`: canonical JSON with exactly the bundle's members; nothing else can be read otherwise.
struct BundleFormatCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        do {
            evidence.bundle = try EvidenceBundle(bytes: evidence.bytes)
        } catch {
            report.fail("bundle-format", "\(error)")
            return .stop
        }
        report.pass("bundle-format", "canonical JSON with every member of \(EvidenceBundle.typeName)")
        return .proceed
    }
}

/// `contract` (on failure only): the contract is a general JWS JSON object in canonical base64url.
struct ContractFormCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let bundle = evidence.bundle else { return .stop }
        do {
            let jws = try GeneralJWS(json: try CanonicalJSON.encode(bundle.contract))
            try Self.requireCanonicalBase64URL(jws)
            evidence.contract = jws
            return .proceed
        } catch {
            report.fail("contract", "the contract is not a JWS in general JSON serialization: \(error)")
            return .stop
        }
    }

    /// base64url admits several spellings of the same bytes (unused trailing bits); only the canonical one is accepted.
    static func requireCanonicalBase64URL(_ jws: GeneralJWS) throws(EvidenceFormatError) {
        guard Base64URL.encode(jws.payload) == jws.encodedPayload,
              jws.signatures.allSatisfy({ signature in
                  Base64URL.decode(signature.encodedHeader).map(Base64URL.encode) == signature.encodedHeader
                      && Base64URL.encode(signature.signature) == signature.encodedSignature
              }) else {
            throw EvidenceFormatError("a part of the contract JWS is not canonical base64url")
        }
    }
}

/// `contract-signatures`: exactly two signatures, each verifying with its own x5c leaf. Runs before the agreement is
/// read, so a changed agreement byte shows here first.
struct ContractSignaturesCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let jws = evidence.contract else { return .stop }
        let unverified = jws.signatures.indices.filter { index in
            guard let chain = try? jws.signatures[index].header.certificateChain(), let leaf = chain.first else { return true }
            return (try? jws.verify(signatureAt: index, with: leaf.publicKey)) == nil
        }
        report.record("contract-signatures", ok: unverified.isEmpty && jws.signatures.count == 2,
                      "both ES256 signatures verify over the exact agreement bytes",
                      failure: jws.signatures.count != 2 ? "the contract carries \(jws.signatures.count) signatures, not 2"
                          : "signatures \(unverified.map(String.init).joined(separator: ", ")) do not verify: the agreement or a signature was changed")
        return .proceed
    }
}

/// `contract`: the payload is a DSP agreement with a timestamp, which is the signing time of every later check.
struct AgreementCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let jws = evidence.contract else { return .stop }
        let agreement: Agreement
        do {
            agreement = try DSPJSON.decode(Agreement.self, from: Data(jws.payload))
        } catch {
            report.fail("contract", "the contract is not a readable signed agreement: \(error)")
            return .stop
        }
        guard let signedAt = agreement.agreedAt else {
            report.fail("contract", "the agreement has no timestamp, so the time of signing is unknown")
            return .stop
        }
        evidence.agreement = agreement
        evidence.signedAt = signedAt
        report.pass("contract", "agreement \(agreement.id) with \(jws.signatures.count) signatures, agreed \(ContractSummary.format(signedAt))")
        return .proceed
    }
}

/// `provider-signature`, `consumer-signature`: the signature whose x5c leaf names the party verifies.
struct PartySignatureCheck: EvidenceCheck {
    let party: EvidenceParty

    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        let check = "\(party.rawValue)-signature"
        guard let jws = evidence.contract, let participant = evidence.participant(party) else { return .stop }
        for index in jws.signatures.indices {
            guard let chain = try? jws.signatures[index].header.certificateChain(), let leaf = chain.first,
                  leaf.subjectAltNameURIs.contains(participant) else { continue }
            if party == .provider { evidence.providerChain = chain } else { evidence.consumerChain = chain }
            report.record(check, ok: (try? jws.verify(signatureAt: index, with: leaf.publicKey)) != nil,
                          "ES256 signature \(index) by \(leaf.subject) (\(participant)) verifies over the agreement",
                          failure: "signature \(index) by \(leaf.subject) does not verify: the agreement or the signature was changed")
            return .proceed
        }
        report.fail(check, "no signature's certificate names \(participant)")
        return .proceed
    }
}

/// `signer-certificates`: the bundle's `signers` are exactly the chains in the signatures' x5c.
struct SignerCertificatesCheck: EvidenceCheck {
    func run(_ evidence: inout EvidenceFindings, _ report: inout AuditReport) -> EvidenceCheckFlow {
        guard let bundle = evidence.bundle else { return .stop }
        let listed = (Self.decodeChain(bundle.providerChain), Self.decodeChain(bundle.consumerChain))
        report.record("signer-certificates",
                      ok: evidence.providerChain != nil && evidence.consumerChain != nil
                          && listed.0 == evidence.providerChain && listed.1 == evidence.consumerChain,
                      "the bundle's signer certificates are the ones in the signatures' x5c",
                      failure: "the bundle's signer certificates differ from the certificates in the signatures' x5c")
        return .proceed
    }

    static func decodeChain(_ texts: [String]) -> [Certificate]? {
        var chain: [Certificate] = []
        for text in texts {
            guard let der = Data(base64Encoded: text), Data(der).base64EncodedString() == text,
                  let certificate = try? Certificate(der: Array(der)) else { return nil }
            chain.append(certificate)
        }
        return chain
    }
}
