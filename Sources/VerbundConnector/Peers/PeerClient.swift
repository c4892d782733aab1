import Foundation
import Synchronization
import VerbundFederation
import VerbundHTTP
import VerbundTransport

/// HTTP over mutually authenticated TLS to other members of the federation.
///
/// Every connection checks, right after the handshake, that the server's certificate admits (chain, CRL, registry
/// listing, status `active`) *and* belongs to the member the request was meant for: a peer cannot answer for another
/// member even if the registry lists an endpoint it controls. Requests carry this connector's registry serial and CRL
/// number; what a response announces goes to the `AnnouncementRelay` (the federation sync fetches newer ones).
///
/// Calls block: use them from plain threads (outbox dispatcher, connection threads), never from Swift's cooperative pool.
package final class PeerClient: Sendable {
    private let directory: PeerDirectory
    private let tls: ConnectorTLS
    private let clock: @Sendable () -> Date
    private let configuration: HTTPClientConfiguration
    private let announcements: AnnouncementRelay
    private let treeHeads: TreeHeadRelay
    /// One client (and keep-alive pool) per member, so a pooled connection is only ever reused for its own member.
    private let clients = Mutex<[String: HTTPClient]>([:])
    private let contacts = Mutex<[String: PeerContact]>([:])

    package init(directory: PeerDirectory, tls: ConnectorTLS, announcements: AnnouncementRelay, clock: @escaping @Sendable () -> Date,
                configuration: HTTPClientConfiguration = HTTPClientConfiguration(connectTimeout: .seconds(5),
                                                                                 responseHeadTimeout: .seconds(30)),
                treeHeads: TreeHeadRelay = TreeHeadRelay()) {
        self.treeHeads = treeHeads
        self.directory = directory
        self.tls = tls
        self.clock = clock
        self.configuration = configuration
        self.announcements = announcements
    }

    /// Sends a request to member `memberId`; `path` is relative to the member's DSP endpoint (e.g. `/catalog/request`).
    ///
    /// Every call is bounded: `maxBodyBytes` caps the response body and `deadline` the whole exchange (connect,
    /// handshake, request, response); nil takes the client configuration's defaults (16 MiB, 60 s).
    package func send(toMember memberId: String, method: HTTPMethod, path: String, headers: HTTPHeaders = HTTPHeaders(),
                     body: [UInt8] = [], maxBodyBytes: Int? = nil, deadline: Duration? = nil) throws(PeerError) -> PeerResponse {
        let (member, endpoint) = try directory.endpoint(ofMember: memberId)
        return try exchange(member: member, host: endpoint.host, port: endpoint.port, target: endpoint.target(path),
                            method: method, headers: headers, body: body, maxBodyBytes: maxBodyBytes, deadline: deadline)
    }

    /// Like `send(toMember:…)`, but `path` starts at the root of the member's origin instead of its DSP endpoint
    /// (`/.well-known/dspace-version` lives there, DSP 2025-1 §4.3).
    package func send(toMemberRoot memberId: String, method: HTTPMethod, path: String, headers: HTTPHeaders = HTTPHeaders(),
                     body: [UInt8] = [], maxBodyBytes: Int? = nil, deadline: Duration? = nil) throws(PeerError) -> PeerResponse {
        let (member, endpoint) = try directory.endpoint(ofMember: memberId)
        return try exchange(member: member, host: endpoint.host, port: endpoint.port, target: path.hasPrefix("/") ? path : "/" + path,
                            method: method, headers: headers, body: body, maxBodyBytes: maxBodyBytes, deadline: deadline)
    }

    /// The active member whose endpoint origin (host and port) is the origin of `url`; callback addresses are only
    /// ever sent to members, and the TLS handshake then has to prove the server is that member.
    /// With `expected`, the origin must be that member's own: a data address or push target named by a peer cannot
    /// aim this connector's authenticated request at a third member.
    private func activeOwner(of url: String, expected: String? = nil) throws(PeerError) -> (Member, PeerEndpoint) {
        guard let destination = PeerEndpoint(url) else { throw .invalidURL(url) }
        let owner = directory.trust.registry.members.first { member in
            guard expected == nil || member.id == expected, let endpoint = PeerEndpoint(member.endpoint) else { return false }
            return endpoint.host.lowercased() == destination.host.lowercased() && endpoint.port == destination.port
        }
        if owner == nil, let expected {
            throw .invalidURL("\(url) (its origin is not the registered endpoint origin of member \(expected))")
        }
        guard let owner else { throw .invalidURL("\(url) (its origin is not the endpoint of any member)") }
        guard owner.status == .active else { throw .memberNotActive(owner.id, owner.status) }
        return (owner, destination)
    }

    /// Sends a request to an absolute `https://` URL (a DSP callback address). The URL's origin must be the endpoint
    /// origin of an active member, and the server must prove to be that member.
    /// With `member`, the origin must be that member's registered one.
    package func send(toURL url: String, member: String? = nil, method: HTTPMethod, headers: HTTPHeaders = HTTPHeaders(),
                     body: [UInt8] = [], maxBodyBytes: Int? = nil, deadline: Duration? = nil) throws(PeerError) -> PeerResponse {
        let (owner, destination) = try activeOwner(of: url, expected: member)
        var target = destination.basePath.isEmpty ? "/" : destination.basePath
        if let query = URLComponents(url: destination.url, resolvingAgainstBaseURL: false)?.percentEncodedQuery {
            target += "?" + query
        }
        return try exchange(member: owner, host: destination.host, port: destination.port, target: target,
                            method: method, headers: headers, body: body, maxBodyBytes: maxBodyBytes, deadline: deadline)
    }

    /// Sends a request to an absolute `https://` URL of an active member (checked like `send(toURL:…)`) and hands the
    /// response body to `consume` piece by piece, in constant memory (data plane downloads). Returns the head.
    /// Pass the size the provider advertised as `maxBodyBytes` and a `deadline` that fits it; the defaults only keep a
    /// stalled download from hanging forever (it resumes with Range after a cut).
    /// `suffix` is appended to the URL's path as it is (still percent-encoded, may carry a query): an API dataset's
    /// sub-path and query, which must reach the provider byte for byte (a URL parser would normalise them).
    @discardableResult
    package func stream(toURL url: String, member: String? = nil, method: HTTPMethod = .get, headers: HTTPHeaders = HTTPHeaders(),
                       suffix: String = "", maxBodyBytes: Int = Int.max, deadline: Duration = PeerClient.streamDeadline,
                       consume: (HTTPResponseHead, [UInt8]) throws -> Void) throws(PeerError) -> HTTPResponseHead {
        let (owner, destination) = try activeOwner(of: url, expected: member)
        var fields = headers
        let trust = directory.trust
        FederationHeaders.stamp(&fields, registrySerial: trust.registry.serial, crlNumber: trust.crl.number)
        let path = destination.basePath + suffix
        let target = path.isEmpty ? "/" : (path.hasPrefix("/") ? path : "/" + path)
        let request = HTTPClientRequest(method: method, host: destination.host, port: destination.port, target: target,
                                        headers: fields)
        do {
            let head = try client(for: owner.id).send(request, maxBodyBytes: maxBodyBytes, deadline: deadline, streamingBodyTo: consume)
            record(owner.id, PeerContact(at: clock(), reached: true, status: head.status.code, error: nil))
            announcements.report(owner, FederationHeaders.Announcement(head.headers))
            return head
        } catch {
            record(owner.id, PeerContact(at: clock(), reached: false, status: nil, error: error.description))
            throw failure(error)
        }
    }

    /// The last exchange with each member this process had (for `/api/peers`).
    package var lastContacts: [String: PeerContact] { contacts.withLock { $0 } }

    private func record(_ memberId: String, _ contact: PeerContact) {
        contacts.withLock { $0[memberId] = contact }
    }

    /// Closes every pooled connection, e.g. after a registry update: the next request handshakes (and re-checks) anew.
    package func resetConnections() {
        let all = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all { client.closeIdleConnections() }
    }

    /// Default total deadline of `stream(toURL:…)`.
    package static let streamDeadline: Duration = .seconds(6 * 3600)

    private func exchange(member: Member, host: String, port: UInt16, target: String, method: HTTPMethod,
                          headers: HTTPHeaders, body: [UInt8], maxBodyBytes: Int?, deadline: Duration?) throws(PeerError) -> PeerResponse {
        var fields = headers
        let trust = directory.trust
        FederationHeaders.stamp(&fields, registrySerial: trust.registry.serial, crlNumber: trust.crl.number)
        if !body.isEmpty, !fields.contains("Content-Type") { fields.set("Content-Type", "application/json") }
        let request = HTTPClientRequest(method: method, host: host, port: port, target: target, headers: fields, body: body)
        let response: HTTPClientResponse
        do {
            response = try client(for: member.id).send(request, maxBodyBytes: maxBodyBytes, deadline: deadline)
        } catch {
            record(member.id, PeerContact(at: clock(), reached: false, status: nil, error: error.description))
            throw failure(error)
        }
        record(member.id, PeerContact(at: clock(), reached: true, status: response.status.code, error: nil))
        announcements.report(member, FederationHeaders.Announcement(response.headers))
        treeHeads.report(member, response.headers)
        return PeerResponse(member: member, status: response.status, headers: response.headers, body: response.body)
    }

    /// A failed exchange while this connector's own member is suspended or revoked fails for that reason: the peer
    /// refused our certificate (and logged why). For a revoked member the error is final, so the outbox stops
    /// retrying what can never be delivered (see `PeerError.isTransient`).
    private func failure(_ error: HTTPClientError) -> PeerError {
        if let own = directory.ownMember, own.status != .active { return .selfNotActive(own.status, reason: own.statusReason, underlying: error) }
        return .exchange(error)
    }

    private func client(for memberId: String) -> HTTPClient {
        clients.withLock { clients in
            if let existing = clients[memberId] { return existing }
            let client = HTTPClient(configuration: configuration, connect: connector(expecting: memberId).httpConnect)
            clients[memberId] = client
            return client
        }
    }

    /// The TLS connector whose identity check admits the server and requires it to be `memberId`.
    private func connector(expecting memberId: String) -> TLSConnector<Member> {
        let trust = directory.trust
        let clock = self.clock
        let check = PeerIdentityCheck<Member> { peer in
            switch trust.admit(peer.certificate, at: clock()) {
            case let .success(member) where member.id == memberId:
                return member
            case let .success(member):
                throw PeerRefusal("the server proved to be member '\(member.id)', not '\(memberId)' whose endpoint was called")
            case let .failure(refusal):
                throw PeerRefusal("server refused: \(refusal.description)")
            }
        }
        return TLSConnector(contexts: tls.client, identityCheck: check,
                            connectTimeout: configuration.connectTimeout, handshakeTimeout: .seconds(10))
    }
}
