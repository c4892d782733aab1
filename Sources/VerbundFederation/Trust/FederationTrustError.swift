/// Why a connector could not set up its federation trust from its files.
package enum FederationTrustError: Error, Sendable, CustomStringConvertible {
    case fileUnreadable(String)
    case rootInvalid(String)
    case crlInvalid(String)
    case registryUnreadable(String)
    case registryInvalid(RegistryVerificationError)

    package var description: String {
        switch self {
        case let .fileUnreadable(path): return "cannot read \(path) (missing or no permission)"
        case let .rootInvalid(reason): return "federation root certificate unusable: \(reason)"
        case let .crlInvalid(reason): return "federation CRL unusable: \(reason)"
        case let .registryUnreadable(reason): return "federation registry unreadable: \(reason)"
        case let .registryInvalid(error): return error.description
        }
    }
}
