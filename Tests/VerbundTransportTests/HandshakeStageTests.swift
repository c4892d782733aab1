import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

/// The server's handshake stage on a real TLS listener: per-source refusals are immediate, a trickled handshake ends
/// at its total deadline, and a full stage evicts its oldest handshake for a member's new one.
@Suite(.offCooperativePool) struct HandshakeStageTests {
    private func tlsServer(_ pki: TLSTestPKI, _ configuration: HTTPServerConfiguration) throws -> HTTPServer {
        var router = Router()
        router.get("/whoami") { request, _ in .text("hello \(request.peer as? String ?? "nobody")") }
        let acceptor = try TLSAcceptor(host: "127.0.0.1", port: 0,
                                       contexts: TLSContextSlot(try pki.serverContext(try pki.issue("erfurt", uri: "urn:verbund:test:erfurt"))),
                                       identityCheck: .participantID(prefix: "urn:verbund:test:"))
        let server = HTTPServer(acceptor: acceptor, router: router, configuration: configuration)
        try server.start()
        return server
    }

    private func member(_ pki: TLSTestPKI) throws -> HTTPClient {
        let connector = TLSConnector(contexts: TLSContextSlot(try pki.clientContext(try pki.issue("jena", uri: "urn:verbund:test:jena"))),
                                     identityCheck: .participantID(prefix: "urn:verbund:test:"))
        return HTTPClient(connect: connector.httpConnect)
    }

    @Test func connectionsOverTheSourceBoundAreClosedAtOnceAndTrickledHandshakesEndAtTheDeadline() throws {
        let pki = try TLSTestPKI()
        let server = try tlsServer(pki, HTTPServerConfiguration(maxHandshakesPerSource: 2, handshakeTimeout: .milliseconds(800)))
        defer { server.stop() }
        let started = ContinuousClock.now
        let strangers = try (0..<5).map { _ in try RawClient(port: server.localPort, timeout: .seconds(3)) }
        // Two handshake; three are closed without a word and without a thread.
        var survivors: [RawClient] = []
        for stranger in strangers {
            stranger.socket.setTimeouts(read: .milliseconds(300), write: .seconds(1))
            if !stranger.isClosedByServer() { survivors.append(stranger) }
        }
        #expect(survivors.count == 2)
        #expect(server.refusedConnections == 3)
        // The two others trickle a ClientHello a byte at a time: the total deadline ends them, not a per-read timeout.
        var cutOff = 0
        for stranger in survivors {
            stranger.socket.setTimeouts(read: .milliseconds(100), write: .seconds(1))
            var ended = false
            while !ended && ContinuousClock.now - started < .seconds(3) {
                if (try? stranger.send([0x16])) == nil { ended = true; break }
                ended = stranger.isClosedByServer()
            }
            if ended { cutOff += 1 }
        }
        #expect(cutOff == 2)
        #expect(ContinuousClock.now - started >= .milliseconds(750))  // the deadline (800 ms) runs from accept, a moment before `started` can see it
        #expect(ContinuousClock.now - started < .seconds(3))
        // The server's thread records the end a moment after it closed the socket.
        let settled = ContinuousClock.now + .seconds(1)
        while server.handshakingConnections > 0 && ContinuousClock.now < settled { Thread.sleep(forTimeInterval: 0.005) }
        #expect(server.handshakingConnections == 0)
    }

    @Test func aFullHandshakeStageEvictsTheOldestForAMember() throws {
        let pki = try TLSTestPKI()
        // Per source above the stage, so only the stage bound is at work (everything comes from 127.0.0.1 here).
        let server = try tlsServer(pki, HTTPServerConfiguration(maxHandshakes: 4, maxHandshakesPerSource: 8, handshakeTimeout: .seconds(30)))
        defer { server.stop() }
        let strangers = try (0..<4).map { _ in try RawClient(port: server.localPort, timeout: .seconds(3)) }
        let deadline = ContinuousClock.now + .seconds(5)
        while server.handshakingConnections < 4 && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(server.handshakingConnections == 4)
        // Without eviction the member would wait 30 s for a silent stranger's deadline.
        let started = ContinuousClock.now
        let response = try member(pki).send(HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/whoami"))
        #expect(String(decoding: response.body, as: UTF8.self) == "hello urn:verbund:test:jena")
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(server.evictedHandshakes >= 1)
        #expect(strangers[0].isClosedByServer())
    }
}
