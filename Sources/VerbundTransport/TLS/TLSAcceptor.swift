/// Turns connections on a listening socket into authenticated TLS streams: accept, handshake under
/// a deadline, then the caller's identity check.
///
/// Accepting and handshaking are separate steps so a server can accept on one thread and run the
/// (slow, peer-paced) handshake on the connection's own thread: `acceptSocket()` then
/// `establish(_:)`. `accept()` does both for simple callers. Sendable: one acceptor serves every
/// connection thread; the context comes from a `TLSContextSlot`, so reloads apply to new handshakes.
public final class TLSAcceptor<Identity: Sendable>: Sendable {
    public let listener: Socket
    public let contexts: TLSContextSlot
    public let identityCheck: PeerIdentityCheck<Identity>
    public let handshakeTimeout: Duration
    public let readTimeout: Duration
    public let writeTimeout: Duration

    public init(listener: Socket, contexts: TLSContextSlot, identityCheck: PeerIdentityCheck<Identity>,
                handshakeTimeout: Duration = .seconds(10), readTimeout: Duration = .seconds(30),
                writeTimeout: Duration = .seconds(30)) {
        self.listener = listener
        self.contexts = contexts
        self.identityCheck = identityCheck
        self.handshakeTimeout = handshakeTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
    }

    /// Port the listener is bound to (useful with port 0).
    public var localPort: UInt16 { listener.localPort }

    /// Waits for the next TCP connection (no TLS yet).
    public func acceptSocket() throws -> Socket {
        try listener.accept()
    }

    /// Runs the handshake and identity check on an accepted socket. On any failure the socket is
    /// closed and the error says why (`TransportError.tls`, `.timedOut` or `.peerRefused`).
    public func establish(_ socket: Socket) throws -> (stream: TLSStream, identity: Identity) {
        let stream = try TLSStream.accept(socket: socket, context: contexts.current, handshakeTimeout: handshakeTimeout,
                                          readTimeout: readTimeout, writeTimeout: writeTimeout)
        return (stream, try stream.identify(with: identityCheck))
    }

    /// `acceptSocket()` followed by `establish(_:)`.
    public func accept() throws -> (stream: TLSStream, identity: Identity) {
        try establish(try acceptSocket())
    }
}
