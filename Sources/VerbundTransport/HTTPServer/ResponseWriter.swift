import VerbundHTTP

/// Writes responses to a stream: head, then bytes, a file range in 64 KiB pieces, or chunks.
struct ResponseWriter {
    let stream: any ByteStream
    static let fileBufferSize = 64 * 1024

    /// Writes `response`; `omitBody` for HEAD (the head still announces the length a GET would get).
    /// Returns the number of body bytes written. Throws `HTTPFieldError` before writing anything when a header field
    /// cannot be sent.
    @discardableResult
    func write(_ response: HTTPResponse, omitBody: Bool, keepAlive: Bool) throws -> Int {
        var head = HTTPResponseHead(status: response.status, headers: response.headers)
        head.headers.remove("Content-Length")
        head.headers.remove("Transfer-Encoding")
        head.headers.remove("Connection")
        if !head.headers.contains("Date") { head.headers.add("Date", HTTPDate.now()) }
        let forbidsContent = response.status.forbidsContent
        if !forbidsContent {
            if let length = response.contentLength {
                head.headers.add("Content-Length", String(length))
            } else {
                head.headers.add("Transfer-Encoding", "chunked")
            }
        }
        if !keepAlive { head.headers.add("Connection", "close") }
        let headBytes = try head.serialized()
        if omitBody || forbidsContent {
            try send(headBytes)
            return 0
        }
        switch response.body {
        case .empty:
            try send(headBytes)
            return 0
        case let .bytes(bytes):
            try send(headBytes + bytes)
            return bytes.count
        case let .file(file, range):
            try send(headBytes)
            guard file.size > 0 else { return 0 }
            return try sendFile(file, range: range ?? 0...(file.size - 1))
        case let .chunks(produce):
            try send(headBytes)
            if let length = response.announcedLength {
                let sink = CountedSink(writer: self, length: length)
                try produce(sink)
                guard sink.total == length else { throw CountedSink.Mismatch(announced: length, produced: sink.total) }
                return sink.total
            }
            let sink = StreamChunkSink(writer: self)
            try produce(sink)
            try send(HTTPChunkedEncoding.lastChunk)
            return sink.total
        }
    }

    func send(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try stream.write($0) }
    }

    /// Streams `range` with one reusable buffer: memory stays constant whatever the file size.
    private func sendFile(_ file: ReadableFile, range: ClosedRange<Int>) throws -> Int {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.fileBufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        let end = range.upperBound + 1
        while offset < end {
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, end - offset)])
            let n = try file.read(into: slice, at: offset)
            guard n > 0 else {
                // The file shrank after the head announced its length: the response cannot be completed.
                throw TransportError.system(call: "pread \(file.path)", errno: 0, message: "file shrank while being sent")
            }
            try stream.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += n
        }
        return range.count
    }
}

private final class StreamChunkSink: ChunkSink {
    let writer: ResponseWriter
    var total = 0

    init(writer: ResponseWriter) { self.writer = writer }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try writer.send(HTTPChunkedEncoding.chunk(bytes))
        total += bytes.count
    }
}

/// The sink of a `.chunks` body sent with its announced Content-Length: plain bytes, never more than announced.
private final class CountedSink: ChunkSink {
    struct Mismatch: Error, CustomStringConvertible {
        let announced: Int
        let produced: Int
        var description: String { "the body brought \(produced)+ of its announced \(announced) bytes; the connection ends" }
    }

    let writer: ResponseWriter
    let length: Int
    var total = 0

    init(writer: ResponseWriter, length: Int) {
        self.writer = writer
        self.length = length
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        guard bytes.count <= length - total else { throw Mismatch(announced: length, produced: total + bytes.count) }
        try writer.send(bytes)
        total += bytes.count
    }
}
