import Foundation
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

/// `HTTPServerConfiguration.errorRenderer` re-renders every error the server or a handler makes as plain text —
/// also those before any route runs — and leaves JSON errors, HTML pages and successes alone.
@Suite(.offCooperativePool) struct HTTPErrorRendererTests {
    private static let renderer: HTTPErrorRenderer = { status, target, reason in
        let text = "{\"status\": \(status.code), \"target\": \"\(target ?? "none")\", \"reason\": \"\(reason)\"}"
        return ("application/json", Array(text.utf8))
    }

    @Test func errorsBeforeAndAfterRoutingAreRendered() throws {
        var configuration = HTTPServerConfiguration()
        configuration.errorRenderer = Self.renderer
        configuration.limits.maxBodyBytes = 16
        let server = try startServer(configuration) { router in
            router.get("/ok") { _, _ in .text("fine") }
            router.get("/json-error") { _, _ in HTTPResponse(status: .badRequest, contentType: "application/json", bytes: Array("{\"own\": 1}".utf8)) }
            router.get("/text-error") { _, _ in .text("handler says no\n", status: .conflict) }
            router.get("/html-error") { _, _ in
                HTTPResponse(status: .forbidden, contentType: "text/html; charset=utf-8", bytes: Array("<p>own page</p>".utf8))
            }
            router.post("/small") { _, body in .text("\(try body.readAll().count)") }
        }
        defer { server.stop() }

        func exchange(_ request: String) throws -> RawClient.Response {
            let client = try RawClient(port: server.localPort)
            try client.send(request)
            return try client.response()
        }
        let ok = try exchange("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(ok.text == "fine")
        let own = try exchange("GET /json-error HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(own.text == "{\"own\": 1}")
        let handler = try exchange("GET /text-error HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(handler.head.status.code == 409 && handler.text.contains("\"reason\": \"handler says no\""))
        // An HTML page (the console's error pages) is its own rendering too.
        let page = try exchange("GET /html-error HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(page.head.status.code == 403 && page.text == "<p>own page</p>")
        let unknown = try exchange("GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(unknown.head.status.code == 404 && unknown.head.headers["content-type"] == "application/json")
        #expect(unknown.text.contains("\"target\": \"/nothing\""))
        let method = try exchange("DELETE /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(method.head.status.code == 405 && method.head.headers["allow"] != nil && method.text.contains("\"status\": 405"))
        let encoded = try exchange("GET /a%2Fb HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(encoded.head.status.code == 400 && encoded.head.headers["content-type"] == "application/json")
        let large = try exchange("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n\r\n")
        #expect(large.head.status.code == 413 && large.text.contains("\"status\": 413"))
        // Unreadable before a target is known (a broken request line): rendered without a target.
        let broken = try exchange("GARBAGE\r\n\r\n")
        #expect(broken.head.status.code == 400 && broken.text.contains("\"target\": \"none\""))
    }

    @Test func withoutRendererErrorsStayPlainText() throws {
        let server = try startServer { router in router.get("/ok") { _, _ in .text("fine") } }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.response().head.headers["content-type"]?.hasPrefix("text/plain") == true)
    }
}
