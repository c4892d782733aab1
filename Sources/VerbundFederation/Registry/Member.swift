import Foundation

/// A member of the federation as the signed registry lists it. Everything above the transport sees this,
/// never a raw certificate.
package struct Member: Codable, Sendable, Hashable {
    /// The member id, e.g. `stadt-jena`.
    package var id: String
    /// `urn:verbund:<federation>:<member>`, the SAN URI of the member's certificates.
    package var participantId: String
    /// Display name, e.g. "Stadt Jena".
    package var name: String
    /// Amtlicher Gemeindeschlüssel, for members that are municipalities.
    package var ags: MunicipalityKey?
    /// The member's DSP endpoint (HTTPS binding base URL).
    package var endpoint: String
    package var roles: [MemberRole]
    package var status: MemberStatus
    /// Why the status was last changed (e.g. the `--reason` of a suspension).
    package var statusReason: String?
    /// When the status was last changed.
    package var statusChangedAt: Date?
    /// Certificates currently listed: the newest last; an old one stays during a key rollover until it expires or is revoked.
    package var certificates: [MemberCertificate]

    package init(
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
    package func certificate(fingerprint: String) -> MemberCertificate? {
        let wanted = fingerprint.lowercased()
        return certificates.first { $0.fingerprint == wanted }
    }

    /// The certificate that expires last, whose expiry is what the admin has to watch.
    package var newestCertificate: MemberCertificate? {
        certificates.max { $0.notAfter < $1.notAfter }
    }

    package func has(role: MemberRole) -> Bool { roles.contains(role) }
}
