/// One bad field of a `ConnectorConfiguration`: the field's name and what is wrong with it.
public struct ConfigurationProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
