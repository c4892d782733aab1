/// A coding key made from any string, for JSON-LD objects whose keys include `@context`, `@type` and full IRIs.
public struct JSONKey: CodingKey, Hashable, Sendable {
    public let stringValue: String
    public var intValue: Int? { nil }

    public init(_ string: String) { self.stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { return nil }
}

extension JSONKey: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.stringValue = value }
}
