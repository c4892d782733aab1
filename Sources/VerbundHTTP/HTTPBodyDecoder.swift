/// Decodes message content framed by Content-Length, the chunked coding, or the end of the connection.
///
/// Content bytes are never buffered here: each call reports a range of the caller's input. Only the
/// chunk-size line's extension and the trailer section are held, both bounded.
struct HTTPBodyDecoder: Sendable {
    enum Event: Equatable {
        /// Content bytes at this range of the input.
        case data(Range<Int>)
        /// The content ended; trailer fields of a chunked message, if any.
        case end(HTTPHeaders)
    }

    private enum ChunkState: Sendable {
        case size
        case extensionBytes
        case sizeLF
        case data
        case dataCR
        case dataLF
        case trailers
    }

    let framing: HTTPBodyFraming
    /// The most content bytes accepted; a server sets it per route after the head.
    var limit: Int
    private let limits: HTTPParserLimits
    private(set) var received = 0

    // Chunked state.
    private var chunkState = ChunkState.size
    private var chunkDigits = 0
    private var chunkSize = 0
    private var chunkRemaining = 0
    private var extensionLength = 0
    private var trailerReader: HTTPFieldSectionReader

    init(framing: HTTPBodyFraming, limit: Int, limits: HTTPParserLimits) {
        self.framing = framing
        self.limit = limit
        self.limits = limits
        self.trailerReader = HTTPFieldSectionReader(
            startLineLimit: nil, startLineError: .bad("unexpected start line"),
            fieldBytesLimit: limits.maxHeaderBytes, fieldCountLimit: limits.maxHeaderCount)
    }

    private func tooLarge() -> HTTPParseError {
        HTTPParseError(.contentTooLarge, "content exceeds the limit of \(limit) bytes")
    }

    /// Decodes from `input[start...]`. Returns the bytes consumed and at most one event; no event means
    /// every byte was consumed and more input is needed.
    mutating func decode(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> (consumed: Int, event: Event?) {
        switch framing {
        case .none:
            return (0, .end(HTTPHeaders()))
        case let .contentLength(length):
            guard length <= limit else { throw tooLarge() }
            let remaining = length - received
            if remaining == 0 { return (0, .end(HTTPHeaders())) }
            let available = input.count - start
            if available == 0 { return (0, nil) }
            let n = min(remaining, available)
            received += n
            return (n, .data(start..<(start + n)))
        case .untilClose:
            let available = input.count - start
            if available == 0 { return (0, nil) }
            guard received + available <= limit else { throw tooLarge() }
            received += available
            return (available, .data(start..<input.count))
        case .chunked:
            return try decodeChunked(input, from: start)
        }
    }

    /// The connection ended: fine for `untilClose`, truncation otherwise.
    func endOfInput() throws(HTTPParseError) -> HTTPHeaders {
        switch framing {
        case .none: return HTTPHeaders()
        case .untilClose: return HTTPHeaders()
        case let .contentLength(length) where received == length: return HTTPHeaders()
        default: throw .bad("connection closed before the end of the content (\(received) bytes received)")
        }
    }

    // RFC 9112 §7.1: chunked-body = *chunk last-chunk trailer-section CRLF
    private mutating func decodeChunked(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> (consumed: Int, event: Event?) {
        var index = start
        while index < input.count || chunkState == .data && chunkRemaining == 0 {
            switch chunkState {
            case .size:
                let byte = input[index]
                if let digit = HTTPSyntax.hexValue(byte) {
                    chunkDigits += 1
                    // Bound before multiplying so a long run of hex digits can never overflow.
                    guard chunkSize <= (limit - received) / 16 else { throw tooLarge() }
                    chunkSize = chunkSize * 16 + digit
                    guard received + chunkSize <= limit else { throw tooLarge() }
                    index += 1
                } else if chunkDigits == 0 {
                    throw .bad("chunk size is not hexadecimal")
                } else if byte == HTTPSyntax.cr {
                    chunkState = .sizeLF
                    index += 1
                } else if byte == UInt8(ascii: ";") || HTTPSyntax.isWhitespace(byte) {
                    chunkState = .extensionBytes
                    index += 1
                } else {
                    throw .bad("invalid character after the chunk size")
                }
            case .extensionBytes:
                // chunk-ext (RFC 9112 §7.1.1) is ignored but must be well-formed text and bounded.
                let byte = input[index]
                index += 1
                if byte == HTTPSyntax.cr { chunkState = .sizeLF; continue }
                guard HTTPSyntax.isFieldValueCharacter(byte) else { throw .bad("control character in a chunk extension") }
                extensionLength += 1
                guard extensionLength <= limits.maxChunkExtensionBytes else {
                    throw .bad("chunk extension longer than \(limits.maxChunkExtensionBytes) bytes")
                }
            case .sizeLF:
                guard input[index] == HTTPSyntax.lf else { throw .bad("chunk size line not ended by CRLF") }
                index += 1
                extensionLength = 0
                if chunkSize == 0 {
                    chunkState = .trailers
                } else {
                    chunkRemaining = chunkSize
                    chunkState = .data
                }
                chunkDigits = 0
                chunkSize = 0
            case .data:
                if chunkRemaining == 0 {
                    chunkState = .dataCR
                    continue
                }
                let n = min(chunkRemaining, input.count - index)
                chunkRemaining -= n
                received += n
                return (index + n - start, .data(index..<(index + n)))
            case .dataCR:
                guard input[index] == HTTPSyntax.cr else { throw .bad("chunk data not followed by CRLF") }
                index += 1
                chunkState = .dataLF
            case .dataLF:
                guard input[index] == HTTPSyntax.lf else { throw .bad("chunk data not followed by CRLF") }
                index += 1
                chunkState = .size
            case .trailers:
                let (n, complete) = try trailerReader.read(input, from: index)
                index += n
                if complete {
                    return (index - start, .end(trailerReader.fields))
                }
            }
        }
        return (index - start, nil)
    }
}
