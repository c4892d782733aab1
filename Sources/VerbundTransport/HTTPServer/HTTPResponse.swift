import VerbundHTTP

/// What a handler answers. The server adds the framing fields (Content-Length or Transfer-Encoding),
/// `Date` and `Connection`.
package struct HTTPResponse {
    package enum Body {
        case empty
        case bytes([UInt8])
        /// A byte range of a file, streamed in constant memory.
        case file(ReadableFile, ClosedRange<Int>?)
        /// Produced while sending, with the chunked coding (length unknown in advance).
        case chunks((any ChunkSink) throws -> Void)
    }

    package var status: HTTPStatus
    package var headers: HTTPHeaders
    package var body: Body
    /// The length of a `.chunks` body known in advance (a relayed answer with its Content-Length): it is then sent
    /// with `Content-Length` instead of the chunked coding and must produce exactly that many bytes — fewer or more
    /// ends the connection, so the client sees the cut. For a HEAD answer, the length a GET would get.
    package var announcedLength: Int?

    package init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with bytes and a content type.
    package init(status: HTTPStatus = .ok, contentType: String, bytes: [UInt8]) {
        self.init(status: status, headers: ["Content-Type": contentType], body: .bytes(bytes))
    }

    /// A plain-text response (errors, health checks).
    package static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", bytes: Array(text.utf8))
    }

    /// The length the body will have on the wire, nil when chunked.
    var contentLength: Int? {
        switch body {
        case .empty: return 0
        case let .bytes(bytes): return bytes.count
        case let .file(file, range): return range.map { $0.count } ?? file.size
        case .chunks: return announcedLength
        }
    }
}

/// Receives the chunks of a `.chunks` body.
package protocol ChunkSink {
    /// Sends one chunk; empty input sends nothing.
    func write(_ bytes: [UInt8]) throws
}
