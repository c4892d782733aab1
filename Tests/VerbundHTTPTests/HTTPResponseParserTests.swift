import Testing
@testable import VerbundHTTP

@Suite struct HTTPResponseParserTests {
    private func parse(_ text: String, method: HTTPMethod = .get, closeAtEnd: Bool = false) throws -> [HTTPResponseParser.Event] {
        var parser = HTTPResponseParser(requestMethod: method)
        var events: [HTTPResponseParser.Event] = []
        let bytes = Array(text.utf8)
        var offset = 0
        while true {
            let result: (consumed: Int, event: HTTPResponseParser.Event?) = try bytes.withUnsafeBytes { buffer in
                try parser.parse(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
            }
            offset += result.consumed
            guard let event = result.event else { break }
            events.append(event)
            if case .end = event { return events }
        }
        if closeAtEnd { events.append(try parser.endOfInput()) }
        return events
    }

    @Test func contentLength() throws {
        let events = try parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        guard case let .head(head) = events.first else { Issue.record("no head"); return }
        #expect(head.status.code == 200)
        #expect(events.dropFirst() == [.body(Array("ok".utf8)), .end(trailers: HTTPHeaders())])
    }

    @Test func interimResponsesAreSkipped() throws {
        let events = try parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
        guard case let .head(head) = events.first else { Issue.record("no head"); return }
        #expect(head.status.code == 204)
        #expect(events.count == 2)
    }

    @Test func headResponseHasNoBody() throws {
        let events = try parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", method: .head)
        #expect(events.count == 2)
    }

    @Test func closeDelimited() throws {
        let events = try parse("HTTP/1.1 200 OK\r\n\r\nuntil close", closeAtEnd: true)
        #expect(events.dropFirst() == [.body(Array("until close".utf8)), .end(trailers: HTTPHeaders())])
    }

    @Test func truncatedBodyIsAnError() {
        #expect(throws: HTTPParseError.self) { _ = try parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", closeAtEnd: true) }
    }

    @Test func malformedStatusLines() {
        #expect(throws: HTTPParseError.self) { _ = try parse("HTTP/1.1 2000 OK\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { _ = try parse("SPDY/3 200 OK\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { _ = try parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n") }
    }

    @Test func serialisedHeadRoundTrips() throws {
        var head = HTTPResponseHead(status: .partialContent)
        head.headers.add("Content-Range", "bytes 0-1/10")
        head.headers.add("Content-Length", "2")
        let text = String(decoding: try head.serialized(), as: UTF8.self) + "ab"
        let events = try parse(text)
        #expect(events.first == .head(head))
        #expect(HTTPChunkedEncoding.chunk(Array("abc".utf8)) == Array("3\r\nabc\r\n".utf8))
    }
}
