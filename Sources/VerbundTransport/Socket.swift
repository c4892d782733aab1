#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A TCP socket that owns its file descriptor and closes it in `deinit`.
///
/// Sockets are blocking; every read and write is bounded by `SO_RCVTIMEO`/`SO_SNDTIMEO`, so a silent
/// peer surfaces as `TransportError.timedOut` instead of holding a thread forever (docs/design.md §7: timeouts
/// on every socket). One thread owns a socket at a time; `shutdownBoth()` may be called from another
/// thread to wake a blocked owner (watchdogs, server stop).
package final class Socket: @unchecked Sendable {
    package let fileDescriptor: Int32
    /// Guards close against a concurrent `shutdownBoth()`, which must never reach a descriptor number
    /// the kernel already handed to another file.
    private let closed = Mutex(false)

    /// Takes ownership of `fileDescriptor`.
    package init(adopting fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    deinit { close() }

    // MARK: Creating

    /// A listening socket on `host:port` (port 0 picks a free port; read it back with `localPort`).
    package static func listen(host: String, port: UInt16, backlog: Int32 = 1024) throws -> Socket {
        let address = try SocketAddress.resolve(host: host, port: port)
        let fd = Glibc.socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemCall.error("socket") }
        let socket = Socket(adopting: fd)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        try address.withSockaddr { pointer, length in
            guard Glibc.bind(fd, pointer, length) == 0 else {
                throw SystemCall.error("bind to \(host):\(port)")
            }
        }
        guard Glibc.listen(fd, backlog) == 0 else { throw SystemCall.error("listen on \(host):\(port)") }
        return socket
    }

    /// Connects to `host:port`, giving up after `timeout`.
    package static func connect(host: String, port: UInt16, timeout: Duration) throws -> Socket {
        let address = try SocketAddress.resolve(host: host, port: port)
        let fd = Glibc.socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemCall.error("socket") }
        let socket = Socket(adopting: fd)
        // Non-blocking connect so the timeout holds even when the peer drops SYNs.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let result = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if result != 0 {
            guard errno == EINPROGRESS else { throw SystemCall.error("connect to \(host):\(port)") }
            guard try socket.wait(for: .write, timeout: timeout) else {
                throw TransportError.timedOut("connecting to \(host):\(port) took longer than \(timeout)")
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else {
                throw TransportError.system(call: "connect to \(host):\(port)", errno: error, message: SystemCall.text(error))
            }
        }
        _ = fcntl(fd, F_SETFL, flags)
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        return socket
    }

    /// Accepts one connection; retries on EINTR and on aborted handshakes.
    package func accept() throws -> Socket {
        while true {
            let fd = Glibc.accept(fileDescriptor, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                var yes: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
                return Socket(adopting: fd)
            }
            if errno == EINTR || errno == ECONNABORTED { continue }
            throw SystemCall.error("accept")
        }
    }

    // MARK: Properties

    /// The local port (for listeners bound to port 0).
    package var localPort: UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fileDescriptor, $0, &length) == 0 }
        }
        return ok ? SocketAddress(storage: storage).port : 0
    }

    /// The peer's address as `host:port`, for logs.
    package var peerDescription: String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fileDescriptor, $0, &length) == 0 }
        }
        return ok ? SocketAddress(storage: storage).description : "unknown peer"
    }

    /// The peer's source for per-source bounds (`SocketAddress.sourceKey`): its IPv4 address or IPv6 /64.
    package var peerSource: String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fileDescriptor, $0, &length) == 0 }
        }
        return ok ? SocketAddress(storage: storage).sourceKey : "unknown"
    }

    /// Bounds each blocking read and write (SO_RCVTIMEO / SO_SNDTIMEO).
    package func setTimeouts(read: Duration, write: Duration) {
        var readValue = timeval(read)
        var writeValue = timeval(write)
        setsockopt(fileDescriptor, SOL_SOCKET, SO_RCVTIMEO, &readValue, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fileDescriptor, SOL_SOCKET, SO_SNDTIMEO, &writeValue, socklen_t(MemoryLayout<timeval>.size))
    }

    // MARK: I/O

    /// Reads into `buffer`; 0 means the peer closed its side.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.recv(fileDescriptor, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw TransportError.timedOut("no data from \(peerDescription)")
            default: throw SystemCall.error("recv")
            }
        }
    }

    /// Writes all of `bytes`. MSG_NOSIGNAL: a closed peer is an error, not a SIGPIPE.
    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.send(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n > 0 { offset += n; continue }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw TransportError.timedOut("\(peerDescription) is not reading")
            case EPIPE, ECONNRESET: throw TransportError.closedByPeer
            default: throw SystemCall.error("send")
            }
        }
    }

    package enum Readiness { case read, write }

    /// Waits until the socket is readable or writable; false on timeout.
    package func wait(for readiness: Readiness, timeout: Duration) throws -> Bool {
        var descriptor = pollfd(fd: fileDescriptor, events: Int16(readiness == .read ? POLLIN : POLLOUT), revents: 0)
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000
            + timeout.components.attoseconds / 1_000_000_000_000_000)
        while true {
            let result = poll(&descriptor, 1, max(milliseconds, 0))
            if result > 0 { return true }
            if result == 0 { return false }
            if errno == EINTR { continue }
            throw SystemCall.error("poll")
        }
    }

    /// Wakes any thread blocked on this socket; the owner still closes it.
    package func shutdownBoth() {
        closed.withLock { closed in
            guard !closed else { return }
            _ = Glibc.shutdown(fileDescriptor, Int32(SHUT_RDWR))
        }
    }

    /// Closes the descriptor once.
    package func close() {
        closed.withLock { closed in
            guard !closed else { return }
            closed = true
            _ = Glibc.close(fileDescriptor)
        }
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

/// errno → `TransportError.system`.
enum SystemCall {
    static func error(_ call: String) -> TransportError {
        let code = errno
        return .system(call: call, errno: code, message: text(code))
    }

    static func text(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }
}
