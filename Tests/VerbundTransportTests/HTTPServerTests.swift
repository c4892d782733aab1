import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport
import VerbundTrust

@Suite(.offCooperativePool) struct HTTPServerTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try startServer { router in
            router.get("/hello") { _, _ in .text("hi") }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        for _ in 0..<3 {
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try client.response()
            #expect(response.head.status.code == 200)
            #expect(response.text == "hi")
            #expect(response.head.keepAlive)
        }
        // Pipelined requests are answered in order.
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(try client.response().text == "hi")
        let last = try client.response()
        #expect(!last.head.keepAlive)
        #expect(client.isClosedByServer())
        #expect(server.acceptedConnections == 1)
    }

    @Test func pathParametersAndQuery() throws {
        let server = try startServer { router in
            router.get("/negotiations/:pid/events") { request, _ in
                .text("\(request.parameter("pid") ?? "-") \(request.target.queryValue("since") ?? "-")")
            }
            router.get("/files/*") { request, _ in .text(request.parameter("*") ?? "-") }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /negotiations/urn%3Auuid%3A7/events?since=3 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.response().text == "urn:uuid:7 3")
        try client.send("GET /files/a/b.csv HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.response().text == "a/b.csv")
        try client.send("GET /files/../secret HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.response().head.status.code == 400)
    }

    @Test func notFoundAndMethodNotAllowed() throws {
        let server = try startServer { router in
            router.get("/catalog") { _, _ in .text("c") }
            router.post("/catalog/request") { _, _ in .text("r") }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.response().head.status.code == 404)
        try client.send("DELETE /catalog HTTP/1.1\r\nHost: t\r\n\r\n")
        let refused = try client.response()
        #expect(refused.head.status.code == 405)
        #expect(refused.head.headers["allow"] == "GET, HEAD")
        try client.send("HEAD /catalog HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try client.response(method: .head)
        #expect(head.head.status.code == 200)
        #expect(head.head.headers["content-length"] == "1")
        #expect(head.body.isEmpty)
    }

    @Test func bodiesAreReadWholeOrStreamedWithinTheRouteLimit() throws {
        let server = try startServer { router in
            router.post("/echo", bodyLimit: 16) { _, body in .text(String(decoding: try body.readAll(), as: UTF8.self)) }
            router.post("/count", bodyLimit: 1 << 20) { _, body in
                var total = 0
                while let piece = try body.read() { total += piece.count }
                return .text("\(total) \(body.trailers["x-sum"] ?? "-")")
            }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
        #expect(try client.response().text == "hello")
        let chunk = String(repeating: "z", count: 1000)
        try client.send("POST /count HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3e8\r\n\(chunk)\r\n3e8\r\n\(chunk)\r\n0\r\nX-Sum: 2000\r\n\r\n")
        #expect(try client.response().text == "2000 2000")
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n")
        let tooLarge = try client.response()
        #expect(tooLarge.head.status.code == 413)
        #expect(!tooLarge.head.keepAlive)

        let chunkedClient = try RawClient(port: server.localPort)
        try chunkedClient.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n\(String(repeating: "a", count: 32))\r\n0\r\n\r\n")
        #expect(try chunkedClient.response().head.status.code == 413)
    }

    @Test func expectContinueIsAnsweredWhenTheBodyIsRead() throws {
        let server = try startServer { router in
            router.put("/data") { _, body in .text("\(try body.readAll().count)") }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("PUT /data HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = try buffer.withUnsafeMutableBytes { try client.socket.read(into: $0) }
        #expect(String(decoding: buffer[0..<n], as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        try client.send("data")
        #expect(try client.response().text == "4")
    }

    @Test func oversizedHeadersGet431AndBadRequests400() throws {
        let server = try startServer(HTTPServerConfiguration(limits: HTTPParserLimits(maxHeaderBytes: 512))) { router in
            router.get("/") { _, _ in .text("root") }
        }
        defer { server.stop() }
        let big = try RawClient(port: server.localPort)
        try big.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "b", count: 1000))\r\n\r\n")
        let response = try big.response()
        #expect(response.head.status.code == 431)
        #expect(!response.head.keepAlive)
        let smuggler = try RawClient(port: server.localPort)
        try smuggler.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        #expect(try smuggler.response().head.status.code == 400)
    }

    @Test func handlerErrorsBecomeStatuses() throws {
        struct Failure: Error {}
        let server = try startServer { router in
            router.get("/forbidden") { _, _ in throw HTTPError(.forbidden, "not a member") }
            router.get("/broken") { _, _ in throw Failure() }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /forbidden HTTP/1.1\r\nHost: t\r\n\r\n")
        let forbidden = try client.response()
        #expect(forbidden.head.status.code == 403)
        #expect(forbidden.text == "not a member\n")
        try client.send("GET /broken HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.response().head.status.code == 500)
    }

    @Test func chunkedResponses() throws {
        let server = try startServer { router in
            router.get("/stream") { _, _ in
                HTTPResponse(body: .chunks { sink in
                    for i in 0..<3 { try sink.write(Array("part\(i);".utf8)) }
                })
            }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.response()
        #expect(response.head.headers["transfer-encoding"] == "chunked")
        #expect(response.text == "part0;part1;part2;")
    }

    @Test func logSinkReceivesJSONLines() throws {
        let lines = Mutex<[String]>([])
        let server = try startServer(log: { line in lines.withLock { $0.append(line) } }) { router in
            router.get("/x") { _, _ in .text("x") }
        }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = try client.response()
        server.stop()
        let logged = lines.withLock { $0 }
        let request = try #require(logged.first { $0.contains("\"event\":\"http.request\"") })
        let object = try JSONSerialization.jsonObject(with: Data(request.utf8)) as? [String: Any]
        #expect(object?["status"] as? Int == 200)
        #expect(!request.contains("\n"))
        // Keys in sorted order, the time as an RFC 3339 UTC date-time.
        let keys = try #require(object?.keys).sorted()
        let positions = keys.compactMap { request.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted())
        let time = try #require(object?["time"] as? String)
        #expect(time.count == 20 && time.hasSuffix("Z") && InternetDateTime.date(from: time) != nil)
    }

    @Test func requestRecordsAreLeftOutWhenNotWantedButFailuresStillLogged() throws {
        let lines = Mutex<[String]>([])
        let server = try startServer(log: { line in lines.withLock { $0.append(line) } }, logRequests: false) { router in
            router.get("/x") { _, _ in .text("x") }
            router.get("/boom") { _, _ in throw CancellationError() }
        }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.response().text == "x")
        try client.send("GET /boom HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.response().head.status.code == 500)
        server.stop()
        let logged = lines.withLock { $0 }
        #expect(!logged.contains { $0.contains("\"event\":\"http.request\"") })
        #expect(logged.contains { $0.contains("\"event\":\"http.handler.failed\"") })
    }
}

/// An acceptor standing in for TLS: establishment runs on the connection thread and attaches a peer.
private final class IdentifyingAcceptor: StreamAcceptor {
    let inner: TCPAcceptor
    let refuse: Bool

    init(refuse: Bool) throws {
        inner = try TCPAcceptor(host: "127.0.0.1", port: 0)
        self.refuse = refuse
    }

    var localPort: UInt16 { inner.localPort }
    func stopAccepting() { inner.stopAccepting() }
    func close() { inner.close() }

    func accept() throws -> AcceptedConnection {
        let plain = try inner.accept()
        let refuse = self.refuse
        return AcceptedConnection(socket: plain.socket) { socket, timeout in
            if refuse { throw TransportError.peerRefused("not in the registry") }
            let established = try plain.establish(handshakeTimeout: timeout)
            return EstablishedConnection(stream: established.stream, peer: "urn:verbund:test:\(timeout.components.seconds)")
        }
    }
}

@Suite(.offCooperativePool) struct StreamAcceptorTests {
    private func server(refuse: Bool, log: (@Sendable (String) -> Void)? = nil) throws -> HTTPServer {
        var router = Router()
        router.get("/whoami") { request, _ in .text(request.peer as? String ?? "anonymous") }
        let server = HTTPServer(acceptor: try IdentifyingAcceptor(refuse: refuse), router: router,
                                configuration: HTTPServerConfiguration(handshakeTimeout: .seconds(7)), log: log)
        try server.start()
        return server
    }

    @Test func peerIdentityReachesTheHandler() throws {
        let server = try server(refuse: false)
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /whoami HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.response().text == "urn:verbund:test:7")
    }

    @Test func refusedEstablishmentClosesAndLogs() throws {
        let lines = Mutex<[String]>([])
        let server = try server(refuse: true) { line in lines.withLock { $0.append(line) } }
        let client = try RawClient(port: server.localPort)
        try? client.send("GET /whoami HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(client.isClosedByServer())
        server.stop()
        #expect(lines.withLock { $0.contains { $0.contains("http.handshake.failed") && $0.contains("not in the registry") } })
    }

    @Test func stopWithoutStartReleasesTheListener() throws {
        let server = HTTPServer(acceptor: try TCPAcceptor(host: "127.0.0.1", port: 0), router: Router())
        let port = server.localPort
        server.stop()
        #expect(throws: (any Error).self) { _ = try Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(1)) }
        #expect(throws: HTTPServer.ServerError.self) {
            try server.start()
            try server.start()
        }
    }
}
