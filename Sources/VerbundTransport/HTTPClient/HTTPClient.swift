import Synchronization
import VerbundHTTP

/// An HTTP/1.1 client over any `ByteStream` (plain TCP or TLS, chosen by the connect closure), with
/// keep-alive reuse per peer and timeouts on connecting, on the response head, and on body progress.
///
/// Calls block the calling thread: run them on a `Thread` or a dedicated queue, not inside Swift's
/// cooperative pool (docs/design.md §7 "Concurrency").
public final class HTTPClient: Sendable {
    /// Opens a stream to `host:port` within `timeout` (a TLS factory also verifies the peer here).
    public typealias Connect = @Sendable (_ host: String, _ port: UInt16, _ timeout: Duration) throws -> any ByteStream

    /// Plain TCP.
    public static let tcp: Connect = { host, port, timeout in
        TCPStream(socket: try Socket.connect(host: host, port: port, timeout: timeout))
    }

    public let configuration: HTTPClientConfiguration
    private let connect: Connect
    private let pool: ConnectionPool
    private let opened = Atomic<Int>(0)

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration(), connect: @escaping Connect = HTTPClient.tcp) {
        self.configuration = configuration
        self.connect = connect
        self.pool = ConnectionPool(maxPerPeer: configuration.maxIdleConnectionsPerPeer,
                                   maxIdleTime: configuration.maxIdleTime)
    }

    deinit { pool.closeAll() }

    /// Connections opened so far (reused ones are not counted again).
    public var connectionsOpened: Int { opened.load(ordering: .relaxed) }

    /// Idle connections currently parked.
    public var idleConnections: Int { pool.idleCount }

    /// Closes every parked connection.
    public func closeIdleConnections() { pool.closeAll() }

    /// Sends `request` and reads the whole response body, at most `maxBodyBytes` (default from the limits).
    public func send(_ request: HTTPClientRequest, maxBodyBytes: Int? = nil) throws(HTTPClientError) -> HTTPClientResponse {
        var body: [UInt8] = []
        let head = try send(request, maxBodyBytes: maxBodyBytes) { _, piece in body += piece }
        return HTTPClientResponse(head: head, body: body)
    }

    /// Sends `request` and hands the body to `consume` piece by piece (constant memory), after the head.
    @discardableResult
    public func send(_ request: HTTPClientRequest, maxBodyBytes: Int? = nil,
                     streamingBodyTo consume: (HTTPResponseHead, [UInt8]) throws -> Void) throws(HTTPClientError) -> HTTPResponseHead {
        let peer = request.authority
        let bodyLimit = maxBodyBytes ?? configuration.limits.maxBodyBytes
        var retried = false
        while true {
            let reused = pool.take(peer)
            let connection: PooledStream
            if let reused {
                connection = reused
            } else {
                do {
                    connection = PooledStream(try connect(request.host, request.port, configuration.connectTimeout))
                } catch let error as TransportError {
                    throw .connectFailed(peer: peer, underlying: error)
                } catch {
                    throw .connectFailed(peer: peer, underlying: .system(call: "connect", errno: 0, message: "\(error)"))
                }
                opened.add(1, ordering: .relaxed)
            }
            var exchange = HTTPExchange(stream: connection.stream, configuration: configuration, bodyLimit: bodyLimit)
            do {
                let head = try exchange.run(request, consume: consume)
                if exchange.reusable { pool.put(connection, for: peer) } else { connection.stream.close() }
                return head
            } catch let error as HTTPParseError {
                connection.stream.close()
                throw .invalidResponse(peer: peer, underlying: error)
            } catch let error as TransportError {
                connection.stream.close()
                // A parked connection the server closed meanwhile fails before any response byte; one
                // retry on a fresh connection is safe for idempotent methods (RFC 9110 §9.2.2).
                if reused != nil, !retried, !exchange.receivedResponseBytes, request.method.isIdempotent {
                    retried = true
                    continue
                }
                throw .transport(peer: peer, underlying: error)
            } catch {
                connection.stream.close()
                throw .transport(peer: peer, underlying: .system(call: "consume response body", errno: 0, message: "\(error)"))
            }
        }
    }

    /// Downloads the response body of a 2xx response into the file at `path` in constant memory;
    /// `append` resumes a partial file (pair it with `setRange(from:)`). Other statuses leave the file
    /// untouched. Returns the head and the bytes written.
    public func download(_ request: HTTPClientRequest, to path: String, append: Bool = false,
                         maxBodyBytes: Int = Int.max) throws(HTTPClientError) -> (head: HTTPResponseHead, bytesWritten: Int) {
        var file: WritableFile?
        var written = 0
        let head = try send(request, maxBodyBytes: maxBodyBytes) { head, piece in
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
