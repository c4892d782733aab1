import Foundation
import VerbundTransport

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

    /// A listener's address cannot be bound; an address in use most often means a `verbund serve` already runs.
    static func cannotListen(on address: String, setting: String, _ error: any Error) -> ConnectorStartError {
        if case let .system(call, code, _)? = error as? TransportError, call.hasPrefix("bind") {
            switch code {
            case EADDRINUSE:
                return .listener("\(address) (\(setting)) is already in use: is another `verbund serve` running with this "
                    + "configuration (`verbund status`, `systemctl status verbund`)? Stop it, or choose another port")
            case EACCES:
                return .listener("\(address) (\(setting)): no permission to bind this port; ports below 1024 need "
                    + "CAP_NET_BIND_SERVICE (docs/operator.md §5), or use a port above 1024")
            case EADDRNOTAVAIL:
                return .listener("\(address) (\(setting)) is not an address of this machine")
            default: break
            }
        }
        return .listener("cannot listen on \(address) (\(setting)): \(error)")
    }

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
