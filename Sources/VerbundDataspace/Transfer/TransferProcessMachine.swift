/// One side's view of a transfer process (DSP 2025-1, Transfer Process Protocol, State Machine), shaped like
/// `ContractNegotiationMachine`: `apply` returns the new state and what to send (the message when this side
/// sends it, the `TransferProcess` acknowledgement when the peer did), or a `TransitionError` with the value
/// unchanged. Duplicates follow the same rule: the exact message (root `@id` included) that caused the
/// current state, from the same sender, is a replay, not an error and not a second transition.
package struct TransferProcessMachine: Sendable, Hashable, Codable {
    package let role: DSPRole
    package internal(set) var state: TransferState?
    package internal(set) var providerPid: String?
    package internal(set) var consumerPid: String?
    package internal(set) var lastMessage: TransferMessage?
    package internal(set) var lastSender: DSPRole?
    /// Who holds the suspension while the process is SUSPENDED (nil otherwise): only that side may restart it
    /// (DSP 2025-1 transfer process states: the side that suspended resumes), so a consumer cannot lift a
    /// suspension the provider imposed, nor the provider one the consumer asked for.
    package internal(set) var suspendedBy: DSPRole?

    package init(role: DSPRole, localPid: String) {
        self.role = role
        if role == .provider { providerPid = localPid } else { consumerPid = localPid }
    }

    package init(role: DSPRole, state: TransferState?, providerPid: String?, consumerPid: String?,
                lastMessage: TransferMessage? = nil, lastSender: DSPRole? = nil, suspendedBy: DSPRole? = nil) {
        self.role = role
        self.suspendedBy = state == .suspended ? suspendedBy : nil
        self.state = state
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.lastMessage = lastMessage
        self.lastSender = lastSender
    }

    package struct Step: Sendable, Hashable {
        package let previous: TransferState?
        package let state: TransferState
        package let isDuplicate: Bool
        package let outgoing: [DSPMessage]
    }

    /// The DSP transition table. REQUESTED→STARTED is the provider's alone; a suspended transfer is restarted by a
    /// start message (the table allows either side; `apply` then requires the side that holds the suspension);
    /// SUSPENDED→COMPLETED and REQUESTED→COMPLETED/SUSPENDED are not allowed.
    package static func transition(from state: TransferState?, _ kind: TransferMessage.Kind,
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

    package static func senders(of kind: TransferMessage.Kind) -> Set<DSPRole> {
        kind == .request ? [.consumer] : [.consumer, .provider]
    }

    package mutating func apply(_ message: TransferMessage, from sender: DSPRole) -> Result<Step, TransitionError> {
        // A start in SUSPENDED is never a replay (the current state was caused by a suspension), so this check
        // cannot refuse a duplicate the shared core would answer again.
        if state == .suspended, message.kind == .start, suspensionHolder != sender {
            let holder = suspensionHolder?.rawValue ?? "an unknown side"
            return .failure(TransitionError(
                .malformed("the \(holder) suspended this transfer, and only the side that suspended it may restart it"),
                state: state?.rawValue, message: message.kind.rawValue, sender: sender))
        }
        let result = advance(message, from: sender)
        if case let .success(step) = result, !step.isDuplicate {
            suspendedBy = step.state == .suspended ? sender : nil
        }
        return result
    }

    /// The side holding the suspension; a machine stored before `suspendedBy` existed names it by its last message.
    private var suspensionHolder: DSPRole? {
        guard state == .suspended else { return nil }
        if let suspendedBy { return suspendedBy }
        if case .suspension? = lastMessage { return lastSender }
        return nil
    }

    /// Records the provider's pid from its `TransferProcess` answer to our request.
    package mutating func acknowledge(_ ack: TransferProcess) -> Result<Void, TransitionError> {
        record(ack)
    }

    package func errorReply(_ error: TransitionError, to message: TransferMessage) -> TransferError {
        errorBody(error, to: message)
    }

    package var process: TransferProcess? {
        currentAcknowledgement
    }
}

extension TransferProcessMachine: ProcessMachine {
    typealias Message = TransferMessage
    typealias Acknowledgement = TransferProcess
    typealias ErrorBody = TransferError

    /// Transfer messages have no form that depends on the state; the table and the process ids decide.
    func formProblem(_ message: TransferMessage) -> String? { nil }
}

extension TransferProcessMachine.Step: ProcessStep {}
