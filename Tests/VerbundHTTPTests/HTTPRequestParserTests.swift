import Testing
@testable import VerbundHTTP

@Suite struct HTTPRequestParserTests {
    @Test func simpleGet() throws {
        var driver = ParserDriver()
        let events = try driver.feed("GET /catalog?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n")
        #expect(events.count == 2)
        guard case let .head(head) = events[0] else { Issue.record("no head"); return }
        #expect(head.method == .get)
        #expect(head.target == "/catalog?x=1")
        #expect(head.headers["ACCEPT"] == "*/*")
        #expect(head.framing == .none)
        #expect(head.keepAlive)
        #expect(events[1] == .end(trailers: HTTPHeaders()))
    }

    @Test func contentLengthBody() throws {
        var driver = ParserDriver()
        let events = try driver.feed("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
        #expect(events.dropFirst() == [.body(Array("hello".utf8)), .end(trailers: HTTPHeaders())])
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        var driver = ParserDriver()
        let text = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n6 ; q=\"x\"\r\n world\r\n0\r\nDigest: abc\r\n\r\n"
        let events = try driver.feed(text)
        #expect(events.count == 3)
        #expect(events[1] == .body(Array("hello world".utf8)))
        #expect(events[2] == .end(trailers: ["Digest": "abc"]))
    }

    @Test func byteAtATimeEqualsWhole() throws {
        let text = "PUT /a/b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"
            + "GET /next HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
        var whole = ParserDriver()
        let expected = try whole.feed(text)
        #expect(expected.count == 6)
        for step in [1, 2, 3, 7] {
            var piecewise = ParserDriver()
            #expect(try piecewise.feed(text, step: step) == expected)
        }
        guard case let .head(second) = expected[3] else { Issue.record("no second head"); return }
        #expect(!second.keepAlive)
    }

    @Test func pipelinedRequests() throws {
        var driver = ParserDriver()
        let events = try driver.feed("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(events.count == 4)
    }

    @Test func leadingEmptyLineIsIgnored() {
        #expect(refusal("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") == nil)
    }

    // MARK: Smuggling and framing

    @Test func contentLengthWithTransferEncodingIsRefused() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n") == 400)
    }

    @Test func differingContentLengthsAreRefused() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\nabcd") == 400)
    }

    @Test func identicalContentLengthsAreAccepted() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc") == nil)
    }

    @Test func transferEncodingOtherThanChunkedIsRefused() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501)
    }

    @Test func negativeOrMalformedContentLengthIsRefused() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n") == 413)
    }

    @Test func whitespaceBeforeColonIsRefused() {
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nContent-Length : 0\r\n\r\n") == 400)
    }

    @Test func obsFoldIsRefused() {
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n") == 400)
    }

    @Test func bareLineFeedAndCarriageReturnAreRefused() {
        #expect(refusal("GET / HTTP/1.1\nHost: a\n\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n") == 400)
    }

    @Test func invalidTokensAreRefused() {
        #expect(refusal("G(T / HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nBad[name]: x\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{01}b\r\n\r\n") == 400)
        #expect(refusal("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nNoColon\r\n\r\n") == 400)
    }

    @Test func hostIsRequiredOnce() {
        #expect(refusal("GET / HTTP/1.1\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400)
    }

    @Test func otherVersionsGet505() {
        #expect(refusal("GET / HTTP/1.0\r\nHost: a\r\n\r\n") == 505)
        #expect(refusal("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == 505)
        #expect(refusal("GET / HTTQ/1.1\r\nHost: a\r\n\r\n") == 400)
    }

    @Test func targetForms() throws {
        var driver = ParserDriver()
        let events = try driver.feed("GET http://example.org/a?b=c HTTP/1.1\r\nHost: example.org\r\n\r\n")
        guard case let .head(head) = events.first else { Issue.record("no head"); return }
        #expect(head.target == "/a?b=c")
        #expect(refusal("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") == nil)
        #expect(refusal("GET * HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
        #expect(refusal("GET a/b HTTP/1.1\r\nHost: a\r\n\r\n") == 400)
    }

    // MARK: Limits

    @Test func longURLGets414() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 64)
        #expect(refusal("GET /\(String(repeating: "a", count: 100)) HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits) == 414)
        #expect(refusal("GET /\(String(repeating: "a", count: 40)) HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits) == nil)
    }

    @Test func bigHeadersGet431() {
        let limits = HTTPParserLimits(maxHeaderBytes: 128, maxHeaderCount: 4)
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "v", count: 200))\r\n\r\n", limits: limits) == 431)
        let many = (0..<5).map { "X\($0): v\r\n" }.joined()
        #expect(refusal("GET / HTTP/1.1\r\nHost: a\r\n\(many)\r\n", limits: limits) == 431)
    }

    @Test func bigBodiesGet413() {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: limits) == 413)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n", limits: limits) == 413)
    }

    @Test func hugeChunkSizeIsRefusedWithoutOverflow() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\r\n") == 413)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n") == 400)
    }

    @Test func longChunkExtensionIsRefused() {
        let ext = String(repeating: "e", count: 2000)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;\(ext)\r\na\r\n0\r\n\r\n") == 400)
    }

    @Test func routeLimitSetAfterHead() throws {
        var driver = ParserDriver(limits: HTTPParserLimits(maxBodyBytes: 100))
        let head = try driver.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 20\r\n\r\n")
        #expect(head.count == 1)
        driver.parser.bodyLimit = 10
        #expect(throws: HTTPParseError.self) { _ = try driver.feed(String(repeating: "x", count: 20)) }
    }

    @Test func failedParserStaysFailed() {
        var driver = ParserDriver()
        #expect(throws: HTTPParseError.self) { _ = try driver.feed("BAD\r\n\r\n") }
        #expect(throws: HTTPParseError.self) { _ = try driver.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n") }
    }

    @Test func expectContinue() throws {
        var driver = ParserDriver()
        let events = try driver.feed("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n")
        guard case let .head(head) = events.first else { Issue.record("no head"); return }
        #expect(head.expectsContinue)
    }

    @Test func endlessInputIsCutOffAtTheLimits() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 1024, maxHeaderBytes: 4096)
        let endlessLine = "GET /" + String(repeating: "a", count: 100_000)
        #expect(refusal(endlessLine, limits: limits) == 414)
        let endlessLeadingLines = String(repeating: "\r\n", count: 10_000)
        #expect(refusal(endlessLeadingLines, limits: limits) == 414)
        let endlessHeader = "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 100_000)
        #expect(refusal(endlessHeader, limits: limits) == 431)
        let endlessTrailers = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
            + String(repeating: "T: v\r\n", count: 10_000)
        #expect(refusal(endlessTrailers, limits: limits) == 431)
    }

    @Test func chunkLinesNeedCRLF() {
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\na\r\n0\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\n0\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;\u{01}\r\na\r\n0\r\n\r\n") == 400)
    }
}
