import Foundation

/// One certificate listed for a member: what a connector compares a peer's TLS certificate against.
public struct MemberCertificate: Codable, Sendable, Hashable {
    /// SHA-256 of the certificate's DER, lowercase hex.
    public var fingerprint: String
    /// The certificate serial number, lowercase hex (as on the CRL).
    public var serial: String
    public var notBefore: Date
    public var notAfter: Date

    public init(fingerprint: String, serial: String, notBefore: Date, notAfter: Date) {
        self.fingerprint = fingerprint.lowercased()
        self.serial = serial.lowercased()
        self.notBefore = RegistryClock.truncated(notBefore)
        self.notAfter = RegistryClock.truncated(notAfter)
    }

    public func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }
}
