import VerbundFederation
import VerbundTransport

/// Why a request to a peer could not be made or was not answered.
package enum PeerError: Error, Sendable, CustomStringConvertible {
    /// The registry lists no member with this id.
    case unknownMember(String)
    /// The member exists but is suspended or revoked: nothing is sent to it.
    case memberNotActive(String, MemberStatus)
    /// The registry's endpoint for the member is not an `https://` URL.
    case invalidEndpoint(member: String, String)
    /// A destination URL that is not an absolute `https://` URL.
    case invalidURL(String)
    /// Connecting, the TLS handshake (including the check that the server is the expected member) or the exchange failed.
    case exchange(HTTPClientError)
    /// An exchange failed while this connector's own member is suspended or revoked in the registry held: peers
    /// refuse its certificate.
    case selfNotActive(MemberStatus, reason: String?, underlying: HTTPClientError)

    package var description: String {
        switch self {
        case let .unknownMember(id):
            return "the registry lists no member '\(id)'; check the member id or wait for a newer registry"
        case let .memberNotActive(id, status):
            return "member '\(id)' is \(status.rawValue); nothing is sent to it"
        case let .invalidEndpoint(member, url):
            return "the registry's endpoint of member '\(member)' is not an https:// URL: '\(url)'"
        case let .invalidURL(url):
            return "'\(url)' is not an absolute https:// URL"
        case let .exchange(error):
            return error.description
        case let .selfNotActive(status, reason, underlying):
            return "this connector's own member is \(status.rawValue) in the registry held"
                + (reason.map { " (\($0))" } ?? "") + ", so peers refuse it"
                + (status == .revoked ? " and this can never be delivered" : " until the federation admin reinstates it")
                + " (\(underlying.description))"
        }
    }

    /// Worth retrying later (the peer may come back); false for answers that will not change by waiting.
    package var isTransient: Bool {
        switch self {
        case .exchange: return true
        case .memberNotActive(_, let status), .selfNotActive(let status, _, _): return status == .suspended
        case .unknownMember, .invalidEndpoint, .invalidURL: return false
        }
    }
}
