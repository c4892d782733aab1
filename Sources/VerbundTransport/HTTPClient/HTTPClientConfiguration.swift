import VerbundHTTP

/// Timeouts and bounds of an `HTTPClient`. `exchangeDeadline` and `limits.maxBodyBytes` are the defaults of every
/// call; a call passes its own (`send(_:maxBodyBytes:deadline:)`), e.g. a streaming download its expected size.
package struct HTTPClientConfiguration: Sendable {
    /// TCP connect plus any handshake the connect closure runs (TLS), bounded by the exchange deadline too.
    package var connectTimeout: Duration
    /// The whole exchange, from the first connect attempt to the last body byte: a total deadline that holds whatever
    /// the peer does (a watchdog cuts the connection off when it passes).
    package var exchangeDeadline: Duration
    /// From the end of sending the request to the end of the response head.
    package var responseHeadTimeout: Duration
    /// Silence allowed between two reads of a response body.
    package var bodyProgressTimeout: Duration
    package var writeTimeout: Duration
    /// Idle connections kept per peer for reuse.
    package var maxIdleConnectionsPerPeer: Int
    /// An idle connection older than this is not reused (kept below typical server idle timeouts).
    package var maxIdleTime: Duration
    /// Parser bounds; `maxBodyBytes` bounds every response body unless a call says otherwise.
    package var limits: HTTPParserLimits

    package init(
        connectTimeout: Duration = .seconds(10),
        exchangeDeadline: Duration = .seconds(60),
        responseHeadTimeout: Duration = .seconds(30),
        bodyProgressTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30),
        maxIdleConnectionsPerPeer: Int = 4,
        maxIdleTime: Duration = .seconds(20),
        limits: HTTPParserLimits = HTTPParserLimits(maxHeaderBytes: 64 * 1024, maxBodyBytes: 16 * 1024 * 1024)
    ) {
        self.connectTimeout = connectTimeout
        self.exchangeDeadline = exchangeDeadline
        self.responseHeadTimeout = responseHeadTimeout
        self.bodyProgressTimeout = bodyProgressTimeout
        self.writeTimeout = writeTimeout
        self.maxIdleConnectionsPerPeer = maxIdleConnectionsPerPeer
        self.maxIdleTime = maxIdleTime
        self.limits = limits
    }
}
