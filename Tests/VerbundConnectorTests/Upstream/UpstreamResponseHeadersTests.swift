import Testing
import VerbundHTTP
@testable import VerbundConnector

/// Only safe upstream response headers reach the consumer.
@Suite struct UpstreamResponseHeadersTests {
    @Test func onlyTheRepresentationHeadersAreForwarded() {
        let upstream: HTTPHeaders = [
            "Content-Type": "application/json", "Content-Length": "42", "ETag": "\"v7\"",
            "Last-Modified": "Sat, 05 Dec 2026 03:00:00 GMT", "Cache-Control": "max-age=60",
            "Set-Cookie": "session=secret", "WWW-Authenticate": "Basic realm=\"city\"", "Server": "nginx/1.22",
            "Authorization": "Bearer upstream-secret", "Proxy-Authenticate": "Basic", "Connection": "close",
            "Transfer-Encoding": "chunked", "Keep-Alive": "timeout=5", "X-Api-Key": "k",
        ]
        let kept = UpstreamResponseHeaders.forwarded(upstream)
        #expect(kept.fields.map(\.name) == ["Content-Type", "Content-Length", "ETag", "Last-Modified", "Cache-Control"])
        for field in kept { #expect(!field.value.contains("secret")) }
    }

    @Test func unsafeOrRepeatedValuesAreDropped() {
        var upstream = HTTPHeaders()
        upstream.add("Content-Length", "12")
        upstream.add("Content-Length", "13")
        upstream.add("Content-Type", "text/plain\u{7}")
        upstream.add("ETag", String(repeating: "e", count: 2000))
        upstream.add("Cache-Control", "no-store")
        #expect(UpstreamResponseHeaders.forwarded(upstream).fields.map(\.name) == ["Cache-Control"])
        #expect(UpstreamResponseHeaders.forwarded(["Content-Length": "-1"]).count == 0)
        #expect(UpstreamResponseHeaders.forwarded(["Content-Length": "1e3"]).count == 0)
    }
}
