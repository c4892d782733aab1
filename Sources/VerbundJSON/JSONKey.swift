/// A coding key made from any string, for JSON-LD objects whose keys include `@context`, `@type` and full IRIs.
package struct JSONKey: CodingKey, Hashable, Sendable {
    package let stringValue: String
    package var intValue: Int? { nil }

    package init(_ string: String) { self.stringValue = string }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { return nil }
}

extension JSONKey: ExpressibleByStringLiteral {
    package init(stringLiteral value: String) { self.stringValue = value }
}
