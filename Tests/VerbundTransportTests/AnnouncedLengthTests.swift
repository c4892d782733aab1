import Testing
import VerbundHTTP
@testable import VerbundTransport

/// A `.chunks` body whose length the handler knows (`HTTPResponse.announcedLength`, a relayed upstream answer) goes out
/// with Content-Length instead of the chunked coding; HEAD gets the length alone; a body that brings fewer or more
/// bytes than announced ends the connection, so the client sees the cut instead of a short or run-on answer.
@Suite(.offCooperativePool) struct AnnouncedLengthTests {
    static func relayed(_ pieces: [String], announced: Int) -> HTTPResponse {
        var response = HTTPResponse(body: .chunks { sink in for piece in pieces { try sink.write(Array(piece.utf8)) } })
        response.announcedLength = announced
        return response
    }

    @Test func aKnownLengthIsSentAsContentLengthAndHEADGetsItWithoutABody() throws {
        let server = try startServer { router in
            router.get("/relay") { _, _ in Self.relayed(["abc", "defg"], announced: 7) }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /relay HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.response()
        #expect(response.head.headers["Content-Length"] == "7" && response.head.headers["Transfer-Encoding"] == nil)
        #expect(response.text == "abcdefg")
        try client.send("HEAD /relay HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try client.response(method: .head)
        #expect(head.head.headers["Content-Length"] == "7" && head.body.isEmpty)
    }

    @Test(arguments: [(["abc"], 7), (["abcdefgh"], 7), (["abcd", "efgh"], 7)])
    func aBodyOtherThanAnnouncedEndsTheConnection(pieces: [String], announced: Int) throws {
        let server = try startServer { router in
            router.get("/relay") { _, _ in Self.relayed(pieces, announced: announced) }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /relay HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(throws: (any Error).self) { _ = try client.response() }
    }
}
