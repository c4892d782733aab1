/// Why a peer's certificate gets no handshake past TLS (docs/design.md §6 "Fail closed"). Each reason reads well in a log line.
package enum AdmissionRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The certificate does not chain to the federation root at this time (text from the chain check).
    case chainFailed(String)
    /// The certificate's serial is on the federation CRL.
    case revokedOnCRL(serial: String)
    /// The federation CRL is past its nextUpdate and the policy says a stale CRL is fatal.
    case crlStale(nextUpdate: String)
    /// No member of the registry lists this certificate's fingerprint.
    case fingerprintNotListed(fingerprint: String, subject: String)
    /// The member exists but is suspended or revoked.
    case memberNotActive(memberId: String, status: MemberStatus, reason: String?)
    /// The certificate's SAN URIs do not contain the participant id the registry lists for its member.
    case participantMismatch(memberId: String, expected: String, found: [String])
    /// The certificate names a participant of another federation.
    case foreignFederation(found: String, expected: String)

    package var description: String {
        switch self {
        case let .chainFailed(reason):
            return "peer certificate does not chain to the federation root: \(reason)"
        case let .revokedOnCRL(serial):
            return "peer certificate \(serial) is revoked (on the federation CRL)"
        case let .crlStale(nextUpdate):
            return "the federation CRL is stale (nextUpdate \(nextUpdate) has passed) and stale CRLs are fatal; fetch a fresh crl.pem from the federation admin"
        case let .fingerprintNotListed(fingerprint, subject):
            return "peer certificate \(subject) (sha256 \(fingerprint)) is not listed in the current registry"
        case let .memberNotActive(memberId, status, reason):
            return "member '\(memberId)' is \(status.rawValue)" + (reason.map { " (\($0))" } ?? "")
        case let .participantMismatch(memberId, expected, found):
            let names = found.isEmpty ? "none" : found.joined(separator: ", ")
            return "peer certificate of member '\(memberId)' names participant \(names), but the registry lists \(expected)"
        case let .foreignFederation(found, expected):
            return "peer certificate is from another federation: it names \(found), this federation is '\(expected)'"
        }
    }
}
