/// A member's standing in the registry (docs/design.md §11 "Federation"). Only `active` members get past the handshake.
package enum MemberStatus: String, Codable, Sendable, CaseIterable {
    case active
    /// Temporarily barred (e.g. an unpaid fee, an investigation); `reinstate` makes it active again.
    case suspended
    /// Permanently out; its certificates are on the CRL. A revoked member is never reinstated.
    case revoked
}
