/// Hard bounds on what a parser accepts; every buffer a parser keeps stays within these.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request line (method, target, version); beyond it the answer is 414.
    public var maxRequestLineBytes: Int
    /// Longest status line of a response.
    public var maxStatusLineBytes: Int
    /// All header field lines together, CRLFs included; beyond it the answer is 431. Trailers get the same bound.
    public var maxHeaderBytes: Int
    /// Most header fields; beyond it the answer is 431.
    public var maxHeaderCount: Int
    /// Default body bound (a server narrows or widens it per route after the head); beyond it the answer is 413.
    public var maxBodyBytes: Int
    /// Longest chunk extension on one chunk-size line (RFC 9112 §7.1.1).
    public var maxChunkExtensionBytes: Int

    public init(
        maxRequestLineBytes: Int = 8 * 1024,
        maxStatusLineBytes: Int = 1024,
        maxHeaderBytes: Int = 32 * 1024,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1024 * 1024,
        maxChunkExtensionBytes: Int = 1024
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxStatusLineBytes = maxStatusLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkExtensionBytes = maxChunkExtensionBytes
    }
}
