import Foundation
import VerbundTrust

/// What `admit` asks for beyond the CSR. Member id and name may come from the CSR (our own `member init` CSRs carry
/// the participant id in their SAN and the name as CN); flags win, which is how `openssl req` CSRs are admitted.
package struct AdmissionRequest: Sendable {
    package var memberId: String?
    package var name: String?
    package var ags: String?
    package var endpoint: String
    package var roles: [MemberRole]
    package var days: Int

    package init(memberId: String? = nil, name: String? = nil, ags: String? = nil, endpoint: String,
                roles: [MemberRole] = [.provider, .consumer], days: Int = 365) {
        self.memberId = memberId
        self.name = name
        self.ags = ags
        self.endpoint = endpoint
        self.roles = roles
        self.days = days
    }
}

/// The outcome of an operation that issued a certificate.
package struct IssuedMembership: Sendable {
    package let member: Member
    package let certificate: Certificate
    package let registry: SignedRegistry
}

extension FederationAdministration {
    /// Verifies the CSR, issues the member certificate with SAN URI = participant id, adds the member to the
    /// registry and publishes the next registry.
    package func admit(csr: CertificateSigningRequest, _ request: AdmissionRequest, now: Date = Date()) throws(AdminError) -> IssuedMembership {
        try CertificateRequestPolicy.check(csr)
        let memberId = try resolveMemberId(request.memberId, csr: csr)
        guard registry.member(id: memberId) == nil else { throw .duplicateMember(id: memberId) }
        let name = (request.name ?? csr.commonName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .invalidInput("the member has no name: the CSR has no CN; pass --name") }
        try PrintableText.require(name, "the member name", invalid: AdminError.invalidInput)
        try PrintableText.require(request.endpoint, "the endpoint", invalid: AdminError.invalidInput)
        var ags: MunicipalityKey?
        if let text = request.ags {
            do { ags = try MunicipalityKey(text) } catch { throw .invalidInput(error.description) }
        }
        guard Self.isEndpoint(request.endpoint) else {
            throw .invalidInput("endpoint '\(request.endpoint)' is not an https:// URL with a host, e.g. https://daten.jena.de/dsp")
        }
        guard !request.roles.isEmpty else { throw .invalidInput("a member needs at least one role (provider, consumer)") }
        guard (1...825).contains(request.days) else { throw .invalidInput("--days must be 1 to 825, not \(request.days)") }
        let participant = ParticipantID(federation: federationId, member: memberId)
        let certificate = try issue(csr: csr, participant: participant, name: name, days: request.days, now: now)
        let member = Member(
            id: memberId, participantId: participant.urn, name: name, ags: ags, endpoint: request.endpoint,
            roles: Array(Set(request.roles)).sorted(), status: .active, statusChangedAt: now,
            certificates: [Self.listing(of: certificate)])
        let signed = try publish(registry.next(at: now) { members in
            Self.pruneExpired(&members, now: now)
            members.append(member)
        })
        return IssuedMembership(member: member, certificate: certificate, registry: signed)
    }

    /// Key rollover: issues a new certificate for an active member and lists it beside the old one(s), which stay
    /// until they expire or are revoked.
    package func renew(memberId: String, csr: CertificateSigningRequest, days: Int = 365, now: Date = Date()) throws(AdminError) -> IssuedMembership {
        try CertificateRequestPolicy.check(csr)
        guard var member = registry.member(id: memberId) else { throw .unknownMember(id: memberId) }
        guard member.status == .active else {
            throw .statusConflict("member '\(memberId)' is \(member.status.rawValue); only active members get new certificates (reinstate first)")
        }
        guard (1...825).contains(days) else { throw .invalidInput("--days must be 1 to 825, not \(days)") }
        let participant = ParticipantID(federation: federationId, member: memberId)
        let certificate = try issue(csr: csr, participant: participant, name: member.name, days: days, now: now)
        member.certificates.append(Self.listing(of: certificate))
        let updated = member
        let signed = try publish(registry.next(at: now) { members in
            Self.replace(updated, in: &members)
            Self.pruneExpired(&members, now: now)
        })
        return IssuedMembership(member: signed.registry.member(id: memberId) ?? updated, certificate: certificate, registry: signed)
    }

    /// Bars a member until `reinstate`; its certificates stay valid but connectors refuse it.
    package func suspend(memberId: String, reason: String?, now: Date = Date()) throws(AdminError) -> SignedRegistry {
        try changeStatus(memberId, to: .suspended, reason: reason, now: now) { member throws(AdminError) in
            guard member.status == .active else {
                throw .statusConflict("member '\(member.id)' is \(member.status.rawValue), not active; nothing to suspend")
            }
        }
    }

    /// Makes a suspended member active again. A revoked member cannot come back (its certificates are on the CRL):
    /// it is admitted anew under a new id or after removal.
    package func reinstate(memberId: String, reason: String?, now: Date = Date()) throws(AdminError) -> SignedRegistry {
        try changeStatus(memberId, to: .active, reason: reason, now: now) { member throws(AdminError) in
            guard member.status == .suspended else {
                throw .statusConflict(member.status == .revoked
                    ? "member '\(member.id)' is revoked and cannot be reinstated; admit it again with a new CSR under a new member id"
                    : "member '\(member.id)' is already active")
            }
        }
    }

    /// Revokes a member: all its certificates go on the CRL (with `code`, RFC 5280 §5.3.1) and its status becomes
    /// `revoked`. With `certificateSerial`, only that certificate is revoked (a leaked key after a rollover) and the
    /// member stays as it is with its other certificates.
    package func revoke(
        memberId: String, reason: String?, code: RevocationReason = .unspecified, certificateSerial: String? = nil, now: Date = Date()
    ) throws(AdminError) -> (registry: SignedRegistry, crl: CertificateRevocationList) {
        guard var member = registry.member(id: memberId) else { throw .unknownMember(id: memberId) }
        if let reason { try PrintableText.require(reason, "the reason", invalid: AdminError.invalidInput) }
        let targets: [MemberCertificate]
        if let wanted = certificateSerial.flatMap(SerialNumber.init(hex:)) {
            guard let listed = member.certificates.first(where: { SerialNumber(hex: $0.serial) == wanted }) else {
                throw .invalidInput("member '\(memberId)' lists no certificate with serial \(certificateSerial ?? ""); `verbund federation show --json` lists them")
            }
            targets = [listed]
            member.certificates.removeAll { $0 == listed }
        } else if certificateSerial != nil {
            throw .invalidInput("certificate serial '\(certificateSerial ?? "")' is not hex")
        } else {
            guard member.status != .revoked else { throw .statusConflict("member '\(memberId)' is already revoked") }
            targets = member.certificates
            member.status = .revoked
            member.statusReason = reason
            member.statusChangedAt = RegistryClock.truncated(now)
        }
        var entries = crl.entries
        for target in targets {
            guard let serial = SerialNumber(hex: target.serial) else { continue }
            if !entries.contains(where: { $0.serialNumber == serial }) {
                entries.append(RevokedCertificate(serialNumber: serial, revocationDate: RegistryClock.truncated(now), reason: code))
            }
        }
        // CRL first: if the registry write is lost, the member is already refused (fail closed).
        let newCRL = try publishCRL(entries, now: now)
        let updated = member
        let signed = try publish(registry.next(at: now) { members in Self.replace(updated, in: &members) })
        return (signed, newCRL)
    }

    private func changeStatus(
        _ memberId: String, to status: MemberStatus, reason: String?, now: Date, check: (Member) throws(AdminError) -> Void
    ) throws(AdminError) -> SignedRegistry {
        guard var member = registry.member(id: memberId) else { throw .unknownMember(id: memberId) }
        try check(member)
        if let reason { try PrintableText.require(reason, "the reason", invalid: AdminError.invalidInput) }
        member.status = status
        member.statusReason = reason
        member.statusChangedAt = RegistryClock.truncated(now)
        let updated = member
        return try publish(registry.next(at: now) { members in Self.replace(updated, in: &members) })
    }

    private func resolveMemberId(_ given: String?, csr: CertificateSigningRequest) throws(AdminError) -> String {
        let candidate: String
        if let given {
            candidate = given
        } else if let fromCSR = csr.requestedSubjectAltNameURIs.compactMap(ParticipantID.init(urn:)).first {
            guard fromCSR.federation == federationId else {
                throw .csrRefused("it asks for \(fromCSR.urn), which belongs to federation '\(fromCSR.federation)', not '\(federationId)'; pass --member to choose the id")
            }
            candidate = fromCSR.member
        } else {
            throw .invalidInput("the CSR names no participant id; pass --member ID (and --name NAME)")
        }
        do { try Identifier.check(candidate, kind: "member id") } catch { throw .invalidInput(error.description) }
        return candidate
    }

    private func issue(csr: CertificateSigningRequest, participant: ParticipantID, name: String, days: Int, now: Date) throws(AdminError) -> Certificate {
        let certificate = try Self.crypto("issuing the certificate for \(participant.urn)") {
            try root.issue(csr: csr, subjectAltNameURIs: [participant.urn], commonName: name,
                           organization: registry.federation.name, days: days, now: now, profile: .connector)
        }
        // Keep a copy of every issued certificate: the record of what the CA signed.
        try AtomicFile.write(certificate.pem, to: folder.issuedCertificate(serial: certificate.serialNumber.hex), exclusive: true)
        return certificate
    }

    static func listing(of certificate: Certificate) -> MemberCertificate {
        MemberCertificate(fingerprint: certificate.fingerprintSHA256, serial: certificate.serialNumber.hex,
                          notBefore: certificate.notBefore, notAfter: certificate.notAfter)
    }

    static func replace(_ member: Member, in members: inout [Member]) {
        if let index = members.firstIndex(where: { $0.id == member.id }) { members[index] = member }
    }

    /// Drops expired certificates of members that still have a current one, so the registry does not grow forever.
    static func pruneExpired(_ members: inout [Member], now: Date) {
        for index in members.indices where members[index].certificates.contains(where: { $0.notAfter >= now }) {
            members[index].certificates.removeAll { $0.notAfter < now }
        }
    }

    static func isEndpoint(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "https",
              let host = components.host, !host.isEmpty else { return false }
        return true
    }
}
