import Testing
@testable import VerbundConnector

/// `DecodedColumnCache`: a text decodes once per type, and the cache stays within its capacity.
@Suite struct DecodedColumnCacheTests {
    @Test func aTextDecodesOncePerTypeWithinTheCapacity() throws {
        let cache = DecodedColumnCache(capacity: 3)
        var decodes = 0
        func value(_ text: String) -> Int { cache.value(of: Int.self, text: text) { decodes += 1; return text.count } }
        #expect(value("aa") == 2 && value("aa") == 2 && decodes == 1)
        // The same text as another type is another entry.
        #expect(cache.value(of: String.self, text: "aa") { decodes += 1; return "x" } == "x" && decodes == 2)
        #expect(value("bbb") == 3 && value("cccc") == 4 && decodes == 4)
        #expect(cache.count == 3)
        // A failed decode is not remembered.
        struct Bad: Error {}
        #expect(throws: Bad.self) { try cache.value(of: Int.self, text: "zz") { throw Bad() } }
        #expect(cache.count == 3)
    }
}
