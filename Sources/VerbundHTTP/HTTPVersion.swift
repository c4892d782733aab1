/// The only HTTP version Verbund speaks on the wire (RFC 9112).
public enum HTTPVersion {
    public static let http11 = "HTTP/1.1"
}
