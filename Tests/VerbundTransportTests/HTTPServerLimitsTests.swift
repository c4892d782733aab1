import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

@Suite(.offCooperativePool) struct HTTPServerLimitsTests {
    @Test func slowlorisIsCutOffWhileOthersAreServed() throws {
        let configuration = HTTPServerConfiguration(headerTimeout: .seconds(1))
        let server = try startServer(configuration) { router in
            router.get("/ok") { _, _ in .text("ok") }
        }
        defer { server.stop() }
        let slow = try RawClient(port: server.localPort, timeout: .seconds(3))
        let started = ContinuousClock.now
        let request = Array("GET /ok HTTP/1.1\r\nHost: t\r\nX-Padding: \(String(repeating: "p", count: 40))\r\n\r\n".utf8)
        var sent = 0
        var cutOff = false
        var servedMeanwhile = false
        while sent < request.count {
            do {
                try slow.send([request[sent]])
            } catch {
                cutOff = true
                break
            }
            sent += 1
            if sent == 2 {
                let other = try RawClient(port: server.localPort)
                try other.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
                servedMeanwhile = try other.response().text == "ok"
            }
            Thread.sleep(forTimeInterval: 0.3)
            if ContinuousClock.now - started > .seconds(2) { break }
        }
        #expect(servedMeanwhile)
        if !cutOff {
            // The server answered 408 and closed after about a second.
            let response = try slow.response()
            #expect(response.head.status.code == 408)
        }
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(sent < request.count)
    }

    @Test func idleKeepAliveConnectionsAreClosed() throws {
        let server = try startServer(HTTPServerConfiguration(idleTimeout: .milliseconds(300))) { router in
            router.get("/ok") { _, _ in .text("ok") }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort, timeout: .seconds(2))
        try client.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = try client.response()
        let started = ContinuousClock.now
        #expect(client.isClosedByServer())
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func stalledBodyIsCutOff() throws {
        let server = try startServer(HTTPServerConfiguration(bodyProgressTimeout: .milliseconds(300))) { router in
            router.post("/upload") { _, body in .text("\(try body.readAll().count)") }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort, timeout: .seconds(2))
        try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
        let started = ContinuousClock.now
        #expect(client.isClosedByServer())
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func connectionsBeyondTheBoundGetFast503() throws {
        let server = try startServer(HTTPServerConfiguration(maxConnections: 1)) { router in
            router.get("/ok") { _, _ in .text("ok") }
        }
        defer { server.stop() }
        let holder = try RawClient(port: server.localPort)
        try holder.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = try holder.response()
        let started = ContinuousClock.now
        let overflow = try RawClient(port: server.localPort)
        try overflow.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try overflow.response()
        #expect(response.head.status.code == 503)
        #expect(!response.head.keepAlive)
        #expect(ContinuousClock.now - started < .seconds(5))
        // The held connection is still served.
        try holder.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try holder.response().text == "ok")
    }

    @Test func gracefulStopLetsInFlightRequestsFinish() throws {
        let server = try startServer { router in
            router.get("/slow") { _, _ in
                Thread.sleep(forTimeInterval: 0.4)
                return .text("done")
            }
            router.get("/ok") { _, _ in .text("ok") }
        }
        let port = server.localPort
        let idle = try RawClient(port: port)
        try idle.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = try idle.response()
        let busy = try RawClient(port: port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        let started = ContinuousClock.now
        server.stop(grace: .seconds(3))
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(server.activeConnections == 0)
        let response = try busy.response()
        #expect(response.text == "done")
        #expect(!response.head.keepAlive)
        #expect(idle.isClosedByServer())
        #expect(throws: (any Error).self) {
            let late = try RawClient(port: port, timeout: .milliseconds(500))
            try late.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try late.response()
        }
    }

    @Test func stopCutsOffRequestsBeyondTheGrace() throws {
        let server = try startServer { router in
            router.get("/stuck") { _, body in
                // Blocks on a body that never comes until the server shuts the socket.
                _ = try? body.readAll()
                return .text("late")
            }
        }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /stuck HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        let started = ContinuousClock.now
        server.stop(grace: .milliseconds(200))
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(server.activeConnections == 0)
    }
}
