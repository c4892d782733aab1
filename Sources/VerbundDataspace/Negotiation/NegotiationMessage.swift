/// The messages that drive a contract negotiation.
package enum NegotiationMessage: Sendable, Hashable {
    case request(ContractRequestMessage)
    case offer(ContractOfferMessage)
    case agreement(ContractAgreementMessage)
    case verification(ContractAgreementVerificationMessage)
    case event(ContractNegotiationEventMessage)
    case termination(ContractNegotiationTerminationMessage)

    /// The message kinds of the state machine; the two event types are different transitions.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case request = "ContractRequestMessage"
        case offer = "ContractOfferMessage"
        case agreement = "ContractAgreementMessage"
        case verification = "ContractAgreementVerificationMessage"
        case accepted = "ContractNegotiationEventMessage(ACCEPTED)"
        case finalized = "ContractNegotiationEventMessage(FINALIZED)"
        case termination = "ContractNegotiationTerminationMessage"
    }

    package var kind: Kind {
        switch self {
        case .request: return .request
        case .offer: return .offer
        case .agreement: return .agreement
        case .verification: return .verification
        case .event(let event): return event.eventType == .accepted ? .accepted : .finalized
        case .termination: return .termination
        }
    }

    package init?(_ message: DSPMessage) {
        switch message {
        case .contractRequest(let m): self = .request(m)
        case .contractOffer(let m): self = .offer(m)
        case .contractAgreement(let m): self = .agreement(m)
        case .contractAgreementVerification(let m): self = .verification(m)
        case .contractNegotiationEvent(let m): self = .event(m)
        case .contractNegotiationTermination(let m): self = .termination(m)
        default: return nil
        }
    }

    package var dspMessage: DSPMessage {
        switch self {
        case .request(let m): return .contractRequest(m)
        case .offer(let m): return .contractOffer(m)
        case .agreement(let m): return .contractAgreement(m)
        case .verification(let m): return .contractAgreementVerification(m)
        case .event(let m): return .contractNegotiationEvent(m)
        case .termination(let m): return .contractNegotiationTermination(m)
        }
    }

    package var providerPid: String? {
        switch self {
        case .request(let m): return m.providerPid
        case .offer(let m): return m.providerPid
        case .agreement(let m): return m.providerPid
        case .verification(let m): return m.providerPid
        case .event(let m): return m.providerPid
        case .termination(let m): return m.providerPid
        }
    }

    package var consumerPid: String? {
        switch self {
        case .request(let m): return m.consumerPid
        case .offer(let m): return m.consumerPid
        case .agreement(let m): return m.consumerPid
        case .verification(let m): return m.consumerPid
        case .event(let m): return m.consumerPid
        case .termination(let m): return m.consumerPid
        }
    }
}
