import Dispatch
import Foundation
import Synchronization
import VerbundTransport
import VerbundTrust

/// A hostile member's DSP listener (its real key and certificate): every answer announces `announcedSerial` in
/// `Verbund-Registry-Serial`; `/federation/registry` answers 200 with a large `Content-Length` and then sends one byte
/// every `trickle` — never a whole registry, never a silence long enough for a per-read timeout. Other paths answer
/// at once. After `stop()` each connection ends at its next byte (TLS streams are not shared between threads).
final class TricklingPeer: Sendable {
    private let acceptor: TLSAcceptor<PeerCertificate>
    private let stopping = Atomic<Bool>(false)
    private let announced: Mutex<UInt64>
    private let trickle: Duration
    /// Registry requests received.
    let registryRequests = Atomic<Int>(0)
    private let registryRequested = DispatchSemaphore(value: 0)

    /// Waits (at most `timeout`) until a registry request arrived.
    func waitForRegistryRequest(timeout: Double = 5) -> Bool {
        registryRequested.wait(timeout: .now() + timeout) == .success
    }

    init(key: PrivateKey, chain: [Certificate], root: Certificate, port: UInt16, announcedSerial: UInt64, trickle: Duration) throws {
        let tls = try TLSContext(configuration: .server(certificateChain: chain, privateKey: key, trustRoots: [root]))
        acceptor = try TLSAcceptor(host: "127.0.0.1", port: port, contexts: TLSContextSlot(tls), identityCheck: .verifiedChain)
        announced = Mutex(announcedSerial)
        self.trickle = trickle
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    func announce(_ serial: UInt64) { announced.withLock { $0 = serial } }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        acceptor.stopAccepting()
    }

    private func acceptLoop() {
        while !stopping.load(ordering: .relaxed) {
            guard let (stream, _) = try? acceptor.acceptStream(handshakeTimeout: .seconds(5)) else { continue }
            let handed = HandedStream(stream: stream)
            let thread = Thread { [self] in serve(handed.stream) }
            thread.start()
        }
        acceptor.close()
    }

    private func serve(_ stream: TLSStream) {
        defer { stream.close() }
        while !stopping.load(ordering: .relaxed) {
            guard let head = readHead(stream) else { return }
            let serial = announced.withLock { $0 }
            if head.contains(" /dsp/federation/registry ") {
                registryRequests.add(1, ordering: .relaxed)
                registryRequested.signal()
                let start = "HTTP/1.1 200 OK\r\nContent-Type: application/jose\r\nContent-Length: 1000000\r\n"
                    + "Verbund-Registry-Serial: \(serial)\r\n\r\n"
                guard write(start, to: stream) else { return }
                while !stopping.load(ordering: .relaxed) {
                    Thread.sleep(forTimeInterval: Double(trickle.components.seconds) + Double(trickle.components.attoseconds) / 1e18)
                    guard write("e", to: stream) else { return }
                }
                return
            }
            let answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nVerbund-Registry-Serial: \(serial)\r\n\r\npong"
            guard write(answer, to: stream) else { return }
        }
    }

    private func readHead(_ stream: TLSStream) -> String? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        stream.readTimeout = .seconds(10)
        while !bytes.suffix(4).elementsEqual([13, 10, 13, 10]) {
            guard let n = try? buffer.withUnsafeMutableBytes({ try stream.read(into: $0) }), n > 0 else { return nil }
            bytes += buffer[0..<n]
            if bytes.count > 65536 { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func write(_ text: String, to stream: TLSStream) -> Bool {
        (try? Array(text.utf8).withUnsafeBytes { try stream.write($0) }) != nil
    }
}

/// Hands a stream to the one thread that serves it from then on.
private struct HandedStream: @unchecked Sendable {
    let stream: TLSStream
}
