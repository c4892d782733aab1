import VerbundHTTP

/// One request and its response on one stream.
struct HTTPExchange {
    let stream: any ByteStream
    let configuration: HTTPClientConfiguration
    let bodyLimit: Int
    /// The end of the whole exchange; every wait is cut to it (the socket watchdog enforces it besides).
    let deadline: ContinuousClock.Instant
    /// Whether any byte of a response arrived (decides whether a retry is safe).
    private(set) var receivedResponseBytes = false
    /// Whether the stream may carry another request.
    private(set) var reusable = false

    init(stream: any ByteStream, configuration: HTTPClientConfiguration, bodyLimit: Int, deadline: ContinuousClock.Instant) {
        self.stream = stream
        self.configuration = configuration
        self.bodyLimit = bodyLimit
        self.deadline = deadline
    }

    /// `wait`, cut to what is left of the deadline; throws when nothing is left.
    private func bounded(_ wait: Duration) throws -> Duration {
        let remaining = deadline - .now
        guard remaining > .zero else { throw TransportError.timedOut("the exchange reached its deadline") }
        return min(wait, remaining)
    }

    mutating func run(_ request: HTTPClientRequest, consume: (HTTPResponseHead, [UInt8]) throws -> Void) throws -> HTTPResponseHead {
        let bytes = try request.serialized()
        var offset = 0
        while offset < bytes.count {
            stream.writeTimeout = try bounded(configuration.writeTimeout)
            let end = min(bytes.count, offset + 64 * 1024)
            try bytes[offset..<end].withUnsafeBytes { try stream.write($0) }
            offset = end
        }

        var parser = HTTPResponseParser(requestMethod: request.method, limits: configuration.limits, bodyLimit: bodyLimit)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let headDeadline = ContinuousClock.now + configuration.responseHeadTimeout
        var head: HTTPResponseHead?
        var start = 0
        var end = 0
        while true {
            // Parse what is buffered until the parser needs more.
            while true {
                let (consumed, event) = try buffer.withUnsafeBytes { all in
                    try parser.parse(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                }
                start += consumed
                switch event {
                case let .head(parsed)?:
                    head = parsed
                case let .body(bytes)?:
                    if let head { try consume(head, bytes) }
                case .end?:
                    guard let head else { throw HTTPParseError(.badRequest, "response ended without a head") }
                    // Extra bytes after a complete response mean the framing cannot be trusted.
                    reusable = start == end && head.keepAlive && parser.framing != .untilClose
                        && !request.headers.tokens("connection").contains("close")
                    return head
                case nil:
                    break
                }
                if event == nil { break }
            }
            if head != nil {
                stream.readTimeout = try bounded(configuration.bodyProgressTimeout)
            } else {
                let remaining = headDeadline - ContinuousClock.now
                guard remaining > .zero else { throw TransportError.timedOut("no response head within \(configuration.responseHeadTimeout)") }
                stream.readTimeout = try bounded(remaining)
            }
            let n: Int
            do {
                n = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            } catch TransportError.timedOut {
                throw TransportError.timedOut(head == nil
                    ? "no response head within \(configuration.responseHeadTimeout)"
                    : "response body stalled for \(configuration.bodyProgressTimeout)")
            }
            if n == 0 {
                guard receivedResponseBytes else { throw TransportError.closedByPeer }
                if case .end = try parser.endOfInput(), let head { return head }
                throw TransportError.closedByPeer
            }
            receivedResponseBytes = true
            start = 0
            end = n
        }
    }
}
