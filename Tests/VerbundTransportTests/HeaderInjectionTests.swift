import Foundation
import Synchronization
import Testing
import VerbundTestSupport
import VerbundHTTP
@testable import VerbundTransport

/// A header value with CR/LF (a dataset's media type, say) must never become extra fields on the wire.
@Suite(.offCooperativePool) struct HeaderInjectionTests {
    @Test func aResponseFieldWithCRLFBecomesA500NotAnInjectedField() throws {
        let server = try startServer { router in
            router.get("/data") { _, _ in
                HTTPResponse(status: .ok, contentType: "text/csv\r\nSet-Cookie: session=stolen", bytes: Array("a;b\n".utf8))
            }
            router.get("/ok") { _, _ in .text("ok") }
        }
        defer { server.stop() }
        let client = try RawClient(port: server.localPort)
        try client.send("GET /data HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.response()
        #expect(response.head.status.code == 500)
        #expect(!response.head.headers.contains("Set-Cookie"))
        #expect(!response.text.contains("a;b"))
        // The server stays up for the next client.
        let next = try RawClient(port: server.localPort)
        try next.send("GET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try next.response().text == "ok")
    }

    @Test func aRequestFieldWithCRLFIsNotSent() throws {
        let seen = Mutex<[String]>([])
        let server = try startServer { router in
            router.get("/x") { request, _ in
                seen.withLock { $0.append(request.head.headers["X-Smuggled"] ?? "-") }
                return .text("x")
            }
        }
        defer { server.stop() }
        var headers = HTTPHeaders()
        headers.set("X-Dataset", "a\r\nX-Smuggled: yes")
        do {
            _ = try HTTPClient().send(HTTPClientRequest(host: "127.0.0.1", port: server.localPort, target: "/x", headers: headers))
            Issue.record("the request was sent")
        } catch {
            guard case let .invalidRequest(_, field) = error else { Issue.record("unexpected \(error)"); return }
            #expect(field.name == "X-Dataset")
        }
        #expect(seen.withLock { $0 }.isEmpty)
    }
}
