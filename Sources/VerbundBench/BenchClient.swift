import VerbundHTTP
import VerbundTransport

/// The one client that drives both servers: a new TCP connection, a full TLS 1.3 handshake with our
/// client certificate (no session is ever reused), one GET, the body read to its end and counted.
///
/// It copes with both answers it meets: Verbund's HTTP/1.1 with `Content-Length`, and `s_server
/// -WWW`'s HTTP/1.0 without a length, ended by closing the connection. `s_server` closes without
/// TLS close_notify, which OpenSSL 3 reports as "unexpected eof"; that cannot be told apart from a
/// truncation, so for close-delimited bodies the byte count is checked against the file size instead.
struct BenchClient: Sendable {
    let context: TLSContext
    let host: String
    let port: UInt16
    var timeout: Duration = .seconds(30)

    /// GETs `path` and returns the number of body bytes, after checking it is `expectedBytes`.
    /// `buffer` is the caller's (one per thread), so the loop allocates nothing per read.
    func get(_ path: String, expectedBytes: Int, buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let socket = try Socket.connect(host: host, port: port, timeout: timeout)
        let stream = try TLSStream.connect(socket: socket, context: context, serverName: host, handshakeTimeout: timeout,
                                           readTimeout: timeout, writeTimeout: timeout)
        defer { stream.close() }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n"
        try Array(request.utf8).withUnsafeBytes { try stream.write($0) }

        var parser = HTTPResponseParser(requestMethod: .get)
        var head: HTTPResponseHead?
        var received = 0
        while head == nil {
            let n = try stream.read(into: buffer)
            guard n > 0 else { throw BenchError.protocolViolation("\(path): connection closed before the response head") }
            let (consumed, event) = try parser.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            if case let .head(parsed)? = event {
                head = parsed
                received = n - consumed  // the first body bytes came with the head
            }
        }
        guard let head, head.status.code == 200 else {
            throw BenchError.protocolViolation("\(path): status \(head?.status.code ?? 0) instead of 200")
        }
        switch parser.framing {
        case let .contentLength(length)?:
            guard length == expectedBytes else {
                throw BenchError.protocolViolation("\(path): Content-Length \(length), expected \(expectedBytes)")
            }
            while received < length {
                let n = try stream.read(into: buffer)
                guard n > 0 else { throw BenchError.protocolViolation("\(path): body truncated at \(received) of \(length) bytes") }
                received += n
            }
            guard received == length else { throw BenchError.protocolViolation("\(path): \(received - length) bytes past the body") }
        case .untilClose?:
            do {
                while true {
                    let n = try stream.read(into: buffer)
                    if n == 0 { break }
                    received += n
                }
            } catch {
                // No close_notify (s_server -WWW): fine once every byte of the file arrived.
                guard received == expectedBytes else { throw error }
            }
            guard received == expectedBytes else {
                throw BenchError.protocolViolation("\(path): \(received) body bytes, expected \(expectedBytes)")
            }
        case .none?, nil:
            guard expectedBytes == 0 else { throw BenchError.protocolViolation("\(path): response without content") }
        case .chunked?:
            throw BenchError.protocolViolation("\(path): chunked response; the benchmark expects a file with a known size")
        }
        return received
    }
}
