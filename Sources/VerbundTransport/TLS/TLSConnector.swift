/// Opens client TLS streams to peers: TCP connect with a timeout, handshake under a deadline, then
/// the caller's identity check of the server (e.g. "is this the member whose endpoint I called?").
///
/// `httpConnect` plugs it into `HTTPClient(connect:)`. Sendable, so one connector serves every
/// thread; the context comes from a `TLSContextSlot`, so a reload applies to the next connection.
package struct TLSConnector<Identity: Sendable>: Sendable {
    package let contexts: TLSContextSlot
    package let identityCheck: PeerIdentityCheck<Identity>
    package var connectTimeout: Duration
    package var handshakeTimeout: Duration

    package init(contexts: TLSContextSlot, identityCheck: PeerIdentityCheck<Identity>,
                connectTimeout: Duration = .seconds(10), handshakeTimeout: Duration = .seconds(10)) {
        self.contexts = contexts
        self.identityCheck = identityCheck
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
    }

    /// Connects, handshakes (sending `host` as SNI unless it is an IP literal) and identifies the server.
    /// A refused server throws `TransportError.peerRefused`; the stream is then already closed.
    package func connect(host: String, port: UInt16) throws -> (stream: TLSStream, identity: Identity) {
        try connect(host: host, port: port, connectTimeout: connectTimeout)
    }

    private func connect(host: String, port: UInt16, connectTimeout: Duration,
                         within total: Duration? = nil) throws -> (stream: TLSStream, identity: Identity) {
        let end = total.map { ContinuousClock.now + $0 }
        let socket = try Socket.connect(host: host, port: port, timeout: connectTimeout)
        var handshake = handshakeTimeout
        if let end {
            let remaining = end - .now
            guard remaining > .zero else {
                throw TransportError.timedOut("connecting to \(host):\(port) left no time for the TLS handshake")
            }
            handshake = min(handshake, remaining)
        }
        let stream = try TLSStream.connect(socket: socket, context: contexts.current, serverName: host,
                                           handshakeTimeout: handshake)
        return (stream, try stream.identify(with: identityCheck))
    }

    /// The connect closure for `HTTPClient`: the client's timeout bounds the TCP connect and the TLS handshake together
    /// (the handshake also by `handshakeTimeout`), so a call's total deadline holds. Each call opens a new, identified
    /// TLS stream.
    package var httpConnect: HTTPClient.Connect {
        let connector = self
        return { host, port, timeout in try connector.connect(host: host, port: port, connectTimeout: timeout, within: timeout).stream }
    }
}
