extension TransferRequestMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        consumerPid = try keyed.string("consumerPid")
        agreementId = try keyed.string("agreementId")
        format = try keyed.string("format")
        callbackAddress = try keyed.string("callbackAddress")
        dataAddress = try keyed.decodeIfPresent(DataAddress.self, forKey: "dataAddress")
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encode(agreementId, forKey: "agreementId")
        try keyed.encode(format, forKey: "format")
        try keyed.encode(callbackAddress, forKey: "callbackAddress")
        try keyed.encodeIfPresent(dataAddress, forKey: "dataAddress")
    }
}

extension TransferStartMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.string("consumerPid")
        dataAddress = try keyed.decodeIfPresent(DataAddress.self, forKey: "dataAddress")
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encodeIfPresent(dataAddress, forKey: "dataAddress")
    }
}

extension TransferCompletionMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.string("consumerPid")
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
    }
}

/// The messages that are two process ids plus an optional `code` and `reason` list.
protocol CodedTransferMessage: Codable {
    static var type: String { get }
    var id: String? { get }
    var providerPid: String { get }
    var consumerPid: String { get }
    var code: String? { get }
    var reason: [String] { get }
    init(id: String?, providerPid: String, consumerPid: String, code: String?, reason: [String])
}

extension CodedTransferMessage {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        self.init(
            id: try keyed.optionalString("@id"), providerPid: try keyed.string("providerPid"),
            consumerPid: try keyed.string("consumerPid"), code: try keyed.optionalString("code"),
            reason: try keyed.reasons())
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encodeReasons(code: code, reasons: reason)
    }
}

extension TransferSuspensionMessage: CodedTransferMessage {}
extension TransferTerminationMessage: CodedTransferMessage {}
extension TransferError: CodedTransferMessage {}

extension TransferProcess: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireDSPContext()
        try keyed.requireType(Self.type)
        id = try keyed.optionalString("@id")
        providerPid = try keyed.string("providerPid")
        consumerPid = try keyed.string("consumerPid")
        let written = try keyed.string("state")
        guard let state = TransferState(wire: written) else {
            throw DSPMessageError.invalidValue(field: "state", reason: "\"\(written)\" is not a transfer state")
        }
        self.state = state
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encodeHeader(type: Self.type)
        try keyed.encodeIfPresent(id, forKey: "@id")
        try keyed.encode(providerPid, forKey: "providerPid")
        try keyed.encode(consumerPid, forKey: "consumerPid")
        try keyed.encode(state, forKey: "state")
    }
}
