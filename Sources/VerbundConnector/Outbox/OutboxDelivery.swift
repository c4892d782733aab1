import Foundation

/// An outbox message as the dispatcher hands it to its kind's handler.
package struct OutboxDelivery: Sendable {
    package let id: String
    package let kind: String
    package let correlation: String?
    package let destination: OutboxDestination
    package let method: String
    package let body: [UInt8]
    package let createdAt: Date
    /// Failed attempts before this one.
    package let previousAttempts: Int
}

/// How the delivery of an outbox message ended. Every case is final: the message is not sent again.
package enum OutboxOutcome: Sendable {
    /// The peer answered 2xx (DSP: the counter-party acknowledged; the state change may now happen).
    case acknowledged(status: Int, body: [UInt8])
    /// The peer answered 4xx (other than 408/425/429): it will not take this message, e.g. a `ContractNegotiationError`.
    case refused(status: Int, body: [UInt8])
    /// It can never be delivered: the member is unknown or revoked, or the URL belongs to no member.
    case undeliverable(reason: String)

    /// `acknowledged`, `refused` or `undeliverable`, as stored and in metrics.
    package var name: String {
        switch self {
        case .acknowledged: return "acknowledged"
        case .refused: return "refused"
        case .undeliverable: return "undeliverable"
        }
    }

    var status: Int? {
        switch self {
        case let .acknowledged(status, _), let .refused(status, _): return status
        case .undeliverable: return nil
        }
    }
}
