import Foundation
import Testing
@testable import VerbundJSON

@Suite struct CanonicalJSONTests {
    private func text(_ value: JSONValue) throws -> String { try CanonicalJSON.string(value) }

    @Test func scalarsAndNesting() throws {
        #expect(try text(nil) == "null")
        #expect(try text(true) == "true")
        #expect(try text(false) == "false")
        #expect(try text(-42) == "-42")
        #expect(try text(.integer(JSONValue.maxSafeInteger)) == "9007199254740991")
        #expect(try text([]) == "[]")
        #expect(try text([:]) == "{}")
        #expect(try text(["b": [1, ["c": nil]], "a": "x"]) == #"{"a":"x","b":[1,{"c":null}]}"#)
    }

    /// RFC 8785 §3.2.3: names sort by UTF-16 code units, so U+1F600 (D83D DE00) precedes U+FB33.
    @Test func membersSortByUTF16CodeUnits() throws {
        let value: JSONValue = [
            "\u{20ac}": "Euro Sign", "\r": "Carriage Return", "\u{fb33}": "Hebrew Letter Dalet With Dagesh",
            "1": "One", "\u{1f600}": "Emoji: Grinning Face", "\u{80}": "Control",
            "\u{f6}": "Latin Small Letter O With Diaeresis",
        ]
        let expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\","
            + "\"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\","
            + "\"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        #expect(try text(value) == expected)
    }

    /// RFC 8785 §3.2.2.2: only ", \ and control characters are escaped; short forms where they exist.
    @Test func stringEscaping() throws {
        let value = JSONValue.string("\u{0}\u{8}\t\n\u{c}\r\u{1f}\u{7f}\"\\/é€😀\u{2028}")
        #expect(try text(value) == "\"\\u0000\\b\\t\\n\\f\\r\\u001f\u{7f}\\\"\\\\/é€😀\u{2028}\"")
    }

    @Test func integersOutsideTheSafeRangeAreRefused() {
        #expect(throws: CanonicalJSONError.integerOutOfRange(1 << 53)) { try CanonicalJSON.encode(.integer(1 << 53)) }
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.encode([.integer(.min)]) }
    }

    /// Python's json module with sorted keys and no spaces agrees for BMP names (it sorts by code point).
    @Test func matchesPythonForBMPText() throws {
        let value: JSONValue = [
            "agreement": "urn:uuid:4711", "bytes": 1_048_576, "ok": true, "note": nil,
            "steps": ["REQUESTED", "OFFERED", ["at": -5]], "city": "Köln \"Dom\"\n\t\u{1}",
            "Zebra": [:], "ä": [],
        ]
        let ours = try CanonicalJSON.encode(value)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import json, sys
            v = json.loads(sys.stdin.buffer.read())
            sys.stdout.buffer.write(json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
            """]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(ours))
        try input.fileHandleForWriting.close()
        let theirs = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: theirs, as: UTF8.self) == String(decoding: ours, as: UTF8.self))
    }

    @Test func decodeRoundTrips() throws {
        let source = #" { "b" : [ 1 , -0 , "\u00e9\ud83d\ude00\/" ] , "a" : { } , "c" : null , "d" : false } "#
        let value = try CanonicalJSON.decode(Array(source.utf8))
        #expect(value == ["a": [:], "b": [1, 0, "é😀/"], "c": nil, "d": false])
        #expect(!CanonicalJSON.isCanonical(Array(source.utf8)))
        let canonical = try CanonicalJSON.encode(value)
        #expect(CanonicalJSON.isCanonical(canonical))
        #expect(try CanonicalJSON.decode(canonical) == value)
    }

    @Test func decodeRejectsBadInput() {
        let bad = [
            "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[1 2]", "01", "1.5", "1e3", "-", "+1", "tru", "nul",
            "\"abc", "\"a\u{1}b\"", "\"\\x\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\u12g4\"", "{\"a\":1,\"a\":2}",
            "9007199254740992", "-9007199254740992", "[1] x", "{1:2}", "NaN",
        ]
        for text in bad {
            #expect(throws: CanonicalJSONError.self, "\(text)") { try CanonicalJSON.decode(Array(text.utf8)) }
        }
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.decode([0x22, 0xff, 0x22]) }  // not UTF-8
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.decode(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try CanonicalJSON.decode(Array(fine.utf8)) }
    }
}

@Suite struct JSONValueCodableTests {
    @Test func decodesOpenDocumentsWithFractions() throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"a":[1,2.5,"x",null,true]}"#.utf8))
        #expect(value["a"]?.arrayValue == [.integer(1), .number(2.5), .string("x"), .null, .bool(true)])
    }

    @Test func everyKindDecodesAsItselfAtEveryDepth() throws {
        let text = #"""
            {"s":"x","e":"","n":null,"t":true,"f":false,"i":-7,"big":9007199254740993,"d":0.5,"x":1e3,
             "o":{"a":{"b":[]}},"a":[[],{},"1",1,[null]]}
            """#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == .object([
            "s": .string("x"), "e": .string(""), "n": .null, "t": .bool(true), "f": .bool(false), "i": .integer(-7),
            "big": .integer(9_007_199_254_740_993), "d": .number(0.5), "x": value["x"] ?? .null,
            "o": .object(["a": .object(["b": .array([])])]),
            "a": .array([.array([]), .object([:]), .string("1"), .integer(1), .array([.null])]),
        ]))
        // 1e3 is a number either way; what matters is that it is not a string or lost.
        #expect(value["x"] == .integer(1000) || value["x"] == .number(1000))
        // Decoding and encoding again gives the same value (DSP bodies are re-encoded from these).
        let again = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(value))
        #expect(again == value)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONValue.self, from: Data(#"{"a":}"#.utf8)) }
    }

    @Test func fractionsHaveNoCanonicalForm() {
        #expect(throws: CanonicalJSONError.fractionNotSupported(2.5)) { try CanonicalJSON.encode(.number(2.5)) }
    }
}
