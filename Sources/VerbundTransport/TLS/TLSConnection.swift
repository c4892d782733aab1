#if canImport(Glibc)
import Glibc
#endif
import COpenSSL
import VerbundTrust

/// Owns one `SSL*` bound to a socket's descriptor; frees it in `deinit`.
///
/// The `SSL*` holds its own reference to the `SSL_CTX` (notes §2.3, C14), so a context swapped out by
/// a reload stays alive for the connections already made from it.
final class TLSConnection {
    let pointer: OpaquePointer
    /// Outlives `pointer`: stored properties are released after `deinit` has freed the `SSL*`.
    private let refusedCertificate = RefusedCertificateRecord()

    init(context: TLSContext, socket: Socket) throws {
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer) else {
            throw TransportError.tls(OpenSSLError.drain("creating a TLS connection (SSL_new)").description)
        }
        pointer = ssl
        // The socket BIO does not close the descriptor (BIO_NOCLOSE): `Socket` keeps owning it.
        guard SSL_set_fd(ssl, socket.fileDescriptor) == 1 else {
            throw TransportError.tls(OpenSSLError.drain("attaching the socket to TLS (SSL_set_fd)").description)
        }
        try refusedCertificate.attach(to: ssl)
    }

    deinit { SSL_free(pointer) }

    // MARK: Client-side settings

    /// Sends `name` as SNI (RFC 6066 §3: host names only, never IP literals).
    func setServerNameIndication(_ name: String) throws {
        ERR_clear_error()
        guard shim_SSL_set_tlsext_host_name(pointer, name) == 1 else {
            throw TransportError.tls(OpenSSLError.drain("setting the TLS server name '\(name)'").description)
        }
    }

    /// Makes the handshake also check that the server certificate names `host` (DNS name or IP address).
    func requireServerHost(_ host: String) throws {
        ERR_clear_error()
        guard SSL_set1_host(pointer, host) == 1 else {
            throw TransportError.tls(OpenSSLError.drain("setting the expected server host '\(host)'").description)
        }
        SSL_set_hostflags(pointer, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
    }

    // MARK: Handshake

    /// Runs the handshake on a non-blocking socket, polling until `deadline` (notes §2.4, C7).
    /// Restores the socket's blocking mode afterwards, whatever happens.
    func handshake(role: TLSStream.Role, socket: Socket, deadline: ContinuousClock.Instant) throws {
        let fd = socket.fileDescriptor
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw SystemCall.error("fcntl(O_NONBLOCK) before the TLS handshake")
        }
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if role == .server { SSL_set_accept_state(pointer) } else { SSL_set_connect_state(pointer) }
        let peer = socket.peerDescription
        while true {
            ERR_clear_error()
            let result = SSL_do_handshake(pointer)
            if result == 1 { return }
            let failure = TLSFailure(ssl: pointer, result: result)
            guard case .wouldBlock = failure.kind else {
                throw TransportError.tls("TLS handshake with \(peer) failed: \(failure.reason)\(refusedCertificate.explanation)")
            }
            let remaining = deadline - .now
            let readiness: Socket.Readiness = failure.wantsWrite ? .write : .read
            guard remaining > .zero, try socket.wait(for: readiness, timeout: remaining) else {
                throw TransportError.timedOut("TLS handshake with \(peer) did not finish within the deadline")
            }
        }
    }

    // MARK: Data

    /// `SSL_read_ex`; returns its result (1 on success) for `TLSFailure` to interpret.
    func read(into buffer: UnsafeMutableRawBufferPointer, count: inout Int) -> Int32 {
        ERR_clear_error()
        return SSL_read_ex(pointer, buffer.baseAddress, buffer.count, &count)
    }

    /// `SSL_write_ex` of all of `bytes` (the blocking socket lets OpenSSL write every record).
    func write(_ bytes: UnsafeRawBufferPointer, written: inout Int) -> Int32 {
        ERR_clear_error()
        return SSL_write_ex(pointer, bytes.baseAddress, bytes.count, &written)
    }

    /// Sends close_notify once. A 0 result only means the peer's close_notify has not arrived, which
    /// Verbund does not wait for (`SSL_shutdown(3)`: a unidirectional shutdown is enough before closing).
    func sendCloseNotify() {
        ERR_clear_error()
        _ = SSL_shutdown(pointer)
        ERR_clear_error()
    }

    // MARK: After the handshake

    var protocolVersion: String { String(cString: SSL_get_version(pointer)) }

    var cipherSuite: String {
        guard let cipher = SSL_get_current_cipher(pointer) else { return "none" }
        return String(cString: SSL_CIPHER_get_name(cipher))
    }

    /// The peer's certificate and verified chain, or nil when it sent none.
    func peerCertificate() throws -> PeerCertificate? {
        try PeerCertificate(connection: pointer)
    }
}
