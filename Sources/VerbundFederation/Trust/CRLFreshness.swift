import Foundation

/// Whether a CRL is still within its validity (RFC 5280 §5.1.2.5: a CRL past nextUpdate may miss revocations).
package enum CRLFreshness: Sendable, Equatable {
    case fresh(nextUpdate: Date)
    case stale(nextUpdate: Date)
    /// The CRL has no nextUpdate, so nobody promised a newer one; Verbund's CRLs always carry one.
    case noNextUpdate

    package init(nextUpdate: Date?, now: Date) {
        guard let nextUpdate else {
            self = .noNextUpdate
            return
        }
        self = now > nextUpdate ? .stale(nextUpdate: nextUpdate) : .fresh(nextUpdate: nextUpdate)
    }

    package var isStale: Bool {
        if case .stale = self { return true }
        return false
    }
}
