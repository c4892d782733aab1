import Foundation
import VerbundHTTP

/// A message to a peer that a module promises to deliver, enqueued in the same transaction as the state change that
/// causes it (docs/design.md §5: nothing is lost).
package struct OutboxRequest: Sendable {
    /// Unique id; also sent as `Verbund-Message-Id` so the peer can drop duplicates (delivery is at-least-once).
    package var id: String
    /// Which module's `OutboxAcknowledgementHandler` learns the outcome, e.g. `negotiation.request`.
    package var kind: String
    /// What the message belongs to (e.g. a negotiation's process id), for handlers and for listing a process's messages.
    package var correlation: String?
    package var destination: OutboxDestination
    package var method: HTTPMethod
    /// The exact body (JSON for DSP messages).
    package var body: [UInt8]

    package init(id: String = UUID().uuidString.lowercased(), kind: String, correlation: String? = nil,
                destination: OutboxDestination, method: HTTPMethod = .post, body: [UInt8]) {
        self.id = id
        self.kind = kind
        self.correlation = correlation
        self.destination = destination
        self.method = method
        self.body = body
    }
}
