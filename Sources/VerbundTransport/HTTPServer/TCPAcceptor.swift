/// Accepts plain TCP connections (the management API on loopback).
package final class TCPAcceptor: StreamAcceptor {
    private let listener: Socket

    /// Listens on `host:port`; port 0 picks a free port, read it back from `localPort`.
    package init(host: String, port: UInt16) throws {
        listener = try Socket.listen(host: host, port: port)
    }

    package var localPort: UInt16 { listener.localPort }

    package func accept() throws -> AcceptedConnection {
        let socket = try listener.accept()
        return AcceptedConnection(socket: socket) { socket, _ in
            EstablishedConnection(stream: TCPStream(socket: socket), peer: nil)
        }
    }

    /// On Linux, shutting a listening socket down makes a blocked accept(2) fail with EINVAL.
    package func stopAccepting() {
        listener.shutdownBoth()
    }

    package func close() {
        listener.close()
    }
}
