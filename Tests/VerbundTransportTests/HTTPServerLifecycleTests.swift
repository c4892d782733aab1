import Dispatch
import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

/// The server's lifecycle as a value, and `stop` against real connections: it returns as soon as the connections,
/// the accept thread and the connection threads have ended (it waits on the state's condition, not on a poll), a
/// concurrent second `stop` waits for the first, and a stopped server refuses to start again.
@Suite(.offCooperativePool) struct HTTPServerLifecycleTests {
    @Test func startAndStopAreActionsOfTheState() {
        var life = HTTPServerLifecycle.idle
        #expect(!life.isStopping && !life.acceptThreadRunning)
        #expect(life.start() == .spawnAcceptThread)
        #expect(life == .serving && life.acceptThreadRunning)
        #expect(life.start() == .refuse)
        #expect(life.stop() == .stopAccepting)
        #expect(life.isStopping && life.acceptThreadRunning)
        #expect(life.stop() == .join)
        life.acceptThreadEnded()
        #expect(life == .stopping(acceptThreadEnded: true) && !life.acceptThreadRunning)
        life.finished()
        #expect(life.stop() == .none)
        #expect(life.start() == .refuse)

        var never = HTTPServerLifecycle.idle
        #expect(never.stop() == .closeListener)
        #expect(never == .stopping(acceptThreadEnded: true))
        #expect(never.start() == .refuse)
    }

    @Test func stopReturnsPromptlyWithIdleConnectionsOpen() throws {
        let server = try startServer { router in router.get("/hello") { _, _ in .text("hi") } }
        // One keep-alive connection after a request, two that never sent a byte: none is busy.
        let used = try RawClient(port: server.localPort)
        try used.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try used.response().text == "hi")
        let silent = try (0..<2).map { _ in try RawClient(port: server.localPort) }
        #expect(server.state.wait(until: .now + .seconds(5)) { $0.connections.count == 3 })

        let began = ContinuousClock.now
        server.stop(grace: .seconds(30))
        #expect(ContinuousClock.now - began < .seconds(5), "stop waited for idle connections")
        #expect(server.activeConnections == 0 && server.threads.threadsAlive == 0)
        #expect(used.isClosedByServer())
        for client in silent { #expect(client.isClosedByServer()) }
    }

    @Test func stopLetsTheRequestInFlightFinishAndReturnsWhenItEnds() throws {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let server = try startServer { router in
            router.get("/slow") { _, _ in
                entered.signal()
                _ = release.wait(timeout: .now() + 20)
                return .text("done")
            }
        }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(entered.wait(timeout: .now() + 10) == .success)

        // Two callers stop at once; the second joins the first.
        let returned = DispatchSemaphore(value: 0)
        for _ in 0..<2 {
            Thread { server.stop(grace: .seconds(30)); returned.signal() }.start()
        }
        #expect(returned.wait(timeout: .now() + 0.3) == .timedOut, "stop returned while a request was in flight")
        release.signal()
        #expect(returned.wait(timeout: .now() + 5) == .success)
        #expect(returned.wait(timeout: .now() + 5) == .success)
        let response = try client.response()
        #expect(response.text == "done" && !response.head.keepAlive)
        #expect(server.threads.threadsAlive == 0)
    }

    @Test func aStoppedServerRefusesToStartAgain() throws {
        let server = try startServer { router in router.get("/hello") { _, _ in .text("hi") } }
        let port = server.localPort
        server.stop()
        #expect(throws: HTTPServer.ServerError.alreadyStarted) { try server.start() }
        #expect(throws: (any Error).self) { _ = try Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(1)) }
        server.stop()  // again: nothing to do, returns
    }

    @Test func aWaitEndsWhenAnotherThreadChangesTheValueOrAtItsDeadline() {
        let value = ConditionLocked(0)
        let began = ContinuousClock.now
        #expect(!value.wait(until: .now + .milliseconds(50)) { $0 == 1 })
        #expect(ContinuousClock.now - began >= .milliseconds(50))
        Thread { value.withLock { $0 = 1 } }.start()
        #expect(value.wait(until: .now + .seconds(10)) { $0 == 1 })
        #expect(value.wait(until: nil) { $0 == 1 })
    }
}
