/// One side's view of a transfer process (DSP 2025-1, Transfer Process Protocol, State Machine), shaped like
/// `ContractNegotiationMachine`: `apply` returns the new state and what to send (the message when this side
/// sends it, the `TransferProcess` acknowledgement when the peer did), or a `TransitionError` with the value
/// unchanged. Duplicates follow the same rule: the exact message (root `@id` included) that caused the
/// current state, from the same sender, is a replay, not an error and not a second transition.
public struct TransferProcessMachine: Sendable, Hashable, Codable {
    public let role: DSPRole
    public internal(set) var state: TransferState?
    public internal(set) var providerPid: String?
    public internal(set) var consumerPid: String?
    public internal(set) var lastMessage: TransferMessage?
    public internal(set) var lastSender: DSPRole?

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
        advance(message, from: sender)
    }

    /// Records the provider's pid from its `TransferProcess` answer to our request.
    public mutating func acknowledge(_ ack: TransferProcess) -> Result<Void, TransitionError> {
        record(ack)
    }

    public func errorReply(_ error: TransitionError, to message: TransferMessage) -> TransferError {
        errorBody(error, to: message)
    }

    public var process: TransferProcess? {
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
