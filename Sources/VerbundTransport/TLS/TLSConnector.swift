/// Opens client TLS streams to peers: TCP connect with a timeout, handshake under a deadline, then
/// the caller's identity check of the server (e.g. "is this the member whose endpoint I called?").
///
/// `streamFactory` plugs it into an HTTP client that takes `(host, port) throws -> any ByteStream`.
/// Sendable, so one connector serves every thread; the context comes from a `TLSContextSlot`.
public struct TLSConnector<Identity: Sendable>: Sendable {
    public let contexts: TLSContextSlot
    public let identityCheck: PeerIdentityCheck<Identity>
    public var connectTimeout: Duration
    public var handshakeTimeout: Duration
    public var readTimeout: Duration
    public var writeTimeout: Duration

    public init(contexts: TLSContextSlot, identityCheck: PeerIdentityCheck<Identity>,
                connectTimeout: Duration = .seconds(10), handshakeTimeout: Duration = .seconds(10),
                readTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30)) {
        self.contexts = contexts
        self.identityCheck = identityCheck
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
    }

    /// Connects, handshakes (sending `host` as SNI unless it is an IP literal) and identifies the server.
    public func connect(host: String, port: UInt16) throws -> (stream: TLSStream, identity: Identity) {
        let socket = try Socket.connect(host: host, port: port, timeout: connectTimeout)
        let stream = try TLSStream.connect(socket: socket, context: contexts.current, serverName: host,
                                           handshakeTimeout: handshakeTimeout,
                                           readTimeout: readTimeout, writeTimeout: writeTimeout)
        return (stream, try stream.identify(with: identityCheck))
    }

    /// A factory for HTTP clients: each call opens a new, identified TLS stream.
    public var streamFactory: @Sendable (String, UInt16) throws -> any ByteStream {
        let connector = self
        return { host, port in try connector.connect(host: host, port: port).stream }
    }
}
