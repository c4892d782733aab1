/// One bad field of a `ConnectorConfiguration`: the field's name and what is wrong with it.
package struct ConfigurationProblem: Error, Sendable, Equatable, CustomStringConvertible {
    package let field: String
    package let message: String

    package init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    package var description: String { "\(field): \(message)" }
}
