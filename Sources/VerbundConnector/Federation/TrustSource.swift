/// Where an offered registry or CRL came from, for log lines, audit entries and metrics.
enum TrustSource: Sendable, CustomStringConvertible {
    /// The file named in the configuration.
    case file(String)
    /// The copy this connector kept in its data directory from an earlier run.
    case stored(String)
    /// The configured `registryURL`.
    case url(String)
    /// A peer that announced a higher serial or CRL number.
    case peer(String)

    var kind: String {
        switch self {
        case .file: return "file"
        case .stored: return "stored"
        case .url: return "url"
        case .peer: return "peer"
        }
    }

    var detail: String {
        switch self {
        case let .file(path), let .stored(path): return path
        case let .url(url): return url
        case let .peer(member): return member
        }
    }

    var description: String { "\(kind) \(detail)" }
}
