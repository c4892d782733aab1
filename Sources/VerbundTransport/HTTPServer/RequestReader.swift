import VerbundHTTP

/// Reads requests off one connection: a fixed 64 KiB input buffer feeding the incremental parser.
final class RequestReader {
    /// Why reading stopped without a parse error.
    enum Stop: Error {
        /// The peer closed or stayed silent between requests: close quietly.
        case idle
        /// The head did not arrive within its deadline: answer 408.
        case headTimeout
    }

    let stream: any ByteStream
    private(set) var parser: HTTPRequestParser
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private(set) var trailers = HTTPHeaders()
    /// True from a head until the end of its body.
    private(set) var inBody = false

    init(stream: any ByteStream, limits: HTTPParserLimits, bufferSize: Int = 64 * 1024) {
        self.stream = stream
        self.parser = HTTPRequestParser(limits: limits)
        self.buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    /// Bytes already received beyond the current position (pipelined input).
    var hasBufferedInput: Bool { start < end }

    /// Reads the next head. `firstByteWait` bounds the silence before a request starts; once it started,
    /// the whole head must arrive by `headDeadline` (computed from the first byte when nil), so a client
    /// trickling one byte at a time is cut off (slowloris).
    func readHead(firstByteWait: Duration, headTimeout: Duration,
                  deadline: ContinuousClock.Instant?, onStart: () -> Void) throws -> HTTPRequestHead {
        var deadline = deadline
        while true {
            let event = try nextEvent {
                // Called when all buffered input was parsed, so the parser alone tells whether a head began.
                let begun = !parser.isIdle
                if begun { onStart() }
                if !begun && deadline == nil { return firstByteWait }
                let limit = deadline ?? (ContinuousClock.now + headTimeout)
                deadline = limit
                let remaining = limit - ContinuousClock.now
                guard remaining > .zero else { throw Stop.headTimeout }
                return remaining
            }
            switch event {
            case let .head(head)?:
                inBody = true
                trailers = HTTPHeaders()
                return head
            case nil:
                throw parser.isIdle ? Stop.idle : TransportError.closedByPeer
            default:
                continue
            }
        }
    }

    func setBodyLimit(_ limit: Int) { parser.bodyLimit = limit }

    /// The next piece of the current body, nil at its end. Each read waits at most `progressTimeout`.
    func readBody(progressTimeout: Duration) throws -> [UInt8]? {
        guard inBody else { return nil }
        while true {
            switch try nextEvent(readTimeout: { progressTimeout }) {
            case let .body(bytes)?:
                if !bytes.isEmpty { return bytes }
            case let .end(trailers)?:
                self.trailers = trailers
                inBody = false
                return nil
            case .head?, nil:
                throw TransportError.closedByPeer
            }
        }
    }

    /// Parses buffered input, reading more when the parser needs it; nil at the end of the stream.
    private func nextEvent(readTimeout: () throws -> Duration) throws -> HTTPRequestParser.Event? {
        while true {
            let (consumed, event) = try buffer.withUnsafeBytes { all in
                try parser.parse(UnsafeRawBufferPointer(rebasing: all[start..<end]))
            }
            start += consumed
            if let event { return event }
            start = 0
            end = 0
            stream.readTimeout = try readTimeout()
            let n: Int
            do {
                n = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            } catch TransportError.timedOut(let what) {
                if parser.isIdle { throw Stop.idle }
                if !inBody { throw Stop.headTimeout }
                throw TransportError.timedOut(what)
            }
            if n == 0 { return nil }
            end = n
        }
    }

    /// Reads and discards what is left of the current body, up to `limit` bytes; false when it did not end.
    func drainBody(limit: Int, progressTimeout: Duration) -> Bool {
        var drained = 0
        do {
            while let bytes = try readBody(progressTimeout: progressTimeout) {
                drained += bytes.count
                if drained > limit { return false }
            }
            return true
        } catch {
            return false
        }
    }
}
