/// How a message's content is delimited (RFC 9112 §6.3).
package enum HTTPBodyFraming: Sendable, Equatable {
    /// No content.
    case none
    /// Exactly this many bytes.
    case contentLength(Int)
    /// The chunked transfer coding (RFC 9112 §7.1).
    case chunked
    /// Content runs until the connection closes (responses only, RFC 9112 §6.3 rule 8).
    case untilClose
}
