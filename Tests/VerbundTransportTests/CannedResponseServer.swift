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
}
