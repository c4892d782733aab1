import Foundation

/// A member of the federation as the signed registry lists it. Everything above the transport sees this,
/// never a raw certificate.
public struct Member: Codable, Sendable, Hashable {
    /// The member id, e.g. `stadt-jena`.
    public var id: String
    /// `urn:verbund:<federation>:<member>`, the SAN URI of the member's certificates.
    public var participantId: String
    /// Display name, e.g. "Stadt Jena".
    public var name: String
    /// Amtlicher Gemeindeschlüssel, for members that are municipalities.
    public var ags: MunicipalityKey?
    /// The member's DSP endpoint (HTTPS binding base URL).
    public var endpoint: String
    public var roles: [MemberRole]
    public var status: MemberStatus
    /// Why the status was last changed (e.g. the `--reason` of a suspension).
    public var statusReason: String?
    /// When the status was last changed.
    public var statusChangedAt: Date?
    /// Certificates currently listed: the newest last; an old one stays during a key rollover until it expires or is revoked.
    public var certificates: [MemberCertificate]

    public init(
        id: String, participantId: String, name: String, ags: MunicipalityKey?, endpoint: String,
        roles: [MemberRole], status: MemberStatus = .active, statusReason: String? = nil,
        statusChangedAt: Date? = nil, certificates: [MemberCertificate]
    ) {
        self.id = id
        self.participantId = participantId
        self.name = name
        self.ags = ags
        self.endpoint = endpoint
        self.roles = roles
        self.status = status
        self.statusReason = statusReason
        self.statusChangedAt = statusChangedAt.map(RegistryClock.truncated)
        self.certificates = certificates
    }

    /// The listed certificate with this SHA-256 fingerprint.
    public func certificate(fingerprint: String) -> MemberCertificate? {
        let wanted = fingerprint.lowercased()
        return certificates.first { $0.fingerprint == wanted }
    }

    /// The certificate that expires last, whose expiry is what the admin has to watch.
    public var newestCertificate: MemberCertificate? {
        certificates.max { $0.notAfter < $1.notAfter }
    }

    public func has(role: MemberRole) -> Bool { roles.contains(role) }
}
