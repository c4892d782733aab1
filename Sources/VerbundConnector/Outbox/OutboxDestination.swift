/// Where an outbox message goes.
package enum OutboxDestination: Sendable, Hashable, CustomStringConvertible {
    /// A member of the federation; its DSP endpoint is looked up in the registry *at delivery time*, and `path` is
    /// relative to it (e.g. `/negotiations/request`).
    case member(String, path: String)
    /// An absolute `https://` URL, e.g. a DSP `callbackAddress` plus the message's path. Its origin must be the endpoint
    /// origin of an active member (see `PeerClient.send(toURL:)`).
    case url(String)

    package var description: String {
        switch self {
        case let .member(id, path): return "member \(id) \(path)"
        case let .url(url): return url
        }
    }
}
