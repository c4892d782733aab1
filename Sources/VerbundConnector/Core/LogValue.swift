/// A value in a structured log line: JSON without surprises (non-finite doubles become strings).
package enum LogValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral {
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case array([LogValue])
    case object([String: LogValue])
    case null

    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(floatLiteral value: Double) { self = .double(value) }

    package static func int(_ value: Int) -> LogValue { .integer(Int64(value)) }
    package static func uint(_ value: UInt64) -> LogValue { .integer(Int64(clamping: value)) }
    /// `String(describing:)` of an error, which for Verbund's errors says what failed and why.
    package static func error(_ error: any Error) -> LogValue { .string(String(describing: error)) }

    /// Compact JSON with sorted object keys (stable lines, easy to grep and to test).
    package var json: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case let .string(text): Self.quote(text, into: &out)
        case let .integer(number): out += String(number)
        case let .double(number): if number.isFinite { out += "\(number)" } else { Self.quote("\(number)", into: &out) }
        case let .bool(flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case let .array(values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(into: &out)
            }
            out += "]"
        case let .object(members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                members[key]!.write(into: &out)
            }
            out += "}"
        }
    }

    /// RFC 8259 §7: escape the quote, the backslash and control characters.
    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
