/// Hard bounds on what a parser accepts; every buffer a parser keeps stays within these.
package struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request line (method, target, version); beyond it the answer is 414.
    package var maxRequestLineBytes: Int
    /// Longest status line of a response.
    package var maxStatusLineBytes: Int
    /// All header field lines together, CRLFs included; beyond it the answer is 431. Trailers get the same bound.
    package var maxHeaderBytes: Int
    /// Most header fields; beyond it the answer is 431.
    package var maxHeaderCount: Int
    /// Default body bound (a server narrows or widens it per route after the head); beyond it the answer is 413.
    package var maxBodyBytes: Int
    /// Longest chunk extension on one chunk-size line (RFC 9112 §7.1.1).
    package var maxChunkExtensionBytes: Int

    package init(
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
