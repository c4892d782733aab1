import VerbundHTTP

/// The body of the request being handled, read on demand from the connection.
///
/// Reading is bounded by the route's limit (an oversized body throws an `HTTPParseError` with 413) and
/// each read waits at most the server's body-progress timeout. A `100 Continue` is sent on first read
/// when the client asked for it (RFC 9110 §10.1.1), so unread bodies are never solicited.
package final class RequestBody {
    private let reader: RequestReader?
    private let progressTimeout: Duration
    private let sendContinue: () throws -> Void
    private var continueSent = false
    private var bytes: [UInt8]?

    init(reader: RequestReader, progressTimeout: Duration, sendContinue: @escaping () throws -> Void) {
        self.reader = reader
        self.progressTimeout = progressTimeout
        self.sendContinue = sendContinue
    }

    /// A body held in memory, for calling handlers without a connection (tests, in-process dispatch).
    package init(bytes: [UInt8]) {
        self.reader = nil
        self.progressTimeout = .zero
        self.sendContinue = {}
        self.bytes = bytes
    }

    /// The next piece of the body, nil at the end.
    package func read() throws -> [UInt8]? {
        guard let reader else {
            defer { bytes = nil }
            return bytes.flatMap { $0.isEmpty ? nil : $0 }
        }
        if !continueSent {
            continueSent = true
            try sendContinue()
        }
        return try reader.readBody(progressTimeout: progressTimeout)
    }

    /// The whole body (bounded by the route's limit).
    package func readAll() throws -> [UInt8] {
        var all: [UInt8] = []
        while let piece = try read() { all += piece }
        return all
    }

    /// Trailer fields of a chunked body, available once the body was read to its end.
    package var trailers: HTTPHeaders { reader?.trailers ?? HTTPHeaders() }

    /// False while part of the body is still unread.
    package var isComplete: Bool { reader.map { !$0.inBody } ?? (bytes == nil) }
}
