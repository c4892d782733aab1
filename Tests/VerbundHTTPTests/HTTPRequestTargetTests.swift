import Testing
@testable import VerbundHTTP

@Suite struct HTTPRequestTargetTests {
    @Test func decodesPathAndQuery() throws {
        let target = try HTTPRequestTarget("/negotiations/urn%3Auuid%3A1/events?state=REQUESTED&q=a+b&flag")
        #expect(target.segments == ["negotiations", "urn:uuid:1", "events"])
        #expect(target.queryValue("state") == "REQUESTED")
        #expect(target.queryValue("q") == "a b")
        #expect(target.queryValue("flag") == "")
    }

    @Test func normalisesEmptyAndDotSegments() throws {
        #expect(try HTTPRequestTarget("//a/./b/").path == "/a/b")
        #expect(try HTTPRequestTarget("/").path == "/")
    }

    @Test func refusesTraversalAndNul() {
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("/a/../etc/passwd") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("/a/%2e%2e/etc") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("/a/%2E%2E") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("/a%00b") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("/a?x=%00") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("/a%2F..%2Fb") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("/a%zz") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("/a%4") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("/%C3%28") }
        #expect(throws: HTTPParseError.self) { try HTTPRequestTarget("relative") }
    }
}
