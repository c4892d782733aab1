/// Any JSON value: the open parts of DSP documents (`filter`, extension properties, DCAT terms no
/// type models) and the entries Verbund signs and logs.
///
/// For what is hashed or signed (`CanonicalJSON`), integers are limited to the I-JSON safe range
/// ±(2⁵³ − 1) (RFC 7493 §2.2) so every JSON implementation reads back exactly the number that was
/// hashed, and `.number` (a fraction) has no canonical form: amounts belong in strings (`"12.50"`).
package enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// An integral number that fits in 64 bits; kept exact so re-encoding does not change it.
    case integer(Int64)
    /// A number with a fraction or exponent (never produced by `CanonicalJSON.decode`).
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Largest magnitude of an integer that survives a round trip through an IEEE 754 double.
    package static let maxSafeInteger: Int64 = (1 << 53) - 1

    /// The member `key` of an object, or nil.
    package subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    package var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    package var integerValue: Int64? {
        if case .integer(let number) = self { return number }
        return nil
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    package init(nilLiteral: ()) { self = .null }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(stringLiteral value: String) { self = .string(value) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// Later duplicates win, as in a dictionary; the canonical form cannot hold duplicates.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
