#if canImport(Glibc)
import Glibc
#endif
import COpenSSL
import VerbundTrust

/// What went wrong in one `SSL_*` call, captured right after it on the same thread.
///
/// OpenSSL's error queue and `errno` are per thread and the next call overwrites them, so this is
/// built immediately after the failing call (docs/openssl-notes.md §7) and only then turned
/// into a `TransportError`.
struct TLSFailure {
    enum Kind {
        /// `SSL_ERROR_ZERO_RETURN`: the peer sent close_notify.
        case closedCleanly
        /// `SSL_ERROR_WANT_READ`/`WANT_WRITE` on a socket with a timeout: the peer made no progress.
        case wouldBlock
        /// `SSL_ERROR_SYSCALL`: the socket failed (errno) or closed without close_notify.
        case system(errno: Int32)
        /// `SSL_ERROR_SSL`: a protocol or verification failure; the queue says which.
        case protocolFailure
        /// Any other `SSL_get_error` code (none is expected with the options Verbund sets).
        case other(code: Int32)
    }

    let kind: Kind
    /// For `.wouldBlock`: OpenSSL waits to write (`SSL_ERROR_WANT_WRITE`) rather than to read.
    let wantsWrite: Bool
    /// Entries of the error queue, oldest first.
    let queue: [String]
    /// `SSL_get_verify_result` when it is not `X509_V_OK`, with its readable text.
    let verification: (code: Int, text: String)?

    /// Captures the failure of `result = SSL_xxx(ssl, …)`.
    init(ssl: OpaquePointer, result: Int32) {
        let savedErrno = errno
        let code = SSL_get_error(ssl, result)
        wantsWrite = code == SSL_ERROR_WANT_WRITE
        switch code {
        case SSL_ERROR_ZERO_RETURN: kind = .closedCleanly
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: kind = .wouldBlock
        case SSL_ERROR_SYSCALL: kind = .system(errno: savedErrno)
        case SSL_ERROR_SSL: kind = .protocolFailure
        default: kind = .other(code: code)
        }
        queue = OpenSSLError.drainQueue()
        let verifyResult = SSL_get_verify_result(ssl)
        if verifyResult != Int(X509_V_OK) {
            verification = (verifyResult, String(cString: X509_verify_cert_error_string(verifyResult)))
        } else {
            verification = nil
        }
    }

    /// True when OpenSSL forbids a later `SSL_shutdown` (`SSL_shutdown(3)`: not after SSL_ERROR_SYSCALL or SSL_ERROR_SSL).
    var isFatal: Bool {
        switch kind {
        case .system, .protocolFailure, .other: return true
        case .closedCleanly, .wouldBlock: return false
        }
    }

    /// The reason in words: verification result first (it names the certificate problem), then the queue.
    var reason: String {
        var parts: [String] = []
        if let verification {
            parts.append("certificate verification failed: \(verification.text) (X509 verify error \(verification.code))")
        }
        switch kind {
        case .closedCleanly:
            parts.append("the peer closed the TLS connection")
        case .wouldBlock:
            parts.append("the peer did not respond in time")
        case .system(let code):
            if queue.isEmpty {
                parts.append(code == 0
                    ? "the peer closed the connection without a TLS alert"
                    : "\(SystemCall.text(code)) (errno \(code))")
            }
        case .protocolFailure:
            if queue.isEmpty { parts.append("TLS protocol error") }
        case .other(let code):
            parts.append("unexpected SSL_get_error result \(code)")
        }
        if !queue.isEmpty { parts.append("OpenSSL: " + queue.joined(separator: "; ")) }
        return parts.joined(separator: "; ")
    }

    /// The peer reset or broke the connection (errno), as opposed to a TLS-level refusal.
    var isConnectionLoss: Bool {
        if case .system(let code) = kind, queue.isEmpty { return code == ECONNRESET || code == EPIPE }
        return false
    }
}
