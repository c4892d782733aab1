/// A message that the state machine refuses. The state is left as it was ("does not cause a state
/// transition"); a connector answers a peer's refused message with 400 and a `ContractNegotiationError` /
/// `TransferError` carrying `description` as its reason.
package struct TransitionError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Reason: Hashable, Sendable {
        /// FINALIZED, COMPLETED and TERMINATED accept no further messages.
        case terminalState
        /// This party may never send this message (e.g. a consumer sending FINALIZED, a provider ACCEPTED).
        case senderNotAllowed
        /// The message is not an allowed transition from the current state for this sender.
        case notAllowedInState
        /// The message has the wrong form for the state, e.g. an initial request in a running negotiation.
        case malformed(String)
        /// The message belongs to another process.
        case processMismatch(field: String, expected: String, received: String)
    }

    package let reason: Reason
    /// The current state's wire value, or nil before the process exists.
    package let state: String?
    /// The message, named as on the wire (event messages with their event type).
    package let message: String
    package let sender: DSPRole

    package init(_ reason: Reason, state: String?, message: String, sender: DSPRole) {
        self.reason = reason
        self.state = state
        self.message = message
        self.sender = sender
    }

    package var description: String {
        let from = state.map { "in state \($0)" } ?? "before the process exists"
        switch reason {
        case .terminalState:
            return "\(message) from the \(sender.rawValue) refused: the process is \(state ?? "") and final"
        case .senderNotAllowed:
            return "\(message) may not be sent by the \(sender.rawValue)"
        case .notAllowedInState:
            return "\(message) from the \(sender.rawValue) is not an allowed transition \(from)"
        case .malformed(let why):
            return "\(message) from the \(sender.rawValue) refused \(from): \(why)"
        case .processMismatch(let field, let expected, let received):
            return "\(message) names \(field) \(received), but this process has \(expected)"
        }
    }
}
