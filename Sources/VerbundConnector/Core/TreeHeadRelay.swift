import Synchronization
import VerbundFederation
import VerbundHTTP

/// Carries signed tree heads (docs/design.md §17: STHs are exchanged with peers in DSP exchanges) between the transport
/// and the audit module: the connector's own latest STH goes out in `Verbund-Tree-Head` on every DSP response, and the
/// STHs peers send back on responses to our requests go to the receiver (the audit module checks their consistency).
/// Without an audit module nothing is published and received heads are dropped.
package final class TreeHeadRelay: Sendable {
    /// The header field with a compact JWS (RFC 7515 §7.1) signed tree head.
    package static let header = "Verbund-Tree-Head"

    package typealias Receiver = @Sendable (Member, String) -> Void

    private struct State {
        var latest: String?
        var receiver: Receiver?
    }

    private let state = Mutex(State())

    package init() {}

    /// The connector's newest signed tree head, sent on every DSP response from now on.
    package func publish(_ compact: String) { state.withLock { $0.latest = compact } }

    package var latest: String? { state.withLock { $0.latest } }

    package func setReceiver(_ receiver: Receiver?) { state.withLock { $0.receiver = receiver } }

    /// Called on connection threads with what a peer's response carried; the receiver must return quickly.
    package func report(_ member: Member, _ headers: HTTPHeaders) {
        guard let value = headers[Self.header], !value.isEmpty, value.utf8.count <= 16_384 else { return }
        state.withLock { $0.receiver }?(member, value)
    }

    /// Adds the latest head to a response's header fields.
    func stamp(_ headers: inout HTTPHeaders) {
        if let latest { headers.set(Self.header, latest) }
    }
}
