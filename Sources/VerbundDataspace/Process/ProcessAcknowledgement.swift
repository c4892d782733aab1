/// The ACK of a negotiation or transfer message (`ContractNegotiation`, `TransferProcess`): both process ids
/// and the state. Both are coded the same way.
protocol ProcessAcknowledgement: Codable, Hashable, Sendable {
    associatedtype State: ProcessState
    static var type: String { get }
    var id: String? { get }
    var providerPid: String { get }
    var consumerPid: String { get }
    var state: State { get }
    init(id: String?, providerPid: String, consumerPid: String, state: State)
    /// The acknowledgement as one of the messages a connector sends.
    var dspMessage: DSPMessage { get }
}

extension ProcessAcknowledgement {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        let id = try keyed.optionalString("@id")
        let pids = try keyed.processIDs()
        let written = try keyed.string("state")
        guard let state = State(rawValue: DSPVocabulary.bareTerm(written)) else {
            throw DSPMessageError.invalidValue(
                field: "state", reason: "\"\(written)\" is not a \(State.processName) state")
        }
        self.init(id: id, providerPid: pids.providerPid, consumerPid: pids.consumerPid,
                  state: state)
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encodeProcessIDs(providerPid: providerPid, consumerPid: consumerPid)
        try keyed.encode(state, forKey: "state")
    }
}

extension ContractNegotiation: ProcessAcknowledgement {
    var dspMessage: DSPMessage { .contractNegotiation(self) }
}

extension TransferProcess: ProcessAcknowledgement {
    var dspMessage: DSPMessage { .transferProcess(self) }
}
