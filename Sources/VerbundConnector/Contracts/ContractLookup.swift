import Foundation
import VerbundDataspace
import VerbundStore

/// A finalized contract as the data plane and the audit see it.
///
/// The negotiation module owns the tables behind it; transfer and audit read contracts only through
/// `ContractLookup`, so neither depends on how negotiations are stored.
package struct ContractRecord: Sendable, Hashable {
    /// The agreement both parties signed (its `id` is the DSP `agreementId`).
    package let agreement: Agreement
    /// Whether this connector was the provider (assigner) or the consumer (assignee).
    package let role: DSPRole
    /// The member id of the other party.
    package let peerMemberId: String
    package let providerPid: String
    package let consumerPid: String
    /// When the provider finalized the negotiation.
    package let finalizedAt: Date
    /// The contract as one JWS in general JSON serialization (RFC 7515 §7.2.1): the provider's and the consumer's
    /// signature, or only one of them when the peer is a plain DSP connector that does not sign. Nil when no
    /// signature exists at all.
    package let contractJWS: String?
    /// The purpose the provider accepted, from inside the signed agreement (`Agreement.purpose`); nil when none was stated.
    package let purpose: String?

    package init(
        agreement: Agreement, role: DSPRole, peerMemberId: String, providerPid: String, consumerPid: String,
        finalizedAt: Date, contractJWS: String?, purpose: String?
    ) {
        self.agreement = agreement
        self.role = role
        self.peerMemberId = peerMemberId
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.finalizedAt = finalizedAt
        self.contractJWS = contractJWS
        self.purpose = purpose
    }
}

/// Finds finalized contracts by agreement id. Implemented by the negotiation module.
package protocol ContractLookup: Sendable {
    /// The finalized contract with this agreement id, or nil (unknown, not finalized, or terminated).
    func contract(agreementId: String, in transaction: Transaction) throws -> ContractRecord?
    /// Every finalized contract, newest first.
    func contracts(in transaction: Transaction) throws -> [ContractRecord]
}
