import Foundation
@testable import VerbundTransport

/// A loopback listener for one connection that reads the request and answers fixed bytes, for responses no correct
/// server would send (malformed heads, bodies that stall); it keeps the connection open `linger` seconds.
enum CannedResponseServer {
    /// Starts the listener on an ephemeral port and returns the port.
    static func start(_ response: String, linger: Double) throws -> UInt16 {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let port = listener.localPort
        Thread {
            guard let peer = try? listener.accept() else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = try? buffer.withUnsafeMutableBytes { try peer.read(into: $0) }
            _ = try? Array(response.utf8).withUnsafeBytes { try peer.write($0) }
            Thread.sleep(forTimeInterval: linger)
        }.start()
        return port
    }

    /// Answers `head`, then trickles `body` one byte every `interval`, for at most `duration` or until the client
    /// leaves: a hostile peer that keeps every per-read timeout happy and never finishes.
    static func trickle(head: String, body: [UInt8], every interval: Double, for duration: Double) throws -> UInt16 {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let port = listener.localPort
        Thread {
            guard let peer = try? listener.accept() else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = try? buffer.withUnsafeMutableBytes { try peer.read(into: $0) }
            guard (try? Array(head.utf8).withUnsafeBytes({ try peer.write($0) })) != nil else { return }
            let end = Date().addingTimeInterval(duration)
            for byte in body where Date() < end {
                Thread.sleep(forTimeInterval: interval)
                guard (try? [byte].withUnsafeBytes({ try peer.write($0) })) != nil else { return }
            }
        }.start()
        return port
    }

    /// Answers `head` and then endless bytes as fast as the client reads, for at most `duration`: a huge body.
    static func flood(head: String, chunk: [UInt8], for duration: Double) throws -> UInt16 {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0)
        let port = listener.localPort
        Thread {
            guard let peer = try? listener.accept() else { return }
            peer.setTimeouts(read: .seconds(2), write: .seconds(2))
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = try? buffer.withUnsafeMutableBytes { try peer.read(into: $0) }
            guard (try? Array(head.utf8).withUnsafeBytes({ try peer.write($0) })) != nil else { return }
            let end = Date().addingTimeInterval(duration)
            while Date() < end {
                guard (try? chunk.withUnsafeBytes({ try peer.write($0) })) != nil else { return }
            }
        }.start()
        return port
    }
}
