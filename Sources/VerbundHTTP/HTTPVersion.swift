/// The only HTTP version Verbund speaks on the wire (RFC 9112).
package enum HTTPVersion {
    package static let http11 = "HTTP/1.1"
}
