import Testing
@testable import VerbundHTTP

@Suite struct HTTPByteRangeTests {
    private func resolve(_ range: String?, length: Int = 100, ifRange: String? = nil, etag: String? = "\"v1\"") -> HTTPByteRange.Resolution {
        HTTPByteRange.resolve(range: range, ifRange: ifRange, etag: etag, length: length)
    }

    @Test func singleRanges() {
        #expect(resolve("bytes=0-9") == .partial(0...9))
        #expect(resolve("bytes=90-") == .partial(90...99))
        #expect(resolve("bytes=-10") == .partial(90...99))
        #expect(resolve("bytes=-1000") == .partial(0...99))
        #expect(resolve("bytes=50-1000") == .partial(50...99))
        #expect(resolve("BYTES=1-1") == .partial(1...1))
    }

    @Test func unsatisfiable() {
        #expect(resolve("bytes=100-") == .unsatisfiable)
        #expect(resolve("bytes=-0") == .unsatisfiable)
        #expect(resolve("bytes=0-", length: 0) == .unsatisfiable)
        #expect(HTTPByteRange.unsatisfiedContentRange(length: 100) == "bytes */100")
        #expect(HTTPByteRange.contentRange(0...9, length: 100) == "bytes 0-9/100")
    }

    @Test func ignoredOrFull() {
        #expect(resolve(nil) == .full)
        #expect(resolve("bytes=0-1,5-6") == .full)
        #expect(resolve("items=0-1") == .full)
        #expect(resolve("bytes=9-1") == .full)
        #expect(resolve("bytes=a-b") == .full)
        #expect(resolve("bytes=-") == .full)
        #expect(resolve("bytes=99999999999999999999999-") == .full)
    }

    @Test func ifRange() {
        #expect(resolve("bytes=0-9", ifRange: "\"v1\"") == .partial(0...9))
        #expect(resolve("bytes=0-9", ifRange: "\"v2\"") == .full)
        #expect(resolve("bytes=0-9", ifRange: "W/\"v1\"", etag: "W/\"v1\"") == .full)
        #expect(resolve("bytes=0-9", ifRange: "Tue, 15 Nov 1994 08:12:31 GMT") == .full)
        #expect(resolve("bytes=0-9", ifRange: "\"v1\"", etag: nil) == .full)
    }
}
