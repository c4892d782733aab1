import Foundation
import VerbundDataspace

/// A negotiation as the management API shows it.
public struct NegotiationReport: Codable, Sendable, Hashable {
    /// Our process id (the negotiation's id in the management API).
    public let id: String
    public let role: String
    public let peer: String
    /// The DSP state both sides agree on, or `INITIAL` while our first message is on its way.
    public let state: String
    public let providerPid: String?
    public let consumerPid: String?
    public let dataset: String
    public let offer: String
    public let purpose: String?
    public let agreementId: String?
    /// Why it ended (TERMINATED) or what the peer refused.
    public let reason: String?
    /// `dual`, `single` or nil (no signature yet).
    public let signing: String?
    /// A message we sent that the peer has not acknowledged yet.
    public let awaiting: String?
    public let createdAt: Date
    public let updatedAt: Date
    public let finalizedAt: Date?

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
public struct ContractReport: Codable, Sendable, Hashable {
    public let agreementId: String
    public let role: String
    public let peer: String
    public let negotiation: String
    public let providerPid: String
    public let consumerPid: String
    public let dataset: String
    public let purpose: String?
    /// `dual` (both signed) or `single` (a plain DSP peer did not sign).
    public let signing: String
    public let finalizedAt: Date
    public let agreement: Agreement

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
public struct NegotiationStartRequest: Codable, Sendable, Hashable {
    /// The provider's member id.
    public var peer: String
    public var dataset: String
    /// The offer's `@id`; without it the dataset's first offer.
    public var offer: String?
    public var purpose: String?
    /// An offer forwarded by a member that can see it in the provider's catalog (as inside a Dataset's `hasPolicy`):
    /// requested as it is instead of reading the dataset from the provider, whose policy then decides (`ForwardedOffer`).
    public var offerPolicy: Offer?

    public init(peer: String, dataset: String, offer: String? = nil, purpose: String? = nil, offerPolicy: Offer? = nil) {
        self.peer = peer
        self.dataset = dataset
        self.offer = offer
        self.purpose = purpose
        self.offerPolicy = offerPolicy
    }
}
