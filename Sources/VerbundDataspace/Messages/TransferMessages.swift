// Transfer process messages of DSP 2025-1 (DSP 2025-1, Transfer Process Protocol, Message Types).

/// C → P: start a transfer under an agreement. `dataAddress` only for push formats.
public struct TransferRequestMessage: Sendable, Hashable {
    public static let type = "TransferRequestMessage"
    public var id: String?
    public var consumerPid: String
    public var agreementId: String
    public var format: String
    public var callbackAddress: String
    public var dataAddress: DataAddress?

    public init(id: String? = nil, consumerPid: String, agreementId: String, format: String, callbackAddress: String,
                dataAddress: DataAddress? = nil) {
        self.id = id
        self.consumerPid = consumerPid
        self.agreementId = agreementId
        self.format = format
        self.callbackAddress = callbackAddress
        self.dataAddress = dataAddress
    }
}

/// P → C (or C → P to resume after suspension). For pull formats the provider's start carries `dataAddress`.
public struct TransferStartMessage: Sendable, Hashable {
    public static let type = "TransferStartMessage"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var dataAddress: DataAddress?

    public init(id: String? = nil, providerPid: String, consumerPid: String, dataAddress: DataAddress? = nil) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.dataAddress = dataAddress
    }
}

/// C or P: the data has been transferred.
public struct TransferCompletionMessage: Sendable, Hashable {
    public static let type = "TransferCompletionMessage"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String

    public init(id: String? = nil, providerPid: String, consumerPid: String) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
    }
}

/// C or P pauses a started transfer.
public struct TransferSuspensionMessage: Sendable, Hashable {
    public static let type = "TransferSuspensionMessage"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var code: String?
    public var reason: [String]

    public init(id: String? = nil, providerPid: String, consumerPid: String, code: String? = nil,
                reason: [String] = []) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.code = code
        self.reason = reason
    }
}

/// C or P ends the transfer.
public struct TransferTerminationMessage: Sendable, Hashable {
    public static let type = "TransferTerminationMessage"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var code: String?
    public var reason: [String]

    public init(id: String? = nil, providerPid: String, consumerPid: String, code: String? = nil,
                reason: [String] = []) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.code = code
        self.reason = reason
    }
}

/// The states of a transfer process.
public enum TransferState: String, Sendable, Hashable, CaseIterable, Codable {
    case requested = "REQUESTED"
    case started = "STARTED"
    case suspended = "SUSPENDED"
    case completed = "COMPLETED"
    case terminated = "TERMINATED"

    public var isTerminal: Bool { self == .completed || self == .terminated }

    public init?(wire: String) {
        self.init(rawValue: DSPVocabulary.bareTerm(wire))
    }
}

extension TransferState: ProcessState {
    static var processName: String { "transfer" }
}

/// The ACK of every transfer request: both process ids and the state.
public struct TransferProcess: Sendable, Hashable {
    public static let type = "TransferProcess"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var state: TransferState

    public init(id: String? = nil, providerPid: String, consumerPid: String, state: TransferState) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.state = state
    }
}

/// The body of a 4xx answer to a transfer message; it causes no state change.
public struct TransferError: Sendable, Hashable, Error {
    public static let type = "TransferError"
    public var id: String?
    public var providerPid: String
    public var consumerPid: String
    public var code: String?
    public var reason: [String]

    public init(id: String? = nil, providerPid: String, consumerPid: String, code: String? = nil,
                reason: [String] = []) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.code = code
        self.reason = reason
    }
}
