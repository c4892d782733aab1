/// The HTTP server's `StreamAcceptor` for mutually authenticated TLS: accepts TCP connections and,
/// on each connection's own thread, runs the handshake under the server's deadline and then the
/// caller's identity check.
///
/// The `EstablishedConnection.peer` handed to HTTP is the `Identity` the check returned (e.g. the
/// member's participant id), so a handler reads it with `request.peer as? Identity`. A connection
/// whose handshake or identity check fails never reaches HTTP; the server logs the error
/// (`TransportError.tls`, `.timedOut` or `.peerRefused`, with OpenSSL's reason).
///
/// Under a `.requestedButOptional` context a client without a certificate is not checked (there is
/// nothing to check) and reaches HTTP with `request.peer == nil`; its handlers decide what such a
/// client may see. A client that does present a certificate is verified and identified as always.
///
/// The context comes from a `TLSContextSlot`, so a reload applies to the next handshake.
package final class TLSAcceptor<Identity: Sendable>: StreamAcceptor {
    package let contexts: TLSContextSlot
    package let identityCheck: PeerIdentityCheck<Identity>
    private let listener: Socket

    /// Listens on `host:port` (port 0 picks a free port; read it from `localPort`).
    package convenience init(host: String, port: UInt16, contexts: TLSContextSlot,
                            identityCheck: PeerIdentityCheck<Identity>) throws {
        self.init(listener: try Socket.listen(host: host, port: port), contexts: contexts, identityCheck: identityCheck)
    }

    /// Uses an already listening socket.
    package init(listener: Socket, contexts: TLSContextSlot, identityCheck: PeerIdentityCheck<Identity>) {
        self.listener = listener
        self.contexts = contexts
        self.identityCheck = identityCheck
    }

    package var localPort: UInt16 { listener.localPort }

    /// Takes the next TCP connection off the listener; the TLS work happens in `establish`.
    package func accept() throws -> AcceptedConnection {
        let socket = try listener.accept()
        return AcceptedConnection(socket: socket) { [self] socket, handshakeTimeout in
            let (stream, identity) = try establish(socket, handshakeTimeout: handshakeTimeout)
            return EstablishedConnection(stream: stream, peer: identity)
        }
    }

    /// Runs the server handshake and the identity check on an accepted socket. On failure the
    /// socket is closed and the error says why. `identity` is nil only for a client without a
    /// certificate, which a `.requestedButOptional` context lets through.
    package func establish(_ socket: Socket, handshakeTimeout: Duration) throws -> (stream: TLSStream, identity: Identity?) {
        let stream = try TLSStream.accept(socket: socket, context: contexts.current, handshakeTimeout: handshakeTimeout)
        // `accept` has already refused a certificate-less client unless the context allows one.
        guard stream.peerCertificate != nil else { return (stream, nil) }
        return (stream, try stream.identify(with: identityCheck))
    }

    /// Accepts and establishes one connection on the calling thread (for callers without an HTTP server).
    package func acceptStream(handshakeTimeout: Duration) throws -> (stream: TLSStream, identity: Identity?) {
        try establish(try listener.accept(), handshakeTimeout: handshakeTimeout)
    }

    /// On Linux, shutting a listening socket down makes a blocked accept(2) fail.
    package func stopAccepting() {
        listener.shutdownBoth()
    }

    package func close() {
        listener.close()
    }
}
