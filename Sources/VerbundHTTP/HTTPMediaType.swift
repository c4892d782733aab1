/// Checks a media type as a data steward gives it: `type/subtype` with RFC 6838 §4.2 names, optionally followed by
/// parameters (RFC 9110 §8.3.1, e.g. `text/csv; charset=utf-8`). Whatever passes can be sent as a `Content-Type`
/// field value as is: no control characters, no line breaks.
package enum HTTPMediaType {
    /// Nil when `text` is a valid media type, else what is wrong with it, in words a steward can act on.
    package static func problem(with text: String) -> String? {
        let bytes = Array(text.utf8)
        if let control = bytes.firstIndex(where: { $0 < 0x20 || $0 == 0x7F }) {
            return "it contains \(HTTPFieldCheck.describe(bytes[control])) at byte \(control); remove line breaks and control characters"
        }
        let parts = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        let essence = HTTPSyntax.trimmingWhitespace(parts[0])
        let names = essence.split(separator: "/", omittingEmptySubsequences: false)
        guard names.count == 2 else {
            return "'\(essence)' is not of the form type/subtype (e.g. text/csv, application/json)"
        }
        for (role, name) in [("type", names[0]), ("subtype", names[1])] where !isRestrictedName(name) {
            return "the \(role) '\(name)' is not an RFC 6838 name: 1 to 127 letters, digits and ! # $ & - ^ _ . +, starting with a letter or digit"
        }
        if parts.count == 2, let problem = parametersProblem(parts[1]) { return problem }
        return nil
    }

    /// restricted-name (RFC 6838 §4.2).
    static func isRestrictedName(_ name: Substring) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 127, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || "!#$&-^_.+".utf8.contains($0) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// `*( OWS ";" OWS [ token "=" ( token / quoted-string ) ] )` after the first ";" (RFC 9110 §5.6.6).
    private static func parametersProblem(_ text: Substring) -> String? {
        for parameter in text.split(separator: ";", omittingEmptySubsequences: false) {
            let trimmed = HTTPSyntax.trimmingWhitespace(parameter)
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                return "the parameter '\(trimmed)' has no value; write name=value (e.g. charset=utf-8)"
            }
            let name = trimmed[..<equals]
            let value = trimmed[trimmed.index(after: equals)...]
            guard HTTPSyntax.isToken(name.utf8) else { return "the parameter name '\(name)' is not a token" }
            let quoted = value.count >= 2 && value.first == "\"" && value.last == "\""
            guard quoted || HTTPSyntax.isToken(value.utf8) else {
                return "the value of parameter '\(name)' is neither a token nor a quoted string"
            }
        }
        return nil
    }
}
