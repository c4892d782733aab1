/// The messages that drive a transfer process.
package enum TransferMessage: Sendable, Hashable {
    case request(TransferRequestMessage)
    case start(TransferStartMessage)
    case completion(TransferCompletionMessage)
    case suspension(TransferSuspensionMessage)
    case termination(TransferTerminationMessage)

    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case request = "TransferRequestMessage"
        case start = "TransferStartMessage"
        case completion = "TransferCompletionMessage"
        case suspension = "TransferSuspensionMessage"
        case termination = "TransferTerminationMessage"
    }

    package var kind: Kind {
        switch self {
        case .request: return .request
        case .start: return .start
        case .completion: return .completion
        case .suspension: return .suspension
        case .termination: return .termination
        }
    }

    package init?(_ message: DSPMessage) {
        switch message {
        case .transferRequest(let m): self = .request(m)
        case .transferStart(let m): self = .start(m)
        case .transferCompletion(let m): self = .completion(m)
        case .transferSuspension(let m): self = .suspension(m)
        case .transferTermination(let m): self = .termination(m)
        default: return nil
        }
    }

    package var dspMessage: DSPMessage {
        switch self {
        case .request(let m): return .transferRequest(m)
        case .start(let m): return .transferStart(m)
        case .completion(let m): return .transferCompletion(m)
        case .suspension(let m): return .transferSuspension(m)
        case .termination(let m): return .transferTermination(m)
        }
    }

    /// Nil only for the request, which the provider answers with its pid.
    package var providerPid: String? {
        switch self {
        case .request: return nil
        case .start(let m): return m.providerPid
        case .completion(let m): return m.providerPid
        case .suspension(let m): return m.providerPid
        case .termination(let m): return m.providerPid
        }
    }

    package var consumerPid: String {
        switch self {
        case .request(let m): return m.consumerPid
        case .start(let m): return m.consumerPid
        case .completion(let m): return m.consumerPid
        case .suspension(let m): return m.consumerPid
        case .termination(let m): return m.consumerPid
        }
    }
}
