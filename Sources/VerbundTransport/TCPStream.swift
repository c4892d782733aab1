/// A plain TCP `ByteStream`: the management API on loopback speaks HTTP over this, without TLS.
public final class TCPStream: ByteStream {
    public let socket: Socket

    public var underlyingSocket: Socket? { socket }

    public var readTimeout: Duration { didSet { applyTimeouts() } }
    public var writeTimeout: Duration { didSet { applyTimeouts() } }

    public init(socket: Socket, readTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30)) {
        self.socket = socket
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        applyTimeouts()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try socket.read(into: buffer)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try socket.write(bytes)
    }

    public func close() {
        socket.close()
    }

    private func applyTimeouts() {
        socket.setTimeouts(read: readTimeout, write: writeTimeout)
    }
}
