/// Sees every DSP body of the negotiation module on the wire — messages sent and received, bodies answered, and the
/// acknowledgements peers returned — e.g. so tests can validate each against the DSP 2025-1 schemas.
package struct NegotiationWireTap: Sendable {
    package enum Direction: String, Sendable {
        /// A message this connector enqueued for a peer.
        case sent
        /// A message a peer sent this connector.
        case received
        /// A response body this connector answered with (ACK or error).
        case answered
        /// A response body a peer answered one of our messages with.
        case acknowledgement
    }

    private let handler: @Sendable (Direction, [UInt8]) -> Void

    package init(_ handler: @escaping @Sendable (Direction, [UInt8]) -> Void) {
        self.handler = handler
    }

    func record(_ direction: Direction, _ body: [UInt8]) {
        guard !body.isEmpty else { return }
        handler(direction, body)
    }
}
