/// What `ContractNegotiationMachine` and `TransferProcessMachine` share (DSP 2025-1 state machines,
/// the State Machine sections of its Contract Negotiation and Transfer Process Protocols): a table-driven
/// transition from one state to the next, replay detection, process id checks, and the acknowledgement and error
/// bodies. Each machine supplies its table, who may send what, and any checks on a message's form; the rules for
/// applying them live here once.
protocol ProcessMachine {
    associatedtype Message: ProcessMessage
    associatedtype Acknowledgement: ProcessAcknowledgement
    associatedtype ErrorBody: CodedProcessMessage
    associatedtype Step: ProcessStep where Step.State == Acknowledgement.State
    typealias State = Acknowledgement.State

    var role: DSPRole { get }
    var state: State? { get set }
    var providerPid: String? { get set }
    var consumerPid: String? { get set }
    var lastMessage: Message? { get set }
    var lastSender: DSPRole? { get set }

    /// The transition table: the state `kind` from `sender` leads to, or nil if not allowed.
    static func transition(from state: State?, _ kind: Message.Kind, sender: DSPRole) -> State?
    /// Who may ever send a message kind.
    static func senders(of kind: Message.Kind) -> Set<DSPRole>
    /// Why a message the table allows has the wrong form in the current state, or nil if it is fine.
    func formProblem(_ message: Message) -> String?
}

/// The result of an accepted message, made by the shared core.
protocol ProcessStep {
    associatedtype State
    init(previous: State?, state: State, isDuplicate: Bool, outgoing: [DSPMessage])
}

extension ProcessMachine {
    /// Checks `message` from `sender` and, if allowed, moves to the next state; a refusal changes nothing.
    mutating func advance(_ message: Message, from sender: DSPRole) -> Result<Step, TransitionError> {
        let kind = message.kind
        func refuse(_ reason: TransitionError.Reason) -> Result<Step, TransitionError> {
            .failure(TransitionError(reason, state: state?.rawValue, message: kind.rawValue, sender: sender))
        }

        // A replay of the message that caused the current state is answered again, not applied again.
        if let state, lastMessage == message, lastSender == sender {
            return .success(Step(previous: state, state: state, isDuplicate: true,
                                 outgoing: sender == role ? [] : acknowledgement(state)))
        }
        guard Self.senders(of: kind).contains(sender) else { return refuse(.senderNotAllowed) }
        if let state, state.isTerminal { return refuse(.terminalState) }
        guard let next = Self.transition(from: state, kind, sender: sender) else { return refuse(.notAllowedInState) }
        if let problem = formProblem(message) { return refuse(.malformed(problem)) }
        for (field, expected, received) in [("providerPid", providerPid, message.providerPid),
                                            ("consumerPid", consumerPid, message.namedConsumerPid)] {
            if let expected, let received, expected != received {
                return refuse(.processMismatch(field: field, expected: expected, received: received))
            }
        }

        let previous = state
        providerPid = providerPid ?? message.providerPid
        consumerPid = consumerPid ?? message.namedConsumerPid
        state = next
        lastMessage = message
        lastSender = sender
        let outgoing = sender == role ? [message.dspMessage] : acknowledgement(next)
        return .success(Step(previous: previous, state: next, isDuplicate: false, outgoing: outgoing))
    }

    /// Records the peer's process id from its acknowledgement of our initial message.
    mutating func record(_ ack: Acknowledgement) -> Result<Void, TransitionError> {
        for (field, known, received) in [("providerPid", providerPid, ack.providerPid),
                                         ("consumerPid", consumerPid, ack.consumerPid)] {
            if let known, known != received {
                return .failure(TransitionError(
                    .processMismatch(field: field, expected: known, received: received),
                    state: state?.rawValue, message: Acknowledgement.type, sender: role.peer))
            }
        }
        providerPid = ack.providerPid
        consumerPid = ack.consumerPid
        return .success(())
    }

    /// The error body for a refused message, with this process's ids where the message lacks them.
    func errorBody(_ error: TransitionError, to message: Message) -> ErrorBody {
        ErrorBody(id: nil, providerPid: providerPid ?? message.providerPid ?? "",
                  consumerPid: consumerPid ?? message.namedConsumerPid ?? "", code: "400",
                  reason: [error.description])
    }

    /// The acknowledgement for the current state, once both process ids are known.
    var currentAcknowledgement: Acknowledgement? {
        guard let state, let providerPid, let consumerPid else { return nil }
        return Acknowledgement(id: nil, providerPid: providerPid, consumerPid: consumerPid, state: state)
    }

    private func acknowledgement(_ state: State) -> [DSPMessage] {
        guard let providerPid, let consumerPid else { return [] }
        return [Acknowledgement(id: nil, providerPid: providerPid, consumerPid: consumerPid, state: state).dspMessage]
    }
}
