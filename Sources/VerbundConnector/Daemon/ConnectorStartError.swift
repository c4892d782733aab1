/// Why `Connector.start` did not start; nothing is left running when it throws.
package enum ConnectorStartError: Error, Sendable, CustomStringConvertible {
    /// The configuration has these problems (one per bad field).
    case configuration([ConfigurationProblem])
    /// The private key or certificate cannot be used.
    case identity(String)
    /// The federation's root, registry or CRL cannot be used.
    case federation(String)
    /// The state database cannot be opened or migrated.
    case store(String)
    /// A listener could not be set up (address in use, no permission, TLS material).
    case listener(String)
    /// A module failed to start.
    case module(name: String, reason: String)

    package var description: String {
        switch self {
        case let .configuration(problems):
            return "the connector configuration has \(problems.count == 1 ? "a problem" : "\(problems.count) problems"):\n"
                + problems.map { "  - \($0)" }.joined(separator: "\n")
        case let .identity(reason): return "the connector's identity: \(reason)"
        case let .federation(reason): return "the federation files: \(reason)"
        case let .store(reason): return "the state database: \(reason)"
        case let .listener(reason): return "a listener: \(reason)"
        case let .module(name, reason): return "module \(name) did not start: \(reason)"
        }
    }
}
