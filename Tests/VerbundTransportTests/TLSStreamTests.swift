import Foundation
import Testing
import VerbundTestSupport
import VerbundTrust
@testable import VerbundTransport

/// Record-layer behaviour after the handshake: large transfers, EOF, truncation, timeouts, misuse.
@Suite(.offCooperativePool) struct TLSStreamTests {
    private func connect(_ pki: TLSTestPKI, to server: TLSTestServer, readTimeout: Duration = .seconds(5)) throws -> TLSStream {
        let socket = try Socket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(2))
        return try TLSStream.connect(socket: socket, context: try pki.clientContext(try pki.issue("jena")),
                                     serverName: "localhost", handshakeTimeout: .seconds(5),
                                     readTimeout: readTimeout, writeTimeout: .seconds(5))
    }

    private func server(_ pki: TLSTestPKI, respond: @escaping @Sendable (TLSStream) throws -> String) throws -> TLSTestServer {
        try TLSTestServer(context: try pki.serverContext(try pki.issue("erfurt")), check: .init { $0.subject },
                          respond: respond)
    }

    @Test func largePayloadCrossesManyRecordsIntact() throws {
        let pki = try TLSTestPKI()
        let size = 1 << 20
        let server = try server(pki) { stream in
            var hash = SHA256Stream()
            var total = 0
            var buffer = [UInt8](repeating: 0, count: 10_000)
            while total < size {
                let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
                if count == 0 { break }
                hash.update(buffer[0..<count])
                total += count
            }
            let digest = Hex.encode(hash.finalize())
            try stream.send(digest)
            return "\(total)"
        }
        let client = try connect(pki, to: server)
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try payload.withUnsafeBytes { try client.write($0) }
        #expect(try client.receiveAll() == SHA256.hexHash(payload))
        #expect(try server.wait()?.get().result == "\(size)")
    }

    @Test func closeNotifyEndsTheStreamCleanly() throws {
        let pki = try TLSTestPKI()
        let server = try server(pki) { stream in
            try stream.send("bye")
            return ""
        }
        let client = try connect(pki, to: server)
        #expect(try client.receiveAll() == "bye")
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(try buffer.withUnsafeMutableBytes { try client.read(into: $0) } == 0)
    }

    @Test func truncationWithoutCloseNotifyIsAnError() throws {
        let pki = try TLSTestPKI()
        let server = try server(pki) { stream in
            try stream.send("partial")
            stream.socket.shutdownBoth()  // TCP FIN without TLS close_notify: a truncation attack looks like this
            return ""
        }
        let client = try connect(pki, to: server)
        let error = #expect(throws: TransportError.self) { _ = try client.receiveAll() }
        #expect(error?.description.contains("unexpected eof") == true, "\(String(describing: error))")
    }

    @Test func silentPeerAfterHandshakeTimesOutTheRead() throws {
        let pki = try TLSTestPKI()
        let server = try server(pki) { stream in
            Thread.sleep(forTimeInterval: 1)
            return ""
        }
        let client = try connect(pki, to: server, readTimeout: .milliseconds(200))
        let started = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 8)
        let error = #expect(throws: TransportError.self) { _ = try buffer.withUnsafeMutableBytes { try client.read(into: $0) } }
        guard case .timedOut? = error else {
            Issue.record("expected timedOut, got \(String(describing: error))")
            return
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func closedStreamRefusesIOAndClosesOnce() throws {
        let pki = try TLSTestPKI()
        let server = try server(pki, respond: TLSTestServer.echoLine)
        let client = try connect(pki, to: server)
        client.close()
        client.close()
        #expect(throws: TransportError.self) { try client.send("late\n") }
        var buffer = [UInt8](repeating: 0, count: 8)
        #expect(throws: TransportError.self) { _ = try buffer.withUnsafeMutableBytes { try client.read(into: $0) } }
    }

    @Test func plainHTTPClientIsRefusedByTheTLSServer() throws {
        let pki = try TLSTestPKI()
        let server = try server(pki, respond: TLSTestServer.echoLine)
        let socket = try Socket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(2))
        let plain = TCPStream(socket: socket, readTimeout: .seconds(5))
        try plain.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(server.failure().contains("http request"), "\(server.failure())")
    }

    @Test func plainHTTPServerFailsTheClientHandshake() throws {
        let pki = try TLSTestPKI()
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        Thread {
            guard let peer = try? listener.accept() else { return }
            try? TCPStream(socket: peer).send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            peer.close()
        }.start()
        let socket = try Socket.connect(host: "127.0.0.1", port: listener.localPort, timeout: .seconds(2))
        let error = #expect(throws: TransportError.self) {
            _ = try TLSStream.connect(socket: socket, context: try pki.clientContext(try pki.issue("jena")),
                                      serverName: "localhost", handshakeTimeout: .seconds(5))
        }
        guard case .tls(let reason)? = error else {
            Issue.record("expected a TLS error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("wrong version number") || reason.contains("packet length too long"), "\(reason)")
    }

    @Test func contextsRefuseTheWrongRole() throws {
        let pki = try TLSTestPKI()
        let jena = try pki.issue("jena")
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let socket = try Socket.connect(host: "127.0.0.1", port: listener.localPort, timeout: .seconds(2))
        #expect(throws: TransportError.self) {
            _ = try TLSStream.accept(socket: socket, context: try pki.clientContext(jena), handshakeTimeout: .seconds(1))
        }
        #expect(throws: TransportError.self) {
            _ = try TLSStream.connect(socket: socket, context: try pki.serverContext(jena), serverName: nil,
                                      handshakeTimeout: .seconds(1))
        }
    }
}
