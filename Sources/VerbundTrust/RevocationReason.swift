import Foundation

/// CRLReason codes (RFC 5280 §5.3.1). Value 7 is unused by the standard.
package enum RevocationReason: Int, Sendable, Hashable, CaseIterable {
    case unspecified = 0
    case keyCompromise = 1
    case cACompromise = 2
    case affiliationChanged = 3
    case superseded = 4
    case cessationOfOperation = 5
    case certificateHold = 6
    case removeFromCRL = 8
    case privilegeWithdrawn = 9
    case aACompromise = 10
}

/// One revoked certificate in a CRL (RFC 5280 §5.1.2.6).
package struct RevokedCertificate: Sendable, Hashable {
    package var serialNumber: SerialNumber
    package var revocationDate: Date
    /// nil when the entry carries no reasonCode extension (RFC 5280 §5.3.1: then the reason is unspecified).
    package var reason: RevocationReason?

    package init(serialNumber: SerialNumber, revocationDate: Date, reason: RevocationReason? = nil) {
        self.serialNumber = serialNumber
        self.revocationDate = revocationDate
        self.reason = reason
    }
}
