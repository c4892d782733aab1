import Foundation
import VerbundDataspace

/// A negotiation as the management API shows it.
package struct NegotiationReport: Codable, Sendable, Hashable {
    /// Our process id (the negotiation's id in the management API).
    package let id: String
    package let role: String
    package let peer: String
    /// The DSP state both sides agree on, or `INITIAL` while our first message is on its way.
    package let state: String
    package let providerPid: String?
    package let consumerPid: String?
    package let dataset: String
    package let offer: String
    package let purpose: String?
    package let agreementId: String?
    /// Why it ended (TERMINATED) or what the peer refused.
    package let reason: String?
    /// `dual`, `single` or nil (no signature yet).
    package let signing: String?
    /// A message we sent that the peer has not acknowledged yet.
    package let awaiting: String?
    package let createdAt: Date
    package let updatedAt: Date
    package let finalizedAt: Date?

    init(_ record: NegotiationRecord) {
        id = record.localPid
        role = record.role.rawValue
        peer = record.peerMemberId
        state = record.displayState
        providerPid = record.providerPid
        consumerPid = record.consumerPid
        dataset = record.dataset
        offer = record.offer.id
        purpose = record.purpose
        agreementId = record.agreement?.id
        reason = record.reason
        signing = record.signing
        awaiting = record.pending?.kind.rawValue
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        finalizedAt = record.finalizedAt
    }
}

/// A finalized contract as the management API shows it.
package struct ContractReport: Codable, Sendable, Hashable {
    package let agreementId: String
    package let role: String
    package let peer: String
    package let negotiation: String
    package let providerPid: String
    package let consumerPid: String
    package let dataset: String
    package let purpose: String?
    /// `dual` (both signed) or `single` (a plain DSP peer did not sign).
    package let signing: String
    package let finalizedAt: Date
    package let agreement: Agreement

    init?(_ record: NegotiationRecord) {
        guard let contract = NegotiationContracts.contract(record) else { return nil }
        agreementId = contract.agreement.id
        role = record.role.rawValue
        peer = record.peerMemberId
        negotiation = record.localPid
        providerPid = contract.providerPid
        consumerPid = contract.consumerPid
        dataset = contract.agreement.target
        purpose = contract.purpose
        signing = record.signing ?? "unsigned"
        finalizedAt = contract.finalizedAt
        agreement = contract.agreement
    }
}

/// The body of `POST /api/negotiations`.
package struct NegotiationStartRequest: Codable, Sendable, Hashable {
    /// The fields the body may have (`ManagementBody`).
    static let fields: Set<String> = ["peer", "dataset", "offer", "purpose", "offerPolicy"]
    /// The provider's member id.
    package var peer: String
    package var dataset: String
    /// The offer's `@id`; without it the dataset's first offer.
    package var offer: String?
    package var purpose: String?
    /// An offer forwarded by a member that can see it in the provider's catalog (as inside a Dataset's `hasPolicy`):
    /// requested as it is instead of reading the dataset from the provider, whose policy then decides (`ForwardedOffer`).
    package var offerPolicy: Offer?

    package init(peer: String, dataset: String, offer: String? = nil, purpose: String? = nil, offerPolicy: Offer? = nil) {
        self.peer = peer
        self.dataset = dataset
        self.offer = offer
        self.purpose = purpose
        self.offerPolicy = offerPolicy
    }
}
