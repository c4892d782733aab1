/// Why a JSON document is not the DSP 2025-1 message it was read as.
package enum DSPMessageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The document's `@type` names another type than the one expected.
    case unexpectedType(expected: String, found: String?)
    /// The document's `@type` is not a DSP 2025-1 message type this module knows.
    case unknownType(String?)
    /// A root message has no `@context`, or its `@context` does not list the 2025-1 context.
    case missingContext
    /// A field has a value the protocol does not allow.
    case invalidValue(field: String, reason: String)

    package var description: String {
        switch self {
        case .unexpectedType(let expected, let found):
            return "expected a DSP message of @type \"\(expected)\" but found \(found.map { "\"\($0)\"" } ?? "no @type")"
        case .unknownType(let found):
            return "\(found.map { "\"\($0)\"" } ?? "a missing @type") is not a DSP 2025-1 message type"
        case .missingContext:
            return "the message's @context does not contain \"\(DSPVocabulary.context)\"; send DSP 2025-1 messages"
        case .invalidValue(let field, let reason):
            return "invalid \"\(field)\": \(reason)"
        }
    }
}
