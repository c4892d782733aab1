// Contract negotiation messages of DSP 2025-1 (Contract Negotiation Protocol, Message Types). Each keeps an
// optional root `@id`, which some peers (the DSP TCK among them) put on every message; it also lets a resent message
// be told from a new one.

/// C → P: the initial request (with `callbackAddress`, no `providerPid`) or a counter-request (with
/// `providerPid`, no `callbackAddress`); the schema's `oneOf` forbids both.
public struct ContractRequestMessage: Sendable, Hashable {
    public static let type = "ContractRequestMessage"
    public var id: String?
    public var consumerPid: String
    public var providerPid: String?
    public var offer: Offer
    public var callbackAddress: String?
    /// `https://w3id.org/verbund/v1/purpose`: the purpose the consumer states, for `purpose` constraints.
    public var purpose: String?

    public init(id: String? = nil, consumerPid: String, providerPid: String? = nil, offer: Offer,
                callbackAddress: String? = nil, purpose: String? = nil) {
        self.id = id
        self.consumerPid = consumerPid
        self.providerPid = providerPid
        self.offer = offer
        self.callbackAddress = callbackAddress
        self.purpose = purpose
    }

    public var isInitial: Bool { providerPid == nil }
}

/// P → C: the initial offer (with `callbackAddress`, no `consumerPid`) or an offer in a running negotiation.
public struct ContractOfferMessage: Sendable, Hashable {
    public static let type = "ContractOfferMessage"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String?
    public var offer: Offer
    public var callbackAddress: String?

    public init(id: String? = nil, providerPid: String, consumerPid: String? = nil, offer: Offer,
                callbackAddress: String? = nil) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.offer = offer
        self.callbackAddress = callbackAddress
    }

    public var isInitial: Bool { consumerPid == nil }
}

/// P → C: the agreement, with Verbund's optional provider signature (a JWS over the agreement's bytes).
public struct ContractAgreementMessage: Sendable, Hashable {
    public static let type = "ContractAgreementMessage"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var agreement: Agreement
    /// `https://w3id.org/verbund/v1/signature`: opaque here; VerbundTrust makes and checks it.
    public var signature: String?
    /// The `agreement` member exactly as a peer sent it (nil for one made here): a signature is checked against this
    /// JSON value, not against Verbund's re-encoding. Neither encoded nor compared.
    public var receivedAgreement: JSONValue?

    public init(id: String? = nil, providerPid: String, consumerPid: String, agreement: Agreement,
                signature: String? = nil) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.agreement = agreement
        self.signature = signature
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.id == rhs.id && lhs.providerPid == rhs.providerPid && lhs.consumerPid == rhs.consumerPid
            && lhs.agreement == rhs.agreement && lhs.signature == rhs.signature
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(providerPid)
        hasher.combine(consumerPid)
        hasher.combine(agreement)
        hasher.combine(signature)
    }
}

/// C → P: the consumer verified the agreement; with Verbund's optional countersignature.
public struct ContractAgreementVerificationMessage: Sendable, Hashable {
    public static let type = "ContractAgreementVerificationMessage"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    /// `https://w3id.org/verbund/v1/signature`: the consumer's countersignature, opaque here.
    public var signature: String?

    public init(id: String? = nil, providerPid: String, consumerPid: String, signature: String? = nil) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.signature = signature
    }
}

/// `ACCEPTED` (C → P) or `FINALIZED` (P → C).
public struct ContractNegotiationEventMessage: Sendable, Hashable {
    public static let type = "ContractNegotiationEventMessage"

    public enum EventType: String, Sendable, Hashable, CaseIterable, Codable {
        case accepted = "ACCEPTED"
        case finalized = "FINALIZED"
    }

    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var eventType: EventType

    public init(id: String? = nil, providerPid: String, consumerPid: String, eventType: EventType) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.eventType = eventType
    }
}

/// C or P ends the negotiation.
public struct ContractNegotiationTerminationMessage: Sendable, Hashable {
    public static let type = "ContractNegotiationTerminationMessage"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var code: String?
    public var reason: [String]

    public init(id: String? = nil, providerPid: String, consumerPid: String, code: String? = nil,
                reason: [String] = []) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.code = code
        self.reason = reason
    }
}
