import VerbundHTTP

/// Timeouts and bounds of an `HTTPClient`.
public struct HTTPClientConfiguration: Sendable {
    public var connectTimeout: Duration
    /// From the end of sending the request to the end of the response head.
    public var responseHeadTimeout: Duration
    /// Silence allowed between two reads of a response body.
    public var bodyProgressTimeout: Duration
    public var writeTimeout: Duration
    /// Idle connections kept per peer for reuse.
    public var maxIdleConnectionsPerPeer: Int
    /// An idle connection older than this is not reused (kept below typical server idle timeouts).
    public var maxIdleTime: Duration
    /// Parser bounds; `maxBodyBytes` bounds bodies read whole unless a call says otherwise.
    public var limits: HTTPParserLimits

    public init(
        connectTimeout: Duration = .seconds(10),
        responseHeadTimeout: Duration = .seconds(30),
        bodyProgressTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30),
        maxIdleConnectionsPerPeer: Int = 4,
        maxIdleTime: Duration = .seconds(20),
        limits: HTTPParserLimits = HTTPParserLimits(maxHeaderBytes: 64 * 1024, maxBodyBytes: 16 * 1024 * 1024)
    ) {
        self.connectTimeout = connectTimeout
        self.responseHeadTimeout = responseHeadTimeout
        self.bodyProgressTimeout = bodyProgressTimeout
        self.writeTimeout = writeTimeout
        self.maxIdleConnectionsPerPeer = maxIdleConnectionsPerPeer
        self.maxIdleTime = maxIdleTime
        self.limits = limits
    }
}
