import Foundation
import VerbundHTTP
@testable import VerbundTransport

/// A test client speaking raw bytes, so tests can send anything (slow, malformed, pipelined).
final class RawClient {
    let socket: Socket
    private var pending: [UInt8] = []

    init(port: UInt16, timeout: Duration = .seconds(5)) throws {
        socket = try Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
        socket.setTimeouts(read: timeout, write: timeout)
    }

    func send(_ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try socket.write($0) }
    }

    func send(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try socket.write($0) }
    }

    struct Response {
        let head: HTTPResponseHead
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Reads one response; `discardBody` counts bytes without keeping them (big downloads).
    func response(method: HTTPMethod = .get, discardBody: Bool = false, bodyLimit: Int = 1 << 20) throws -> (Response, Int) {
        var parser = HTTPResponseParser(requestMethod: method, bodyLimit: bodyLimit)
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        var count = 0
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            while true {
                let (consumed, event) = try pending.withUnsafeBytes { try parser.parse($0) }
                pending.removeFirst(consumed)
                switch event {
                case let .head(h)?: head = h
                case let .body(bytes)?:
                    count += bytes.count
                    if !discardBody { body += bytes }
                case .end?:
                    return (Response(head: head!, body: body), count)
                case nil:
                    break
                }
                if event == nil { break }
            }
            let n = try buffer.withUnsafeMutableBytes { try socket.read(into: $0) }
            if n == 0 {
                _ = try parser.endOfInput()
                return (Response(head: head!, body: body), count)
            }
            pending += buffer[0..<n]
        }
    }

    func response(method: HTTPMethod = .get) throws -> Response {
        try response(method: method, discardBody: false).0
    }

    /// True when the server closed the connection (EOF or reset) within the read timeout.
    func isClosedByServer() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            do {
                let n = try buffer.withUnsafeMutableBytes { try socket.read(into: $0) }
                if n == 0 { return true }
            } catch TransportError.timedOut {
                return false
            } catch {
                return true
            }
        }
    }
}

/// Starts a server on an ephemeral loopback port; stop it with `server.stop()`.
func startServer(_ configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                 log: (@Sendable (String) -> Void)? = nil, logRequests: Bool = true,
                 routes: (inout Router) -> Void) throws -> HTTPServer {
    var router = Router()
    routes(&router)
    let server = HTTPServer(acceptor: try TCPAcceptor(host: "127.0.0.1", port: 0), router: router,
                            configuration: configuration, log: log, logRequests: logRequests)
    try server.start()
    return server
}

/// A unique scratch directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("verbund-transport-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
