import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

/// Connection threads park for the next connection; they are still bounded and all end at `stop()`.
@Suite(.offCooperativePool) struct ConnectionThreadsTests {
    private func serveSequentially(_ server: HTTPServer, connections: Int) throws {
        for n in 0..<connections {
            let client = try RawClient(port: server.localPort)
            try client.send("GET /n HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            #expect(try client.response().text == "n", "connection \(n)")
            // Lets the finished connection's thread reach its parking place before the next connection arrives.
            let deadline = Date().addingTimeInterval(2)
            while server.activeConnections > 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    @Test func sequentialConnectionsReuseAParkedThread() throws {
        let server = try startServer { router in router.get("/n") { _, _ in .text("n") } }
        try serveSequentially(server, connections: 12)
        #expect(server.threads.threadsCreated <= 3, "\(server.threads.threadsCreated) threads for 12 connections")
        #expect(server.threads.threadsAlive >= 1)  // parked
        server.stop()
        #expect(server.threads.threadsAlive == 0)
    }

    @Test func withoutParkingEveryConnectionGetsItsOwnThread() throws {
        let server = try startServer(HTTPServerConfiguration(parkedThreads: 0)) { router in router.get("/n") { _, _ in .text("n") } }
        try serveSequentially(server, connections: 5)
        #expect(server.threads.threadsCreated == 5)
        server.stop()
        #expect(server.threads.threadsAlive == 0)
    }

    @Test func concurrentJobsEachGetAThreadAtOnceAndParkingIsBounded() throws {
        let threads = ConnectionThreads(maxParked: 2, stackSize: 1 << 20)
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        // Six jobs that block until released: all six must be running at the same time.
        for _ in 0..<6 { threads.run { started.signal(); release.wait() } }
        for _ in 0..<6 { #expect(started.wait(timeout: .now() + 5) == .success) }
        #expect(threads.threadsCreated == 6)
        for _ in 0..<6 { release.signal() }
        let deadline = Date().addingTimeInterval(5)
        while threads.threadsAlive > 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(threads.threadsAlive == 2)  // four ended, two parked
        // The parked two take the next jobs without new threads.
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<2 { threads.run { done.signal() } }
        for _ in 0..<2 { #expect(done.wait(timeout: .now() + 5) == .success) }
        #expect(threads.threadsCreated == 6)

        // What a job captured is released when it ends, not when its thread next runs a job.
        final class Captured: Sendable {
            let freed: DispatchSemaphore
            init(_ freed: DispatchSemaphore) { self.freed = freed }
            deinit { freed.signal() }
        }
        let freed = DispatchSemaphore(value: 0)
        do {
            let captured = Captured(freed)
            threads.run { _ = captured }
        }
        #expect(freed.wait(timeout: .now() + 5) == .success)
        threads.close()
        #expect(threads.threadsAlive == 0)
    }
}
