import Testing
import VerbundHTTP
@testable import VerbundConnector

/// Only content negotiation, conditional and range fields of a consumer's request reach the upstream, and only sane ones.
@Suite struct UpstreamRequestHeadersTests {
    @Test func onlyNegotiationConditionalAndRangeFieldsAreForwarded() {
        let consumer: HTTPHeaders = [
            "Accept": "application/geo+json", "Accept-Language": "de, en;q=0.5", "If-None-Match": "\"v7\"",
            "If-Modified-Since": "Sat, 05 Dec 2026 03:00:00 GMT", "Range": "bytes=0-99",
            "Authorization": "Bearer transfer-token", "Cookie": "session=1", "Host": "evil.example",
            "X-Forwarded-For": "10.0.0.1", "Forwarded": "for=10.0.0.1", "Proxy-Authorization": "Basic eDp5",
            "X-Api-Key": "k", "Connection": "close", "Transfer-Encoding": "chunked", "Content-Length": "5",
        ]
        let kept = UpstreamRequestHeaders.forwarded(consumer)
        #expect(kept.fields.map(\.name) == ["Accept", "Accept-Language", "If-None-Match", "If-Modified-Since", "Range"])
        #expect(kept["Range"] == "bytes=0-99" && kept["Accept"] == "application/geo+json")
    }

    @Test(arguments: [
        ("Range", "bytes=0-99\r\nX-Evil: 1"), ("Range", "items=0-9"), ("Range", "bytes="), ("Range", "bytes=a-b"),
        ("Range", "bytes=" + String(repeating: "1", count: 200)), ("Accept", "text/plain\u{0}"),
        ("Accept", String(repeating: "a", count: 513)), ("If-Modified-Since", "Sat, 05 Dec 2026 03:00:00 GMT" + String(repeating: " ", count: 40)),
        ("Accept-Language", "de\u{7F}"), ("If-None-Match", "\"ä\""), ("Accept", ""),
    ])
    func hostileValuesAreDropped(name: String, value: String) {
        #expect(UpstreamRequestHeaders.forwarded(HTTPHeaders([(name, value)])).count == 0)
    }

    @Test func aRepeatedFieldIsDropped() {
        var consumer = HTTPHeaders()
        consumer.add("Range", "bytes=0-1")
        consumer.add("Range", "bytes=5-9")
        consumer.add("Accept", "application/json")
        #expect(UpstreamRequestHeaders.forwarded(consumer).fields.map(\.name) == ["Accept"])
    }
}
