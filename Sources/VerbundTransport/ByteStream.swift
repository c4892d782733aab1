/// A bidirectional, blocking byte stream: a plain TCP socket or a TLS connection over one.
///
/// This is the seam between HTTP/1.1 and what carries it, so the HTTP server and client run the same
/// code over TCP (management API on loopback) and over mutually authenticated TLS (DSP, data plane).
/// One thread owns a stream at a time; streams are not safe for concurrent use.
package protocol ByteStream: AnyObject {
    /// Reads at most `buffer.count` bytes into `buffer`. Returns 0 at an orderly end of stream.
    /// Throws `TransportError.timedOut` when no byte arrived within `readTimeout`.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Writes all of `bytes`, or throws (`TransportError.timedOut` after `writeTimeout` without progress).
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// The longest a single read may wait for its first byte.
    var readTimeout: Duration { get set }
    /// The longest a single write may wait for the peer to make room.
    var writeTimeout: Duration { get set }
    /// Closes the stream (sending TLS close_notify where that applies). Safe to call twice.
    func close()
    /// The socket the stream runs over, so a watchdog can cut it off at a total deadline; nil when there is none.
    var underlyingSocket: Socket? { get }
}

extension ByteStream {
    package var underlyingSocket: Socket? { nil }
}
