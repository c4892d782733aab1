import Foundation
import Testing
@testable import VerbundJSON

/// A person's JSON mistakes are told by line and column or by field path, never by Foundation's error dumps.
struct JSONProblemTests {
    struct Settings: Decodable {
        struct Inner: Decodable { let port: Int }
        let name: String
        let inner: Inner
        let tags: [String]
    }

    func problem(_ text: String) -> String {
        do {
            _ = try JSONProblem.decode(Settings.self, from: Array(text.utf8))
            return "decoded"
        } catch {
            return error.text
        }
    }

    @Test func syntaxErrorsHaveLineAndColumn() {
        #expect(problem("{\n  \"name\": \"a\",\n  \"inner\": {\"port\": 1,}\n}") == "line 3, column 23: expected a member name")
        #expect(problem("{\"name\": \"ä\", x}") == "line 1, column 15: expected a member name")
        #expect(problem("") == "line 1, column 1: unexpected end of input")
        #expect(problem("{\"name\": \"a\"} trailing").hasPrefix("line 1, column 15: "))
    }

    @Test func decodingErrorsNameTheField() {
        #expect(problem(#"{"inner": {"port": 1}, "tags": []}"#) == #"missing field "name""#)
        #expect(problem(#"{"name": "a", "inner": {}, "tags": []}"#) == #"missing field "inner.port""#)
        #expect(problem(#"{"name": "a", "inner": {"port": "80"}, "tags": []}"#)
            == #"field "inner.port" has the wrong type: expected an integer"#)
        #expect(problem(#"{"name": "a", "inner": {"port": 1}, "tags": [1]}"#)
            == #"field "tags[0]" has the wrong type: expected a string"#)
        #expect(problem(#"{"name": null, "inner": {"port": 1}, "tags": []}"#).contains(#""name""#))
        #expect(!problem(#"{"inner": {"port": 1}, "tags": []}"#).contains("CodingKeys"))
    }

    @Test func positionsCountCharactersNotBytes() {
        let bytes = Array("ab\nüö x".utf8)
        #expect(JSONProblem.position(of: 0, in: bytes) == (1, 1))
        #expect(JSONProblem.position(of: 3, in: bytes) == (2, 1))
        #expect(JSONProblem.position(of: 7, in: bytes) == (2, 3))  // after "üö" (4 bytes)
        #expect(JSONProblem.position(of: 99, in: bytes) == (2, 5))
    }
}
