import Synchronization
import VerbundHTTP

/// An HTTP/1.1 client over any `ByteStream` (plain TCP or TLS, chosen by the connect closure), with
/// keep-alive reuse per peer, timeouts on connecting, on the response head and on body progress, and for every call a
/// total deadline and a response body cap (defaults in the configuration, per call `maxBodyBytes:` and `deadline:`).
///
/// Calls block the calling thread: run them on a `Thread` or a dedicated queue, not inside Swift's
/// cooperative pool (docs/design.md §7 "Concurrency").
package final class HTTPClient: Sendable {
    /// Opens a stream to `host:port` within `timeout`, handshake included (a TLS factory also verifies the peer here).
    package typealias Connect = @Sendable (_ host: String, _ port: UInt16, _ timeout: Duration) throws -> any ByteStream

    /// Plain TCP.
    package static let tcp: Connect = { host, port, timeout in
        TCPStream(socket: try Socket.connect(host: host, port: port, timeout: timeout))
    }

    package let configuration: HTTPClientConfiguration
    private let connect: Connect
    private let pool: ConnectionPool
    private let opened = Atomic<Int>(0)

    package init(configuration: HTTPClientConfiguration = HTTPClientConfiguration(), connect: @escaping Connect = HTTPClient.tcp) {
        self.configuration = configuration
        self.connect = connect
        self.pool = ConnectionPool(maxPerPeer: configuration.maxIdleConnectionsPerPeer,
                                   maxIdleTime: configuration.maxIdleTime)
    }

    deinit { pool.closeAll() }

    /// Connections opened so far (reused ones are not counted again).
    package var connectionsOpened: Int { opened.load(ordering: .relaxed) }

    /// Idle connections currently parked.
    package var idleConnections: Int { pool.idleCount }

    /// Closes every parked connection.
    package func closeIdleConnections() { pool.closeAll() }

    /// Sends `request` and reads the whole response body.
    /// - Parameters:
    ///   - maxBodyBytes: the largest response body accepted; default `configuration.limits.maxBodyBytes`.
    ///   - deadline: the whole exchange (connect, handshake, request, head, body); default `configuration.exchangeDeadline`.
    ///     When it passes the connection is cut off and the call throws a timeout (`HTTPClientError.isTimeout`).
    package func send(_ request: HTTPClientRequest, maxBodyBytes: Int? = nil,
                     deadline: Duration? = nil) throws(HTTPClientError) -> HTTPClientResponse {
        var body: [UInt8] = []
        let head = try send(request, maxBodyBytes: maxBodyBytes, deadline: deadline) { _, piece in body += piece }
        return HTTPClientResponse(head: head, body: body)
    }

    /// Sends `request` and hands the body to `consume` piece by piece (constant memory), after the head.
    /// `maxBodyBytes` and `deadline` as in `send(_:maxBodyBytes:deadline:)`; a long download passes its own.
    @discardableResult
    package func send(_ request: HTTPClientRequest, maxBodyBytes: Int? = nil, deadline: Duration? = nil,
                     streamingBodyTo consume: (HTTPResponseHead, [UInt8]) throws -> Void) throws(HTTPClientError) -> HTTPResponseHead {
        let peer = request.authority
        let bodyLimit = maxBodyBytes ?? configuration.limits.maxBodyBytes
        let allowed = deadline ?? configuration.exchangeDeadline
        let end = ContinuousClock.now + allowed
        let timedOut = TransportError.timedOut("the exchange did not finish within its deadline of \(allowed)")
        var retried = false
        while true {
            let reused = pool.take(peer)
            let connection: PooledStream
            if let reused {
                connection = reused
            } else {
                let remaining = end - .now
                guard remaining > .zero else { throw .transport(peer: peer, underlying: timedOut) }
                do {
                    connection = PooledStream(try connect(request.host, request.port, min(configuration.connectTimeout, remaining)))
                } catch let error as TransportError {
                    throw .connectFailed(peer: peer, underlying: error)
                } catch {
                    throw .connectFailed(peer: peer, underlying: .system(call: "connect", errno: 0, message: "\(error)"))
                }
                opened.add(1, ordering: .relaxed)
            }
            var exchange = HTTPExchange(stream: connection.stream, configuration: configuration, bodyLimit: bodyLimit, deadline: end)
            // Per-read timeouts cannot bound a peer that trickles; the watchdog cuts the socket off at the deadline.
            let ticket = connection.stream.underlyingSocket.map { SocketWatchdog.shared.arm($0, at: end) }
            var fired: Bool { ticket.map { SocketWatchdog.shared.disarm($0) } ?? false }
            do {
                let head = try exchange.run(request, consume: consume)
                if fired {
                    connection.stream.close()
                } else if exchange.reusable {
                    pool.put(connection, for: peer)
                } else {
                    connection.stream.close()
                }
                return head
            } catch let error as HTTPParseError {
                let expired = fired
                connection.stream.close()
                if expired { throw .transport(peer: peer, underlying: timedOut) }
                throw .invalidResponse(peer: peer, underlying: error)
            } catch let error as TransportError {
                let expired = fired || ContinuousClock.now >= end
                connection.stream.close()
                if expired { throw .transport(peer: peer, underlying: timedOut) }
                // A parked connection the server closed meanwhile fails before any response byte; one
                // retry on a fresh connection is safe for idempotent methods (RFC 9110 §9.2.2).
                if reused != nil, !retried, !exchange.receivedResponseBytes, request.method.isIdempotent {
                    retried = true
                    continue
                }
                throw .transport(peer: peer, underlying: error)
            } catch let error as HTTPFieldError {
                _ = fired
                connection.stream.close()
                throw .invalidRequest(peer: peer, underlying: error)
            } catch {
                let expired = fired
                connection.stream.close()
                if expired { throw .transport(peer: peer, underlying: timedOut) }
                throw .transport(peer: peer, underlying: .system(call: "consume response body", errno: 0, message: "\(error)"))
            }
        }
    }

    /// Downloads the response body of a 2xx response into the file at `path` in constant memory;
    /// `append` resumes a partial file (pair it with `setRange(from:)`). Other statuses leave the file
    /// untouched. Returns the head and the bytes written.
    /// `maxBodyBytes` and `deadline` as in `send(_:maxBodyBytes:deadline:)`: pass the expected size and a deadline that
    /// fits it, the defaults are those of small bodies.
    package func download(_ request: HTTPClientRequest, to path: String, append: Bool = false,
                         maxBodyBytes: Int? = nil, deadline: Duration? = nil) throws(HTTPClientError) -> (head: HTTPResponseHead, bytesWritten: Int) {
        var file: WritableFile?
        var written = 0
        let head = try send(request, maxBodyBytes: maxBodyBytes, deadline: deadline) { head, piece in
            guard (200..<300).contains(head.status.code) else { return }
            if file == nil { file = try WritableFile(path: path, append: append) }
            try file?.write(piece)
            written += piece.count
        }
        if (200..<300).contains(head.status.code) {
            do {
                if file == nil { file = try WritableFile(path: path, append: append) }
                try file?.sync()
            } catch let error as TransportError {
                throw .transport(peer: request.authority, underlying: error)
            } catch {
                throw .transport(peer: request.authority, underlying: .system(call: "write \(path)", errno: 0, message: "\(error)"))
            }
        }
        return (head, written)
    }
}
