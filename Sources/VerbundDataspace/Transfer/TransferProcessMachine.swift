/// One side's view of a transfer process (DSP 2025-1 transfer process state machine, DSP-NOTES §3), shaped like
/// `ContractNegotiationMachine`: `apply` returns the new state and what to send (the message when this side
/// sends it, the `TransferProcess` acknowledgement when the peer did), or a `TransitionError` with the value
/// unchanged. Duplicates follow the same rule: the exact message (root `@id` included) that caused the
/// current state, from the same sender, is a replay, not an error and not a second transition.
public struct TransferProcessMachine: Sendable, Hashable, Codable {
    public let role: DSPRole
    public private(set) var state: TransferState?
    public private(set) var providerPid: String?
    public private(set) var consumerPid: String?
    public private(set) var lastMessage: TransferMessage?
    public private(set) var lastSender: DSPRole?

    public init(role: DSPRole, localPid: String) {
        self.role = role
        if role == .provider { providerPid = localPid } else { consumerPid = localPid }
    }

    public init(role: DSPRole, state: TransferState?, providerPid: String?, consumerPid: String?,
                lastMessage: TransferMessage? = nil, lastSender: DSPRole? = nil) {
        self.role = role
        self.state = state
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.lastMessage = lastMessage
        self.lastSender = lastSender
    }

    public struct Step: Sendable, Hashable {
        public let previous: TransferState?
        public let state: TransferState
        public let isDuplicate: Bool
        public let outgoing: [DSPMessage]
    }

    /// The DSP transition table. REQUESTED→STARTED is the provider's alone; a suspended transfer may be
    /// restarted by either side; SUSPENDED→COMPLETED and REQUESTED→COMPLETED/SUSPENDED are not allowed.
    public static func transition(from state: TransferState?, _ kind: TransferMessage.Kind,
                                  sender: DSPRole) -> TransferState? {
        switch (state, kind, sender) {
        case (nil, .request, .consumer): return .requested
        case (.requested?, .start, .provider): return .started
        case (.requested?, .termination, _): return .terminated
        case (.started?, .completion, _): return .completed
        case (.started?, .suspension, _): return .suspended
        case (.started?, .termination, _): return .terminated
        case (.suspended?, .start, _): return .started
        case (.suspended?, .termination, _): return .terminated
        default: return nil
        }
    }

    public static func senders(of kind: TransferMessage.Kind) -> Set<DSPRole> {
        kind == .request ? [.consumer] : [.consumer, .provider]
    }

    public mutating func apply(_ message: TransferMessage, from sender: DSPRole) -> Result<Step, TransitionError> {
        let kind = message.kind
        func refuse(_ reason: TransitionError.Reason) -> Result<Step, TransitionError> {
            .failure(TransitionError(reason, state: state?.rawValue, message: kind.rawValue, sender: sender))
        }

        if let state, lastMessage == message, lastSender == sender {
            return .success(Step(previous: state, state: state, isDuplicate: true,
                                 outgoing: sender == role ? [] : acknowledgement(state)))
        }
        guard Self.senders(of: kind).contains(sender) else { return refuse(.senderNotAllowed) }
        if let state, state.isTerminal { return refuse(.terminalState) }
        guard let next = Self.transition(from: state, kind, sender: sender) else { return refuse(.notAllowedInState) }
        if let expected = providerPid, let received = message.providerPid, expected != received {
            return refuse(.processMismatch(field: "providerPid", expected: expected, received: received))
        }
        if let expected = consumerPid, expected != message.consumerPid {
            return refuse(.processMismatch(field: "consumerPid", expected: expected, received: message.consumerPid))
        }

        let previous = state
        providerPid = providerPid ?? message.providerPid
        consumerPid = consumerPid ?? message.consumerPid
        state = next
        lastMessage = message
        lastSender = sender
        let outgoing = sender == role ? [message.dspMessage] : acknowledgement(next)
        return .success(Step(previous: previous, state: next, isDuplicate: false, outgoing: outgoing))
    }

    /// Records the provider's pid from its `TransferProcess` answer to our request.
    public mutating func acknowledge(_ ack: TransferProcess) -> Result<Void, TransitionError> {
        for (field, known, received) in [("providerPid", providerPid, ack.providerPid),
                                         ("consumerPid", consumerPid, ack.consumerPid)] {
            if let known, known != received {
                return .failure(TransitionError(
                    .processMismatch(field: field, expected: known, received: received),
                    state: state?.rawValue, message: TransferProcess.type, sender: role.peer))
            }
        }
        providerPid = ack.providerPid
        consumerPid = ack.consumerPid
        return .success(())
    }

    public func errorReply(_ error: TransitionError, to message: TransferMessage) -> TransferError {
        TransferError(providerPid: providerPid ?? message.providerPid ?? "", consumerPid: consumerPid ?? message.consumerPid,
                      code: "400", reason: [error.description])
    }

    public var process: TransferProcess? {
        guard let state, let providerPid, let consumerPid else { return nil }
        return TransferProcess(providerPid: providerPid, consumerPid: consumerPid, state: state)
    }

    private func acknowledgement(_ state: TransferState) -> [DSPMessage] {
        guard let providerPid, let consumerPid else { return [] }
        return [.transferProcess(TransferProcess(providerPid: providerPid, consumerPid: consumerPid, state: state))]
    }
}
