#if canImport(Glibc)
import Glibc
#endif
import COpenSSL
import VerbundTrust

/// A TLS connection over a TCP `Socket`: the `ByteStream` that DSP and the data plane speak HTTP over.
///
/// The stream owns its `SSL*` and its socket. It is created by `accept(socket:context:handshakeTimeout:)`
/// (server) or `connect(socket:context:serverName:handshakeTimeout:)` (client), which run the whole
/// handshake under a deadline; afterwards reads and writes block, bounded by `readTimeout` and
/// `writeTimeout`. `peerCertificate` is the peer's verified leaf certificate (nil only for a client
/// that sent none to a `.requestedButOptional` server); who the peer *is* is decided by a
/// `PeerIdentityCheck` (its SAN URI), not by host names.
///
/// TLS 1.3 trap (docs/openssl-notes.md §5.1): the client finishes its handshake before the
/// server has looked at the client certificate, so a server that refuses the certificate (revoked,
/// expired, unknown CA) is only noticed at the client's first read. That read then throws
/// `TransportError.tls` naming the server's alert (e.g. "sslv3 alert certificate revoked").
///
/// One thread owns a stream at a time (`SSL*` is not thread-safe).
package final class TLSStream: ByteStream {
    /// Which end of the handshake this stream played.
    package enum Role: Sendable, Equatable { case server, client }

    package let socket: Socket
    package let role: Role
    /// The peer's leaf certificate, verified against the context's trust roots (and CRLs) during the handshake.
    /// Never nil on client streams or under a `.required` server context; nil when a client of a
    /// `.requestedButOptional` server presented no certificate.
    package let peerCertificate: PeerCertificate?
    /// The negotiated protocol, e.g. "TLSv1.3".
    package let protocolVersion: String
    /// The negotiated cipher suite, e.g. "TLS_AES_128_GCM_SHA256".
    package let cipherSuite: String

    package var underlyingSocket: Socket? { socket }

    package var readTimeout: Duration { didSet { applyTimeouts() } }
    package var writeTimeout: Duration { didSet { applyTimeouts() } }

    private let connection: TLSConnection
    /// Set after a fatal error or a failed write: OpenSSL forbids close_notify then (`SSL_shutdown(3)`).
    private var broken = false
    private var closed = false
    /// No application byte has arrived yet: a failing read is then most likely a refused client certificate.
    private var awaitingFirstByte = true

    init(connection: TLSConnection, socket: Socket, role: Role, peer: PeerCertificate?,
         readTimeout: Duration, writeTimeout: Duration) {
        self.connection = connection
        self.socket = socket
        self.role = role
        self.peerCertificate = peer
        self.protocolVersion = connection.protocolVersion
        self.cipherSuite = connection.cipherSuite
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        applyTimeouts()
    }

    deinit { close() }

    // MARK: ByteStream

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !closed else { throw TransportError.tls("read on a closed TLS stream") }
        guard buffer.count > 0 else { return 0 }
        var count = 0
        let result = connection.read(into: buffer, count: &count)
        if result == 1 {
            awaitingFirstByte = false
            return count
        }
        let failure = TLSFailure(ssl: connection.pointer, result: result)
        switch failure.kind {
        case .closedCleanly:
            return 0
        case .wouldBlock:
            throw TransportError.timedOut("no TLS data from \(socket.peerDescription) within \(readTimeout)")
        default:
            broken = true
            let mayBeRefusal = role == .client && awaitingFirstByte
            if failure.isConnectionLoss && !mayBeRefusal { throw TransportError.closedByPeer }
            throw TransportError.tls("reading from \(socket.peerDescription) failed: \(failure.reason)"
                + (mayBeRefusal ? Self.firstReadHint : ""))
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !closed else { throw TransportError.tls("write on a closed TLS stream") }
        guard bytes.count > 0 else { return }
        var written = 0
        let result = connection.write(bytes, written: &written)
        if result == 1, written == bytes.count { return }
        let failure = TLSFailure(ssl: connection.pointer, result: result)
        // A write that failed half-way cannot be resumed with other bytes; the stream is unusable.
        broken = true
        switch failure.kind {
        case .wouldBlock:
            throw TransportError.timedOut("\(socket.peerDescription) did not accept TLS data within \(writeTimeout)")
        default:
            if failure.isConnectionLoss { throw TransportError.closedByPeer }
            throw TransportError.tls("writing to \(socket.peerDescription) failed: \(failure.reason)"
                + (role == .client && awaitingFirstByte ? Self.firstReadHint : ""))
        }
    }

    /// Sends close_notify once (unless a fatal error forbids it), then closes the socket.
    package func close() {
        guard !closed else { return }
        closed = true
        if !broken { connection.sendCloseNotify() }
        socket.close()
    }

    private static let firstReadHint = " (the server may have refused our client certificate:"
        + " with TLS 1.3 a client learns this only when it first reads)"

    private func applyTimeouts() {
        socket.setTimeouts(read: readTimeout, write: writeTimeout)
    }
}
