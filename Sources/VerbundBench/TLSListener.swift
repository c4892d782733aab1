import VerbundTransport

/// Plugs a `TLSAcceptor` into `HTTPServer`: the accept thread only takes the TCP connection; the
/// handshake and the identity check run on the connection's own thread, as the daemon will do it.
struct TLSListener<Identity: Sendable>: StreamAcceptor {
    let acceptor: TLSAcceptor<Identity>

    func accept() throws -> AcceptedConnection {
        let socket = try acceptor.acceptSocket()
        let acceptor = self.acceptor
        return AcceptedConnection(socket: socket) { socket, handshakeTimeout in
            let stream = try TLSStream.accept(socket: socket, context: acceptor.contexts.current,
                                              handshakeTimeout: handshakeTimeout,
                                              readTimeout: acceptor.readTimeout, writeTimeout: acceptor.writeTimeout)
            let identity = try stream.identify(with: acceptor.identityCheck)
            return EstablishedConnection(stream: stream, peer: identity)
        }
    }

    /// On Linux, shutting a listening socket down makes a blocked accept(2) return with an error.
    func stopAccepting() { acceptor.listener.shutdownBoth() }

    func close() { acceptor.listener.close() }

    var localPort: UInt16 { acceptor.localPort }
}
