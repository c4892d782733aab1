/// One side's view of a contract negotiation (DSP 2025-1, Contract Negotiation Protocol, State Machine),
/// as a value (Codable, so it can be stored whole). `apply` checks a message against the transition table and, if allowed, moves to the new state
/// and returns what to send: the message itself when this side sends it (the connector writes it to the
/// outbox in the same transaction as the state), or the `ContractNegotiation` acknowledgement when the peer
/// sent it. A refused message leaves the value unchanged.
///
/// Duplicates: a message equal in every field (its optional root `@id` included) to the message that caused
/// the current state, from the same sender, is a replay — for example a peer resending because our
/// acknowledgement was lost. It is not an error and not a second transition: the step has `isDuplicate` set,
/// the state stays, and a received replay gets the same acknowledgement again. Any other message that is not
/// in the table is refused, however similar it looks.
package struct ContractNegotiationMachine: Sendable, Hashable, Codable {
    /// This side's role.
    package let role: DSPRole
    /// Nil until the first message; then the current state.
    package internal(set) var state: NegotiationState?
    package internal(set) var providerPid: String?
    package internal(set) var consumerPid: String?
    /// The message that caused the current state and who sent it, for duplicate detection.
    package internal(set) var lastMessage: NegotiationMessage?
    package internal(set) var lastSender: DSPRole?

    /// A new negotiation on this side; `localPid` is this side's process id (made by the caller).
    package init(role: DSPRole, localPid: String) {
        self.role = role
        if role == .provider { providerPid = localPid } else { consumerPid = localPid }
    }

    /// A negotiation restored from storage.
    package init(role: DSPRole, state: NegotiationState?, providerPid: String?, consumerPid: String?,
                lastMessage: NegotiationMessage? = nil, lastSender: DSPRole? = nil) {
        self.role = role
        self.state = state
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.lastMessage = lastMessage
        self.lastSender = lastSender
    }

    /// The result of an accepted message.
    package struct Step: Sendable, Hashable {
        package let previous: NegotiationState?
        package let state: NegotiationState
        /// True when the message replayed the one that caused the current state; nothing changed.
        package let isDuplicate: Bool
        /// To send: the message itself (sent by this side) or the acknowledgement (received).
        package let outgoing: [DSPMessage]
    }

    /// The DSP transition table: the state `kind` from `sender` leads to, or nil if not allowed.
    package static func transition(from state: NegotiationState?, _ kind: NegotiationMessage.Kind,
                                  sender: DSPRole) -> NegotiationState? {
        switch (state, kind, sender) {
        case (nil, .request, .consumer): return .requested
        case (nil, .offer, .provider): return .offered
        case (.requested?, .offer, .provider): return .offered
        case (.requested?, .agreement, .provider): return .agreed
        case (.requested?, .termination, _): return .terminated
        case (.offered?, .request, .consumer): return .requested
        case (.offered?, .accepted, .consumer): return .accepted
        case (.offered?, .termination, _): return .terminated
        case (.accepted?, .agreement, .provider): return .agreed
        case (.accepted?, .termination, .provider): return .terminated
        case (.agreed?, .verification, .consumer): return .verified
        case (.agreed?, .termination, .consumer): return .terminated
        case (.verified?, .finalized, .provider): return .finalized
        case (.verified?, .termination, .provider): return .terminated
        default: return nil
        }
    }

    /// Who may ever send a message kind; termination either side.
    package static func senders(of kind: NegotiationMessage.Kind) -> Set<DSPRole> {
        switch kind {
        case .request, .accepted, .verification: return [.consumer]
        case .offer, .agreement, .finalized: return [.provider]
        case .termination: return [.consumer, .provider]
        }
    }

    package mutating func apply(_ message: NegotiationMessage, from sender: DSPRole) -> Result<Step, TransitionError> {
        advance(message, from: sender)
    }

    /// Records the peer's process id from its acknowledgement of our initial message (e.g. the
    /// `ContractNegotiation` a provider answers an initial request with).
    package mutating func acknowledge(_ ack: ContractNegotiation) -> Result<Void, TransitionError> {
        record(ack)
    }

    /// The error body for a refused message, with this process's ids where the message lacks them.
    package func errorReply(_ error: TransitionError, to message: NegotiationMessage) -> ContractNegotiationError {
        errorBody(error, to: message)
    }

    /// The acknowledgement for the current state, once both process ids are known.
    package var negotiation: ContractNegotiation? {
        currentAcknowledgement
    }

    /// Initial messages (callback address, one pid) start a negotiation; later ones carry both pids and no
    /// callback address (the 2025-1 schemas' `oneOf`). Offers in messages name their dataset in `target`.
    func formProblem(_ message: NegotiationMessage) -> String? {
        switch message {
        case .request(let request):
            if request.offer.target == nil { return "the offer must name its target dataset" }
            if state == nil {
                if request.providerPid != nil { return "an initial request must not name a providerPid" }
                if request.callbackAddress == nil { return "an initial request needs a callbackAddress" }
            } else if request.providerPid == nil {
                return "a counter-request must name the providerPid (an initial request cannot join a running negotiation)"
            } else if request.callbackAddress != nil {
                return "a counter-request must not carry a callbackAddress"
            }
        case .offer(let offer):
            if offer.offer.target == nil { return "the offer must name its target dataset" }
            if state == nil {
                if offer.consumerPid != nil { return "an initial offer must not name a consumerPid" }
                if offer.callbackAddress == nil { return "an initial offer needs a callbackAddress" }
            } else if offer.consumerPid == nil {
                return "an offer in a running negotiation must name the consumerPid"
            } else if offer.callbackAddress != nil {
                return "an offer in a running negotiation must not carry a callbackAddress"
            }
        default:
            break
        }
        return nil
    }
}

extension ContractNegotiationMachine: ProcessMachine {
    typealias Message = NegotiationMessage
    typealias Acknowledgement = ContractNegotiation
    typealias ErrorBody = ContractNegotiationError
}

extension ContractNegotiationMachine.Step: ProcessStep {}
