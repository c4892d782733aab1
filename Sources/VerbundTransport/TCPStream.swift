/// A plain TCP `ByteStream`: the management API on loopback speaks HTTP over this, without TLS.
package final class TCPStream: ByteStream {
    package let socket: Socket

    package var underlyingSocket: Socket? { socket }

    package var readTimeout: Duration { didSet { applyTimeouts() } }
    package var writeTimeout: Duration { didSet { applyTimeouts() } }

    package init(socket: Socket, readTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30)) {
        self.socket = socket
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        applyTimeouts()
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try socket.read(into: buffer)
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        try socket.write(bytes)
    }

    package func close() {
        socket.close()
    }

    private func applyTimeouts() {
        socket.setTimeouts(read: readTimeout, write: writeTimeout)
    }
}
