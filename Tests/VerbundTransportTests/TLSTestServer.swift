import Dispatch
import Foundation
import Synchronization
import VerbundTrust
@testable import VerbundTransport

/// A one-connection TLS server on 127.0.0.1, port 0, running on its own thread: it accepts,
/// handshakes, runs the identity check, then hands the stream to `respond`. The outcome (identity
/// and what `respond` returned, or the error) is kept for the test to inspect.
final class TLSTestServer: Sendable {
    struct Served: Sendable {
        let identity: String
        let protocolVersion: String
        let cipherSuite: String
        let result: String
    }

    let port: UInt16
    private let listener: Socket
    private let outcome = Mutex<Result<Served, TransportError>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init(context: TLSContext, check: PeerIdentityCheck<String> = .participantID(prefix: "urn:verbund:test:"),
         handshakeTimeout: Duration = .seconds(5),
         respond: @escaping @Sendable (TLSStream) throws -> String = TLSTestServer.echoLine) throws {
        listener = try Socket.listen(host: "127.0.0.1", port: 0)
        port = listener.localPort
        Thread { [self] in
            let result: Result<Served, TransportError>
            do {
                let socket = try listener.accept()
                let stream = try TLSStream.accept(socket: socket, context: context, handshakeTimeout: handshakeTimeout,
                                                  readTimeout: .seconds(5), writeTimeout: .seconds(5))
                let identity = try stream.identify(with: check)
                let answer = try respond(stream)
                stream.close()
                result = .success(Served(identity: identity, protocolVersion: stream.protocolVersion,
                                         cipherSuite: stream.cipherSuite, result: answer))
            } catch let error as TransportError {
                result = .failure(error)
            } catch {
                result = .failure(.tls("unexpected error \(error)"))
            }
            self.outcome.withLock { $0 = result }
            self.finished.signal()
        }.start()
    }

    /// Waits for the connection to end; may be called repeatedly.
    func wait(timeout: Duration = .seconds(10)) -> Result<Served, TransportError>? {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        guard finished.wait(timeout: .now() + seconds) == .success else { return nil }
        finished.signal()  // so that later calls return at once too
        return outcome.withLock { $0 }
    }

    /// The error the server saw, or a description of why there was none.
    func failure() -> String {
        switch wait() {
        case .failure(let error)?: return error.description
        case .success(let served)?: return "no failure: served \(served.identity)"
        case nil: return "server did not finish"
        }
    }

    /// Reads one line and answers `echo:<line>`.
    @Sendable static func echoLine(_ stream: TLSStream) throws -> String {
        let line = try readUntil(stream, terminator: Array("\n".utf8))
        let text = String(decoding: line, as: UTF8.self)
        try Array("echo:\(text)".utf8).withUnsafeBytes { try stream.write($0) }
        return text
    }

    /// Reads one HTTP/1.1 request head and answers `200 hello` with `Connection: close`.
    @Sendable static func helloHTTP(_ stream: TLSStream) throws -> String {
        let head = try readUntil(stream, terminator: Array("\r\n\r\n".utf8))
        let response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
        try Array(response.utf8).withUnsafeBytes { try stream.write($0) }
        return String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
    }

    static func readUntil(_ stream: any ByteStream, terminator: [UInt8], limit: Int = 16 * 1024) throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while received.count < limit {
            if received.count >= terminator.count, Array(received.suffix(terminator.count)) == terminator { break }
            let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { break }
            received += buffer[0..<count]
        }
        return received
    }
}

extension ByteStream {
    func send(_ text: String) throws {
        try Array(text.utf8).withUnsafeBytes { try write($0) }
    }

    func receiveAll() throws -> String {
        String(decoding: try TLSTestServer.readUntil(self, terminator: [0xFF, 0xFE, 0xFD]), as: UTF8.self)
    }
}
