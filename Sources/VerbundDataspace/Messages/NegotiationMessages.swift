// Contract negotiation messages of DSP 2025-1 (Contract Negotiation Protocol, Message Types). Each keeps an
// optional root `@id`, which some peers (the DSP TCK among them) put on every message; it also lets a resent message
// be told from a new one.

/// C → P: the initial request (with `callbackAddress`, no `providerPid`) or a counter-request (with
/// `providerPid`, no `callbackAddress`); the schema's `oneOf` forbids both.
package struct ContractRequestMessage: Sendable, Hashable {
    package static let type = "ContractRequestMessage"
    package var id: String?
    package var consumerPid: String
    package var providerPid: String?
    package var offer: Offer
    package var callbackAddress: String?
    /// `https://w3id.org/verbund/v1/purpose`: the purpose the consumer states, for `purpose` constraints.
    package var purpose: String?

    package init(id: String? = nil, consumerPid: String, providerPid: String? = nil, offer: Offer,
                callbackAddress: String? = nil, purpose: String? = nil) {
        self.id = id
        self.consumerPid = consumerPid
        self.providerPid = providerPid
        self.offer = offer
        self.callbackAddress = callbackAddress
        self.purpose = purpose
    }

    package var isInitial: Bool { providerPid == nil }
}

/// P → C: the initial offer (with `callbackAddress`, no `consumerPid`) or an offer in a running negotiation.
package struct ContractOfferMessage: Sendable, Hashable {
    package static let type = "ContractOfferMessage"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String?
    package var offer: Offer
    package var callbackAddress: String?

    package init(id: String? = nil, providerPid: String, consumerPid: String? = nil, offer: Offer,
                callbackAddress: String? = nil) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.offer = offer
        self.callbackAddress = callbackAddress
    }

    package var isInitial: Bool { consumerPid == nil }
}

/// P → C: the agreement, with Verbund's optional provider signature (a JWS over the agreement's bytes).
package struct ContractAgreementMessage: Sendable, Hashable {
    package static let type = "ContractAgreementMessage"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    package var agreement: Agreement
    /// `https://w3id.org/verbund/v1/signature`: opaque here; VerbundTrust makes and checks it.
    package var signature: String?
    /// The `agreement` member exactly as a peer sent it (nil for one made here): a signature is checked against this
    /// JSON value, not against Verbund's re-encoding. Neither encoded nor compared.
    package var receivedAgreement: JSONValue?

    package init(id: String? = nil, providerPid: String, consumerPid: String, agreement: Agreement,
                signature: String? = nil) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.agreement = agreement
        self.signature = signature
    }

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.id == rhs.id && lhs.providerPid == rhs.providerPid && lhs.consumerPid == rhs.consumerPid
            && lhs.agreement == rhs.agreement && lhs.signature == rhs.signature
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(providerPid)
        hasher.combine(consumerPid)
        hasher.combine(agreement)
        hasher.combine(signature)
    }
}

/// C → P: the consumer verified the agreement; with Verbund's optional countersignature.
package struct ContractAgreementVerificationMessage: Sendable, Hashable {
    package static let type = "ContractAgreementVerificationMessage"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    /// `https://w3id.org/verbund/v1/signature`: the consumer's countersignature, opaque here.
    package var signature: String?

    package init(id: String? = nil, providerPid: String, consumerPid: String, signature: String? = nil) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.signature = signature
    }
}

/// `ACCEPTED` (C → P) or `FINALIZED` (P → C).
package struct ContractNegotiationEventMessage: Sendable, Hashable {
    package static let type = "ContractNegotiationEventMessage"

    package enum EventType: String, Sendable, Hashable, CaseIterable, Codable {
        case accepted = "ACCEPTED"
        case finalized = "FINALIZED"
    }

    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    package var eventType: EventType

    package init(id: String? = nil, providerPid: String, consumerPid: String, eventType: EventType) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.eventType = eventType
    }
}

/// C or P ends the negotiation.
package struct ContractNegotiationTerminationMessage: Sendable, Hashable {
    package static let type = "ContractNegotiationTerminationMessage"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    package var code: String?
    package var reason: [String]

    package init(id: String? = nil, providerPid: String, consumerPid: String, code: String? = nil,
                reason: [String] = []) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.code = code
        self.reason = reason
    }
}
