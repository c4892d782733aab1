/// What a connector does when the federation CRL is past its nextUpdate (RFC 5280 §5.1.2.5): it may have
/// missed a revocation, so by default it warns loudly; a stricter federation makes it fatal.
package enum StaleCRLPolicy: String, Sendable, Codable {
    /// Keep admitting peers, but report the stale CRL (the connector logs it on every check of freshness).
    case warn
    /// Refuse every peer until a fresh CRL arrives.
    case refuse
}
