import VerbundHTTP

/// One request and its response on one stream.
struct HTTPExchange {
    let stream: any ByteStream
    let configuration: HTTPClientConfiguration
    let bodyLimit: Int
    /// When the whole exchange must be over, whatever the per-read timeouts allow (a peer trickling bytes).
    let deadline: ContinuousClock.Instant?
    /// Whether any byte of a response arrived (decides whether a retry is safe).
    private(set) var receivedResponseBytes = false
    /// Whether the stream may carry another request.
    private(set) var reusable = false

    init(stream: any ByteStream, configuration: HTTPClientConfiguration, bodyLimit: Int, deadline: ContinuousClock.Instant? = nil) {
        self.stream = stream
        self.configuration = configuration
        self.bodyLimit = bodyLimit
        self.deadline = deadline
    }

    /// `timeout`, cut to what is left before the deadline; throws once the deadline has passed.
    private func bounded(_ timeout: Duration) throws -> Duration {
        guard let deadline else { return timeout }
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else { throw TransportError.timedOut("the exchange did not finish within its total deadline") }
        return min(timeout, remaining)
    }

    mutating func run(_ request: HTTPClientRequest, consume: (HTTPResponseHead, [UInt8]) throws -> Void) throws -> HTTPResponseHead {
        stream.writeTimeout = try bounded(configuration.writeTimeout)
        try request.serialized().withUnsafeBytes { try stream.write($0) }

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
                if let deadline, ContinuousClock.now >= deadline {
                    throw TransportError.timedOut("the exchange did not finish within its total deadline")
                }
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
