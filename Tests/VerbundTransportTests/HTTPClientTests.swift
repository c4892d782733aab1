import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

@Suite(.offCooperativePool) struct HTTPClientTests {
    @Test func reusesOneConnectionForSeveralRequests() throws {
        let server = try startServer { router in
            router.get("/n/:i") { request, _ in .text(request.parameter("i") ?? "") }
            router.post("/echo") { _, body in .text(String(decoding: try body.readAll(), as: UTF8.self)) }
        }
        defer { server.stop() }
        let client = HTTPClient()
        for i in 0..<5 {
            let response = try client.send(HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/n/\(i)"))
            #expect(response.status.code == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "\(i)")
        }
        let echoed = try client.send(HTTPClientRequest(method: .post, host: "127.0.0.1", port: server.localPort,
                                                       target: "/echo", body: Array("payload".utf8)))
        #expect(echoed.body == Array("payload".utf8))
        #expect(client.connectionsOpened == 1)
        #expect(server.acceptedConnections == 1)
    }

    @Test func concurrentCallersGetTheirOwnConnections() throws {
        let server = try startServer { router in
            router.get("/slow") { _, _ in
                Thread.sleep(forTimeInterval: 0.05)
                return .text("s")
            }
        }
        defer { server.stop() }
        let client = HTTPClient()
        let port = server.localPort
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<3 {
                let response = try? client.send(HTTPClientRequest(host: "127.0.0.1", port: port, target: "/slow"))
                #expect(response?.body == Array("s".utf8))
            }
        }
        #expect(client.connectionsOpened <= 8)
        #expect(client.idleConnections <= 4)
    }

    @Test func silentServerTimesOut() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let client = HTTPClient(configuration: HTTPClientConfiguration(responseHeadTimeout: .milliseconds(300)))
        let started = ContinuousClock.now
        do {
            _ = try client.send(HTTPClientRequest(host: "127.0.0.1", port: listener.localPort, target: "/"))
            Issue.record("a silent server produced a response")
        } catch {
            #expect(error.isTimeout)
            #expect(error.description.contains("127.0.0.1"))
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func refusedConnectionIsReported() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let port = listener.localPort
        listener.close()
        #expect(throws: HTTPClientError.self) {
            _ = try HTTPClient().send(HTTPClientRequest(host: "127.0.0.1", port: port, target: "/"))
        }
    }

    @Test func oversizedResponseIsRefused() throws {
        let server = try startServer { router in
            router.get("/big") { _, _ in HTTPResponse(body: .bytes([UInt8](repeating: 1, count: 10_000))) }
        }
        defer { server.stop() }
        do {
            _ = try HTTPClient().send(HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/big"), maxBodyBytes: 1000)
            Issue.record("an oversized body was accepted")
        } catch {
            guard case .invalidResponse = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    @Test func retriesAnIdempotentRequestOnAStaleConnection() throws {
        let server = try startServer(HTTPServerConfiguration(idleTimeout: .milliseconds(100))) { router in
            router.get("/x") { _, _ in .text("x") }
        }
        defer { server.stop() }
        let client = HTTPClient()
        let request = HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/x")
        _ = try client.send(request)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try client.send(request).body == Array("x".utf8))
        #expect(client.connectionsOpened == 2)
    }

    @Test func malformedResponseIsReported() throws {
        // Two different Content-Length fields: RFC 9112 §6.3 makes the message invalid.
        let port = try CannedResponseServer.start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", linger: 0.2)
        do {
            _ = try HTTPClient().send(HTTPClientRequest(host: "127.0.0.1", port: port, target: "/"))
            Issue.record("a malformed response was accepted")
        } catch {
            guard case .invalidResponse = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    @Test func stalledBodyTimesOut() throws {
        let port = try CannedResponseServer.start("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc", linger: 1.5)
        let client = HTTPClient(configuration: HTTPClientConfiguration(bodyProgressTimeout: .milliseconds(300)))
        let started = ContinuousClock.now
        do {
            _ = try client.send(HTTPClientRequest(host: "127.0.0.1", port: port, target: "/"))
            Issue.record("a stalled body completed")
        } catch {
            #expect(error.isTimeout)
            #expect(error.description.contains("stalled"))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
