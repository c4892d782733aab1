import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundTransport

@Suite(.offCooperativePool) struct SocketTests {
    @Test func loopbackRoundTrip() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let port = listener.localPort
        #expect(port != 0)
        let client = try Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
        let server = try listener.accept()
        let message = Array("hello".utf8)
        try message.withUnsafeBytes { try client.write($0) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
        #expect(Array(buffer[0..<n]) == message)
        client.close()
        let eof = try buffer.withUnsafeMutableBytes { try server.read(into: $0) }
        #expect(eof == 0)
    }

    @Test func silentPeerTimesOut() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort, timeout: .seconds(2))
        let server = try listener.accept()
        let stream = TCPStream(socket: server, readTimeout: .milliseconds(200))
        let started = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(throws: TransportError.self) {
            _ = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
        }
        #expect(ContinuousClock.now - started < .seconds(2))
        _ = client
    }

    @Test func refusedConnectionNamesTheCall() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let port = listener.localPort
        listener.close()
        do {
            _ = try Socket.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
            Issue.record("connect to a closed port succeeded")
        } catch let error as TransportError {
            #expect(error.description.contains("connect to 127.0.0.1:\(port)"))
        }
    }

    @Test func unresolvableHostIsReported() {
        #expect(throws: TransportError.self) {
            _ = try Socket.connect(host: "no-such-host.invalid", port: 1, timeout: .seconds(1))
        }
    }
}
