#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A stranger without a certificate holding `count` TCP connections to a listener open and never finishing a TLS
/// handshake: silent ones, or ones trickling one byte per second. Connections come from the loopback source addresses
/// `127.0.0.<firstSource>` onwards (`perSource` each; Linux routes all of 127/8 to loopback), so per-source bounds
/// and the global handshake bound are both exercised while the member under test connects from 127.0.0.1.
/// Whatever the server closes is reopened on the next sweep (every 200 ms), as the attacker of issue 9 renewed its
/// connections.
final class HandshakeFlood: Sendable {
    enum Style: Sendable { case silent, trickling }

    private struct State {
        var sockets: [Int32] = []
        var stopped = false
        var opened = 0
    }

    private let state = Mutex(State())
    private let done = DispatchSemaphore(value: 0)
    let port: UInt16
    let count: Int
    let style: Style

    init(port: UInt16, count: Int, style: Style, perSource: Int = 16, firstSource: Int = 2) {
        self.port = port
        self.count = count
        self.style = style
        state.withLock { $0.sockets = Array(repeating: -1, count: count) }
        let sources = (0..<count).map { "127.0.0.\(firstSource + $0 / max(perSource, 1))" }
        Thread { [self] in run(sources: sources) }.start()
    }

    /// Connections opened so far, reopened ones included.
    var opened: Int { state.withLock { $0.opened } }

    /// Connections open right now (from the flood's side).
    var open: Int { state.withLock { $0.sockets.filter { $0 >= 0 }.count } }

    func stop() {
        state.withLock { $0.stopped = true }
        done.wait()
    }

    private func run(sources: [String]) {
        var lastByte = ContinuousClock.now
        while !state.withLock({ $0.stopped }) {
            var sockets = state.withLock { $0.sockets }
            var opened = 0
            let sendByte = style == .trickling && ContinuousClock.now - lastByte >= .seconds(1)
            if sendByte { lastByte = .now }
            for index in sockets.indices {
                if sockets[index] >= 0, closedByServer(sockets[index]) {
                    close(sockets[index])
                    sockets[index] = -1
                }
                if sockets[index] < 0 {
                    sockets[index] = connect(from: sources[index])
                    if sockets[index] >= 0 { opened += 1 }
                } else if sendByte {
                    // One byte of a would-be ClientHello (a TLS record header starts with 0x16).
                    var byte: UInt8 = 0x16
                    _ = send(sockets[index], &byte, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                }
            }
            state.withLock { state in
                state.sockets = sockets
                state.opened += opened
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        for socket in state.withLock({ $0.sockets }) where socket >= 0 { close(socket) }
        done.signal()
    }

    private func closedByServer(_ fd: Int32) -> Bool {
        var probe = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&probe, 1, 0) > 0 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, Int32(MSG_DONTWAIT)) <= 0
    }

    private func connect(from source: String) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return -1 }
        // Bounds a connect whose SYN the server's full backlog dropped (SO_SNDTIMEO applies to connect(2) on Linux).
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, source, &local.sin_addr)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
        let ok = withUnsafePointer(to: &local) { localPointer in
            withUnsafePointer(to: &remote) { remotePointer in
                localPointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { l in
                    remotePointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { r in
                        bind(fd, l, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                            && Glibc.connect(fd, r, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                    }
                }
            }
        }
        guard ok else {
            close(fd)
            return -1
        }
        return fd
    }
}
