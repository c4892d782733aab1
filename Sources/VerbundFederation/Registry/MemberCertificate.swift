import Foundation

/// One certificate listed for a member: what a connector compares a peer's TLS certificate against.
package struct MemberCertificate: Codable, Sendable, Hashable {
    /// SHA-256 of the certificate's DER, lowercase hex.
    package var fingerprint: String
    /// The certificate serial number, lowercase hex (as on the CRL).
    package var serial: String
    package var notBefore: Date
    package var notAfter: Date

    package init(fingerprint: String, serial: String, notBefore: Date, notAfter: Date) {
        self.fingerprint = fingerprint.lowercased()
        self.serial = serial.lowercased()
        self.notBefore = RegistryClock.truncated(notBefore)
        self.notAfter = RegistryClock.truncated(notAfter)
    }

    package func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }
}
