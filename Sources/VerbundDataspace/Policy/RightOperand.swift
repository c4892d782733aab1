/// The right operand of an atomic ODRL constraint as DSP 2025-1 allows it on the wire: a string, a typed value
/// object, a reference, or a list. JSON numbers written by people are turned into strings when decoded
/// (docs/design.md §14 "ODRL values on the wire": the 2025-1 schema has no number type for `rightOperand`).
package indirect enum RightOperand: Sendable, Hashable {
    case string(String)
    /// `{"@value": "5", "@type": "xsd:integer"}`; `type` is absent for an untyped value object.
    case typed(value: String, type: String?)
    /// `{"@id": "https://…"}`
    case reference(String)
    case list([RightOperand])

    /// The lexical values: a string, a typed value or reference as its text, a list flattened.
    package var lexicalValues: [String] {
        switch self {
        case .string(let text), .reference(let text): return [text]
        case .typed(let value, _): return [value]
        case .list(let items): return items.flatMap(\.lexicalValues)
        }
    }

    /// The single lexical value, or nil for a list of more than one value.
    package var singleValue: String? {
        let values = lexicalValues
        return values.count == 1 ? values[0] : nil
    }

    /// A JSON number as the string Verbund emits: integral values without a fraction, others in the shortest form
    /// that reads back to the same double.
    static func lexical(_ number: JSONValue) -> String? {
        switch number {
        case .integer(let value):
            return String(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        default:
            return nil
        }
    }
}

extension RightOperand: Codable {
    package init(from decoder: any Decoder) throws {
        self = try RightOperand(json: JSONValue(from: decoder))
    }

    init(json: JSONValue) throws {
        switch json {
        case .string(let text):
            self = .string(text)
        case .integer, .number:
            self = .string(RightOperand.lexical(json) ?? "")
        case .array(let items):
            self = .list(try items.map(RightOperand.init(json:)))
        case .object(let object):
            if let reference = object["@id"]?.stringValue, object["@value"] == nil {
                self = .reference(reference)
            } else if let value = object["@value"], let text = value.stringValue ?? RightOperand.lexical(value) {
                self = .typed(value: text, type: object["@type"]?.stringValue)
            } else {
                throw DSPMessageError.invalidValue(
                    field: "rightOperand",
                    reason: "an object must be a value {\"@value\":…,\"@type\":…} or a reference {\"@id\":…}")
            }
        case .bool, .null:
            throw DSPMessageError.invalidValue(
                field: "rightOperand", reason: "must be a string, number, value object, reference or array")
        }
    }

    package func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let text):
            var single = encoder.singleValueContainer()
            try single.encode(text)
        case .typed(let value, let type):
            var keyed = encoder.container(keyedBy: JSONKey.self)
            try keyed.encode(value, forKey: "@value")
            try keyed.encodeIfPresent(type, forKey: "@type")
        case .reference(let id):
            var keyed = encoder.container(keyedBy: JSONKey.self)
            try keyed.encode(id, forKey: "@id")
        case .list(let items):
            var unkeyed = encoder.unkeyedContainer()
            for item in items { try unkeyed.encode(item) }
        }
    }
}
