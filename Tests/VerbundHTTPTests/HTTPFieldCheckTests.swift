import Testing
@testable import VerbundHTTP

/// Serialising a head refuses what would split or smuggle fields (RFC 9110 §5.5), with a typed error.
@Suite struct HTTPFieldCheckTests {
    @Test(arguments: ["text/csv\r\nSet-Cookie: a=b", "text/csv\nX: y", "text/csv\r", "a\u{0}b", "a\u{7F}", "a\u{1B}[31m"])
    func responseValuesWithControlCharactersAreRefused(value: String) {
        let head = HTTPResponseHead(status: .ok, headers: ["Content-Type": value])
        #expect(throws: HTTPFieldError.self) { try head.serialized() }
        let request = HTTPRequestHead(method: .get, target: "/", headers: ["X-Dataset": value])
        #expect(throws: HTTPFieldError.self) { try request.serialized() }
    }

    @Test func theErrorNamesFieldAndCharacter() {
        do {
            _ = try HTTPResponseHead(status: .ok, headers: ["Content-Type": "text/csv\r\nX: y"]).serialized()
            Issue.record("serialised")
        } catch {
            #expect(error.name == "Content-Type")
            #expect(error.description.contains("CR (0x0D) at byte 8"))
        }
    }

    @Test func tabsSpacesAndNonASCIIPass() throws {
        let head = HTTPResponseHead(status: .ok, headers: ["Content-Disposition": "attachment;\tfilename=\"Straßen liste.csv\""])
        let text = String(decoding: try head.serialized(), as: UTF8.self)
        #expect(text.contains("Straßen liste.csv"))
    }

    @Test func badNamesAndTargetsAreRefused() {
        #expect(throws: HTTPFieldError.self) { try HTTPResponseHead(status: .ok, headers: ["Bad Name": "x"]).serialized() }
        #expect(throws: HTTPFieldError.self) { try HTTPResponseHead(status: .ok, headers: ["X:\r\nY": "x"]).serialized() }
        #expect(throws: HTTPFieldError.self) { try HTTPRequestHead(method: .get, target: "/a b", headers: [:]).serialized() }
        #expect(throws: HTTPFieldError.self) {
            try HTTPRequestHead(method: .get, target: "/a HTTP/1.1\r\nHost: evil\r\n\r\nGET /", headers: [:]).serialized()
        }
    }

    @Test(arguments: ["text/csv", "application/geo+json", "application/vnd.apache.parquet", "text/csv; charset=utf-8",
                      "text/plain;charset=\"utf-8\"", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"])
    func validMediaTypes(text: String) {
        #expect(HTTPMediaType.problem(with: text) == nil)
    }

    @Test(arguments: ["text/csv\r\nX-Injected: 1", "csv", "text/", "/csv", "text/csv/x", "te xt/csv", "text/csv; charset",
                      "text/csv; charset=ut f-8", "-text/csv", String(repeating: "a", count: 128) + "/csv", "text/c\u{0}sv"])
    func invalidMediaTypes(text: String) {
        #expect(HTTPMediaType.problem(with: text) != nil)
    }
}
