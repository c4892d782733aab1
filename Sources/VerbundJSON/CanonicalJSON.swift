/// Why a value has no canonical JSON form, or bytes are not acceptable JSON.
package enum CanonicalJSONError: Error, CustomStringConvertible, Sendable, Equatable {
    /// An integer outside ±(2⁵³ − 1).
    case integerOutOfRange(Int64)
    /// A number with a fraction: its canonical form would depend on floating-point printing.
    case fractionNotSupported(Double)
    /// The input is not JSON, or uses something outside the supported subset.
    case invalid(offset: Int, reason: String)

    package var description: String {
        switch self {
        case .integerOutOfRange(let number):
            "the integer \(number) is outside the range JSON can carry exactly (±9007199254740991); "
                + "send it as a string"
        case .fractionNotSupported(let number):
            "the number \(number) has a fraction, which signed and logged JSON does not carry; send it as a string"
        case .invalid(let offset, let reason):
            "invalid JSON at byte \(offset): \(reason)"
        }
    }
}

/// Deterministic JSON: the same value always gives the same bytes, so they can be hashed and signed.
///
/// Follows the JSON Canonicalization Scheme (RFC 8785) for the subset `JSONValue` holds — null,
/// booleans, integers within ±(2⁵³ − 1), strings, arrays, objects:
/// - no whitespace between tokens (§3.2.1);
/// - object members sorted by their names compared as UTF-16 code units (§3.2.3);
/// - strings as UTF-8, escaping only `"`, `\` and U+0000–U+001F, the latter as `\b \t \n \f \r`
///   where such a short form exists and as `\u00xx` (lower-case hex) otherwise (§3.2.2.2);
/// - integers in plain decimal, which for this range is exactly ECMAScript's number
///   serialisation (§3.2.2.3). Floating-point numbers are not supported: the parser rejects them.
package enum CanonicalJSON {
    /// The canonical bytes of `value`.
    package static func encode(_ value: JSONValue) throws(CanonicalJSONError) -> [UInt8] {
        var out: [UInt8] = []
        try write(value, into: &out)
        return out
    }

    /// The canonical text of `value`.
    package static func string(_ value: JSONValue) throws(CanonicalJSONError) -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// Parses JSON text (RFC 8259) into a value; rejects duplicate member names, fractions and
    /// exponents, integers outside the safe range, lone surrogates and nesting deeper than 128.
    package static func decode<Bytes: Collection>(_ bytes: Bytes) throws(CanonicalJSONError) -> JSONValue
        where Bytes.Element == UInt8 {
        var parser = JSONParser(Array(bytes))
        return try parser.parseDocument()
    }

    /// Parses a peer's JSON text (RFC 8259) strictly — duplicate member names, lone surrogates, invalid UTF-8 and
    /// nesting deeper than 128 are refused, as in `decode` — but reads any number (as `.number` when it has a fraction
    /// or exponent). Every JSON a peer sends is read through this before it is decoded, so Verbund never sees one
    /// value where another reader of the same bytes (e.g. a JWS verifier or an auditor) sees another (RFC 7493 §2.3).
    package static func parsePeerJSON<Bytes: Collection>(_ bytes: Bytes) throws(CanonicalJSONError) -> JSONValue
        where Bytes.Element == UInt8 {
        var parser = JSONParser(Array(bytes), readsAnyNumber: true)
        return try parser.parseDocument()
    }

    /// True if `bytes` parse and are already in canonical form.
    package static func isCanonical<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        let input = Array(bytes)
        guard let value = try? decode(input), let again = try? encode(value) else { return false }
        return again == input
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8]) throws(CanonicalJSONError) {
        switch value {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let flag):
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number):
            guard number >= -JSONValue.maxSafeInteger, number <= JSONValue.maxSafeInteger else {
                throw .integerOutOfRange(number)
            }
            out.append(contentsOf: String(number).utf8)
        case .number(let number):
            throw .fractionNotSupported(number)
        case .string(let text):
            writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                try write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            // RFC 8785 §3.2.3: sort by UTF-16 code units, not by Unicode scalars or UTF-8 bytes.
            let sorted = members.sorted { $0.key.utf16.lexicographicallyPrecedes($1.key.utf16) }
            for (offset, member) in sorted.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                try write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x00..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
