// Transfer process messages of DSP 2025-1 (DSP 2025-1, Transfer Process Protocol, Message Types).

/// C → P: start a transfer under an agreement. `dataAddress` only for push formats.
package struct TransferRequestMessage: Sendable, Hashable {
    package static let type = "TransferRequestMessage"
    package var id: String?
    package var consumerPid: String
    package var agreementId: String
    package var format: String
    package var callbackAddress: String
    package var dataAddress: DataAddress?

    package init(id: String? = nil, consumerPid: String, agreementId: String, format: String, callbackAddress: String,
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
package struct TransferStartMessage: Sendable, Hashable {
    package static let type = "TransferStartMessage"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    package var dataAddress: DataAddress?

    package init(id: String? = nil, providerPid: String, consumerPid: String, dataAddress: DataAddress? = nil) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.dataAddress = dataAddress
    }
}

/// C or P: the data has been transferred.
package struct TransferCompletionMessage: Sendable, Hashable {
    package static let type = "TransferCompletionMessage"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String

    package init(id: String? = nil, providerPid: String, consumerPid: String) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
    }
}

/// C or P pauses a started transfer.
package struct TransferSuspensionMessage: Sendable, Hashable {
    package static let type = "TransferSuspensionMessage"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    package var code: String?
    package var reason: [String]

    package init(id: String? = nil, providerPid: String, consumerPid: String, code: String? = nil,
                reason: [String] = []) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.code = code
        self.reason = reason
    }
}

/// C or P ends the transfer.
package struct TransferTerminationMessage: Sendable, Hashable {
    package static let type = "TransferTerminationMessage"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    package var code: String?
    package var reason: [String]

    package init(id: String? = nil, providerPid: String, consumerPid: String, code: String? = nil,
                reason: [String] = []) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.code = code
        self.reason = reason
    }
}

/// The states of a transfer process.
package enum TransferState: String, Sendable, Hashable, CaseIterable, Codable {
    case requested = "REQUESTED"
    case started = "STARTED"
    case suspended = "SUSPENDED"
    case completed = "COMPLETED"
    case terminated = "TERMINATED"

    package var isTerminal: Bool { self == .completed || self == .terminated }

    package init?(wire: String) {
        self.init(rawValue: DSPVocabulary.bareTerm(wire))
    }
}

extension TransferState: ProcessState {
    static var processName: String { "transfer" }
}

/// The ACK of every transfer request: both process ids and the state.
package struct TransferProcess: Sendable, Hashable {
    package static let type = "TransferProcess"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    package var state: TransferState

    package init(id: String? = nil, providerPid: String, consumerPid: String, state: TransferState) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.state = state
    }
}

/// The body of a 4xx answer to a transfer message; it causes no state change.
package struct TransferError: Sendable, Hashable, Error {
    package static let type = "TransferError"
    package var id: String?
    package var providerPid: String
    package var consumerPid: String
    package var code: String?
    package var reason: [String]

    package init(id: String? = nil, providerPid: String, consumerPid: String, code: String? = nil,
                reason: [String] = []) {
        self.id = id
        self.providerPid = providerPid
        self.consumerPid = consumerPid
        self.code = code
        self.reason = reason
    }
}
