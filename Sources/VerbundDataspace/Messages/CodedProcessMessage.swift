/// The negotiation and transfer messages that are both process ids plus an optional `code` and `reason` list:
/// errors, terminations and suspensions. They share one coding.
protocol CodedProcessMessage: Codable {
    static var type: String { get }
    var id: String? { get }
    var providerPid: String { get }
    var consumerPid: String { get }
    var code: String? { get }
    var reason: [String] { get }
    init(id: String?, providerPid: String, consumerPid: String, code: String?, reason: [String])
}

extension CodedProcessMessage {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        let id = try keyed.optionalString("@id")
        let pids = try keyed.processIDs()
        self.init(
            id: id, providerPid: pids.providerPid, consumerPid: pids.consumerPid,
            code: try keyed.optionalString("code"), reason: try keyed.reasons())
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encodeProcessIDs(providerPid: providerPid, consumerPid: consumerPid)
        try keyed.encodeReasons(code: code, reasons: reason)
    }
}

extension ContractNegotiationTerminationMessage: CodedProcessMessage {}
extension ContractNegotiationError: CodedProcessMessage {}
extension TransferSuspensionMessage: CodedProcessMessage {}
extension TransferTerminationMessage: CodedProcessMessage {}
extension TransferError: CodedProcessMessage {}
