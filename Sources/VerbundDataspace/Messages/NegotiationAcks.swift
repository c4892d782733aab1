/// The states of a contract negotiation (DSP 2025-1 contract negotiation state machine).
package enum NegotiationState: String, Sendable, Hashable, CaseIterable, Codable {
    case requested = "REQUESTED"
    case offered = "OFFERED"
    case accepted = "ACCEPTED"
    case agreed = "AGREED"
    case verified = "VERIFIED"
    case finalized = "FINALIZED"
    case terminated = "TERMINATED"

    /// FINALIZED and TERMINATED "MUST NOT transition to another state".
    package var isTerminal: Bool { self == .finalized || self == .terminated }

    /// Reads the bare value (`REQUESTED`) or a 2024-1 style `dspace:REQUESTED` or full IRI.
    package init?(wire: String) {
        self.init(rawValue: DSPVocabulary.bareTerm(wire))
    }
}

extension NegotiationState: ProcessState {
    static var processName: String { "negotiation" }
}

/// The ACK of every negotiation request: both process ids and the state.
package struct ContractNegotiation: Sendable, Hashable {
    package static let type = "ContractNegotiation"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    package var state: NegotiationState

    package init(id: String? = nil, providerPid: String, consumerPid: String, state: NegotiationState) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.state = state
    }
}

/// The body of a 4xx answer to a negotiation message; "does not cause a state transition".
package struct ContractNegotiationError: Sendable, Hashable, Error {
    package static let type = "ContractNegotiationError"
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
