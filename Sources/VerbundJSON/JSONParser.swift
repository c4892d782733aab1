/// A strict RFC 8259 parser for the `JSONValue` subset (see `CanonicalJSON.decode`).
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    /// Whether fractions, exponents and integers beyond the safe range are read (as `.number`): a peer's DSP body may
    /// carry them; what is signed or logged may not (`CanonicalJSON.decode` keeps them out).
    private let readsAnyNumber: Bool
    /// Deeper nesting is refused so hostile input cannot exhaust the stack.
    static let maxDepth = 128

    init(_ bytes: [UInt8], readsAnyNumber: Bool = false) {
        self.bytes = bytes
        self.readsAnyNumber = readsAnyNumber
    }

    mutating func parseDocument() throws(CanonicalJSONError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected text after the value") }
        return value
    }

    private func fail(_ reason: String) -> CanonicalJSONError {
        .invalid(offset: index, reason: reason)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        // RFC 8259 §2: space, tab, line feed, carriage return.
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(CanonicalJSONError) {
        guard current == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    private mutating func parseValue() throws(CanonicalJSONError) -> JSONValue {
        guard let byte = current else { throw fail("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return readsAnyNumber ? try parseAnyNumber() : .integer(try parseInteger())
        default: throw fail("unexpected character")
        }
    }

    private mutating func parseLiteral(_ word: String) throws(CanonicalJSONError) {
        let start = index
        for byte in word.utf8 {
            guard current == byte else { throw .invalid(offset: start, reason: "unexpected text; expected a value such as \(word), a number, \"text\", [ or {") }
            index += 1
        }
    }

    private mutating func enter() throws(CanonicalJSONError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func parseObject() throws(CanonicalJSONError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        try expect(UInt8(ascii: "{"))
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let nameOffset = index
            let name = try parseString()
            // I-JSON (RFC 7493 §2.3) and RFC 8785 require unique names; accepting duplicates would let
            // two readers see different values in the same signed bytes. Swift compares strings by
            // canonical equivalence, so names differing only in Unicode normalisation count as
            // duplicates too, which errs on the side of refusing.
            guard members[name] == nil else {
                throw .invalid(offset: nameOffset, reason: "duplicate member name \"\(name)\"")
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            members[name] = try parseValue()
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(CanonicalJSONError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        try expect(UInt8(ascii: "["))
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    private mutating func parseInteger() throws(CanonicalJSONError) -> Int64 {
        let start = index
        let negative = current == UInt8(ascii: "-")
        if negative { index += 1 }
        guard let first = current, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
            throw fail("expected a digit")
        }
        var magnitude: Int64 = 0
        if first == UInt8(ascii: "0") {
            index += 1  // RFC 8259 §6: no leading zeros
        } else {
            while let digit = current, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") {
                magnitude = magnitude * 10 + Int64(digit - UInt8(ascii: "0"))
                guard magnitude <= JSONValue.maxSafeInteger else {
                    throw .invalid(offset: start, reason: "integer outside ±9007199254740991")
                }
                index += 1
            }
        }
        if let next = current, next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E")
            || (next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9")) {
            throw fail(next <= UInt8(ascii: "9") && next >= UInt8(ascii: "0")
                       ? "leading zeros are not allowed" : "fractions and exponents are not supported")
        }
        return negative ? -magnitude : magnitude
    }

    /// RFC 8259 §6 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseAnyNumber() throws(CanonicalJSONError) -> JSONValue {
        let start = index
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        if current == UInt8(ascii: "-") { index += 1 }
        guard isDigit(current) else { throw fail("expected a digit") }
        if current == UInt8(ascii: "0") {
            index += 1
            if isDigit(current) { throw fail("leading zeros are not allowed") }
        } else {
            while isDigit(current) { index += 1 }
        }
        var integral = true
        if current == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard isDigit(current) else { throw fail("expected a digit after '.'") }
            while isDigit(current) { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard isDigit(current) else { throw fail("expected a digit in the exponent") }
            while isDigit(current) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if integral, let exact = Int64(text), abs(exact) <= JSONValue.maxSafeInteger { return .integer(exact) }
        guard let number = Double(text), number.isFinite else {
            throw .invalid(offset: start, reason: "number out of range")
        }
        return .number(number)
    }

    private mutating func parseString() throws(CanonicalJSONError) -> String {
        try expect(UInt8(ascii: "\""))
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw fail("unterminated string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw fail("string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw fail("control character in a string must be escaped")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(CanonicalJSONError) {
        guard let byte = current else { throw fail("unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalarValue = UInt32(try parseHex4())
            if (0xD800...0xDBFF).contains(scalarValue) {
                // A high surrogate must be followed by an escaped low surrogate (RFC 8259 §7).
                let escapedNext = current == UInt8(ascii: "\\") && index + 1 < bytes.count
                    && bytes[index + 1] == UInt8(ascii: "u")
                guard escapedNext else { throw fail("lone high surrogate") }
                index += 2
                let low = UInt32(try parseHex4())
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("high surrogate without low surrogate") }
                scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalarValue) {
                throw fail("lone low surrogate")
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw fail("invalid code point") }
            utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw fail("unknown escape")
        }
    }

    private mutating func parseHex4() throws(CanonicalJSONError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw fail("truncated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}
