import Foundation

/// `application/x-www-form-urlencoded` bodies and `Cookie` fields, as a browser sends them (WHATWG URL §5.1,
/// RFC 6265 §4.2.1); a pure parser. Bodies are bounded by the route's body limit before they get here.
package enum ConsoleForm {
    /// Each name's first value.
    package static func fields(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in all(bytes) where fields[name] == nil { fields[name] = value }
        return fields
    }

    /// Every pair in order, repeated names included (a group of checkboxes sends one pair per ticked box).
    package static func all(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            pairs.append((name, parts.count > 1 ? decode(parts[1]) ?? "" : ""))
        }
        return pairs
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// The value of cookie `name` in a `Cookie` field, or nil.
    package static func cookie(_ name: String, in field: String?) -> String? {
        guard let field else { return nil }
        for part in field.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == name {
                return pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
