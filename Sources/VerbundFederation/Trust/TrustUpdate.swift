/// The outcome of offering a registry or CRL to `FederationTrust`, ready for a log line.
package enum TrustUpdate: Sendable, Equatable, CustomStringConvertible {
    /// Taken: it replaced the one held (`from` → `to`: registry serials or CRL numbers).
    case accepted(from: UInt64, to: UInt64, warning: String?)
    /// Not taken; the held one stays. The reason names the cause (bad signature, rollback, replay, …).
    case refused(String)

    package var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    package var description: String {
        switch self {
        case let .accepted(from, to, warning):
            return "accepted (\(from) → \(to))" + (warning.map { "; warning: \($0)" } ?? "")
        case let .refused(reason):
            return "refused: \(reason)"
        }
    }
}
