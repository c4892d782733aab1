import VerbundHTTP

/// Makes the body of an error answer from its status, the request target when one was read, and the reason text.
package typealias HTTPErrorRenderer = @Sendable (_ status: HTTPStatus, _ target: String?, _ reason: String)
    -> (contentType: String, body: [UInt8])

/// Bounds and timeouts of an `HTTPServer`.
package struct HTTPServerConfiguration: Sendable {
    /// Connections served at once after their handshake (one thread each); beyond it they get a fast 503.
    package var maxConnections: Int
    /// Handshakes under way at once (one thread each), separate from `maxConnections`; when full, the oldest handshake
    /// is cut off for the new connection.
    package var maxHandshakes: Int
    /// Handshakes under way at once from one source (IPv4 address, IPv6 /64); beyond it new connections are closed.
    package var maxHandshakesPerSource: Int
    /// Connections being refused with 503 at once; beyond it they are closed without a word.
    package var maxRejections: Int
    /// Parser bounds; `maxBodyBytes` is the default body limit of routes that set none.
    package var limits: HTTPParserLimits
    /// The whole TLS handshake (or any other establishment) of a new connection, from accept: a total deadline.
    package var handshakeTimeout: Duration
    /// The whole request head, from its first byte (from the end of the handshake for the first request).
    package var headerTimeout: Duration
    /// Silence allowed between two requests of a persistent connection.
    package var idleTimeout: Duration
    /// Silence allowed between two reads of a request body.
    package var bodyProgressTimeout: Duration
    /// A write waiting for the peer to make room.
    package var writeTimeout: Duration
    /// Everything about a 503 refusal (establishment, write, lingering read).
    package var rejectionTimeout: Duration
    /// Unread body bytes the server reads and discards to keep a connection alive after a response.
    package var maxDrainBytes: Int
    /// Stack size of connection threads (virtual; pages are committed as handlers use them).
    package var threadStackSize: Int
    /// Connection threads kept parked for the next connection instead of ending (their touched stack pages stay
    /// resident); 0 starts a new thread for every connection.
    package var parkedThreads: Int
    /// Renders every 4xx/5xx answer that is not already JSON — the server's own (unreadable request, unknown route,
    /// 405, 413, over capacity) and handlers' plain-text ones — as a protocol's error object; nil keeps plain text.
    package var errorRenderer: HTTPErrorRenderer?

    package init(
        maxConnections: Int = 128,
        maxRejections: Int = 16,
        maxHandshakes: Int = 256,
        maxHandshakesPerSource: Int = 16,
        limits: HTTPParserLimits = HTTPParserLimits(),
        handshakeTimeout: Duration = .seconds(3),
        headerTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(60),
        bodyProgressTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30),
        rejectionTimeout: Duration = .seconds(1),
        maxDrainBytes: Int = 256 * 1024,
        threadStackSize: Int = 4 << 20,
        parkedThreads: Int = 8
    ) {
        self.maxConnections = maxConnections
        self.maxRejections = maxRejections
        self.maxHandshakes = maxHandshakes
        self.maxHandshakesPerSource = maxHandshakesPerSource
        self.limits = limits
        self.handshakeTimeout = handshakeTimeout
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
        self.bodyProgressTimeout = bodyProgressTimeout
        self.writeTimeout = writeTimeout
        self.rejectionTimeout = rejectionTimeout
        self.maxDrainBytes = maxDrainBytes
        self.threadStackSize = threadStackSize
        self.parkedThreads = parkedThreads
    }
}
