import Foundation
import VerbundAudit
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust

/// Builds the evidence bundle of one contract from the connector's state: the dual-signed contract (through
/// `ContractLookup`), both signers' chains (from the signatures' `x5c`), the registry and CRL in force at the
/// agreement's timestamp (`TrustHistory`), every log entry that names the agreement or its negotiation, each with an
/// inclusion proof, and a tree head signed now that covers them all.
///
/// Log entries belong to a contract when a string anywhere in them equals the agreement id, the provider pid or the
/// consumer pid; modules put `agreementId` into every event about a contract and its transfers (docs/auditor.md).
struct EvidenceExporter: Sendable {
    let context: ConnectorContext
    let contracts: any ContractLookup
    let history: TrustHistory
    let signer: TreeHeadSigner

    func bundle(agreementId: String) throws -> EvidenceBundle {
        let sth = try signer.signIfChanged()
        let log = context.audit.log
        return try context.database.read { tx in
            guard let record = try contracts.contract(agreementId: agreementId, in: tx) else {
                throw HTTPError(.notFound, "no finalized contract with agreement id \(agreementId)")
            }
            guard let text = record.contractJWS else {
                throw HTTPError(.conflict, "contract \(agreementId) carries no countersignature (the peer speaks plain DSP); there is no dual-signed contract to export")
            }
            let jws = try GeneralJWS(json: text)
            let agreement = record.agreement
            var provider: [Certificate]?
            var consumer: [Certificate]?
            for index in jws.signatures.indices {
                let chain = try jws.signatures[index].header.certificateChain()
                let uris = chain[0].subjectAltNameURIs
                if uris.contains(agreement.assigner) { provider = chain }
                if uris.contains(agreement.assignee) { consumer = chain }
            }
            guard let provider, let consumer else {
                throw HTTPError(.conflict, "contract \(agreementId) does not carry signatures of both the assigner and the assignee")
            }
            let signedAt = agreement.agreedAt ?? record.finalizedAt
            guard let registry = try history.inForce(.registry, at: signedAt, in: tx),
                  let crlRecord = try history.inForce(.crl, at: signedAt, in: tx) else {
                throw HTTPError(.internalServerError, "the trust history holds no registry or CRL")
            }
            let crl = try CertificateRevocationList(pem: crlRecord.content)
            let ids = Set([agreement.id, record.providerPid, record.consumerPid])
            var entries: [EvidenceBundle.Entry] = []
            let candidates = try tx.query("""
                SELECT leaf_index, entry FROM audit_log_leaf
                WHERE leaf_index < ? AND (instr(entry, ?) > 0 OR instr(entry, ?) > 0 OR instr(entry, ?) > 0)
                ORDER BY leaf_index
                """, [.integer(Int64(sth.treeSize)), .blob(Array(agreement.id.utf8)), .blob(Array(record.providerPid.utf8)),
                      .blob(Array(record.consumerPid.utf8))])
            for row in candidates {
                let index = try row.int("leaf_index")
                let bytes = try row.blob("entry")
                guard EvidenceBundle.mentions(try CanonicalJSON.decode(bytes), anyOf: ids) else { continue }
                let proof = try log.inclusionProof(index: index, treeSize: sth.treeSize, in: tx)
                entries.append(.init(index: index, entry: String(decoding: bytes, as: UTF8.self), path: proof.path))
            }
            let contract = try CanonicalJSON.decode(Array(text.utf8))
            return EvidenceBundle(
                contract: contract, providerChain: provider.map { Data($0.der).base64EncodedString() },
                consumerChain: consumer.map { Data($0.der).base64EncodedString() }, registry: registry.content,
                crl: Data(crl.der).base64EncodedString(), entries: entries, treeHead: sth.compact)
        }
    }
}
