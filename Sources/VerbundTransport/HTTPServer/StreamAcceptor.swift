/// Where an HTTP server gets its connections: plain TCP here, TLS in `TLS/`.
///
/// `accept()` runs on the server's accept thread and must return quickly; anything slow (a TLS
/// handshake) belongs in `AcceptedConnection.establish`, which runs on the connection's own thread.
package protocol StreamAcceptor: Sendable {
    /// Blocks until the next connection arrives.
    func accept() throws -> AcceptedConnection
    /// Makes a blocked `accept()` return with an error; may be called from any thread.
    func stopAccepting()
    /// Releases the listener; called by the accept thread once it stopped.
    func close()
    /// The bound port (useful with port 0).
    var localPort: UInt16 { get }
}

/// A connection taken off the listener but not yet ready for HTTP.
package struct AcceptedConnection: Sendable {
    /// The underlying socket, so the server can wake a blocked owner with `shutdownBoth()`.
    package let socket: Socket
    private let establishment: @Sendable (Socket, Duration) throws -> EstablishedConnection

    /// - Parameter establish: turns the socket into a byte stream within the given handshake timeout,
    ///   e.g. a TLS handshake plus the peer's identity.
    package init(socket: Socket, establish: @escaping @Sendable (Socket, Duration) throws -> EstablishedConnection) {
        self.socket = socket
        self.establishment = establish
    }

    /// Runs on the connection's thread.
    package func establish(handshakeTimeout: Duration) throws -> EstablishedConnection {
        try establishment(socket, handshakeTimeout)
    }
}

/// A stream ready for HTTP plus whatever the transport learnt about the peer.
package struct EstablishedConnection {
    package let stream: any ByteStream
    /// Opaque to HTTP: e.g. the verified participant id of a TLS client certificate.
    package let peer: (any Sendable)?

    package init(stream: any ByteStream, peer: (any Sendable)? = nil) {
        self.stream = stream
        self.peer = peer
    }
}
