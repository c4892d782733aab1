/// A header field (or request line part) that must not be sent: a name that is not a token, or a value with a control
/// character. CR or LF in a value would end the field and start a new one — a dataset's media type with a line break
/// became an injected response header (issue 9) — so serialising refuses it instead of stripping it silently.
package struct HTTPFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's name (or "request target").
    package let name: String
    /// What is wrong, e.g. "its value contains CR (0x0D) at position 9".
    package let problem: String

    package init(name: String, problem: String) {
        self.name = name
        self.problem = problem
    }

    package var description: String {
        "header field '\(HTTPFieldCheck.printable(name))' cannot be sent: \(problem); "
            + "field values may hold visible characters, spaces and tabs only (RFC 9110 §5.5), fix the value where it came from"
    }
}

/// The checks behind `HTTPFieldError` (RFC 9110 §5.1 field names, §5.5 field values; RFC 9112 §3.2 request targets).
package enum HTTPFieldCheck {
    /// Throws unless `name` is a token.
    package static func name(_ name: String) throws(HTTPFieldError) {
        guard HTTPSyntax.isToken(name.utf8) else {
            throw HTTPFieldError(name: name, problem: name.isEmpty ? "the name is empty" : "the name is not an RFC 9110 token")
        }
    }

    /// Throws when `value` holds a control character: anything below 0x20 but HTAB, or DEL.
    package static func value(_ value: String, of name: String) throws(HTTPFieldError) {
        for (position, byte) in value.utf8.enumerated() where !HTTPSyntax.isFieldValueCharacter(byte) {
            throw HTTPFieldError(name: name, problem: "its value contains \(describe(byte)) at byte \(position)")
        }
    }

    /// Throws unless every field of `headers` may be sent.
    package static func fields(_ headers: HTTPHeaders) throws(HTTPFieldError) {
        for field in headers.fields {
            try self.name(field.name)
            try value(field.value, of: field.name)
        }
    }

    /// Throws when a request target holds whitespace or a control character (it would split the request line).
    package static func target(_ target: String) throws(HTTPFieldError) {
        for (position, byte) in target.utf8.enumerated() where byte <= 0x20 || byte == 0x7F {
            throw HTTPFieldError(name: "request target", problem: "it contains \(describe(byte)) at byte \(position)")
        }
        if target.isEmpty { throw HTTPFieldError(name: "request target", problem: "it is empty") }
    }

    static func describe(_ byte: UInt8) -> String {
        let hex = "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        switch byte {
        case 0x0D: return "CR (\(hex))"
        case 0x0A: return "LF (\(hex))"
        case 0x00: return "NUL (\(hex))"
        case 0x20: return "a space (\(hex))"
        case 0x7F: return "DEL (\(hex))"
        default: return "the control character \(hex)"
        }
    }

    /// `text` with control characters escaped, for messages that echo a refused name.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
