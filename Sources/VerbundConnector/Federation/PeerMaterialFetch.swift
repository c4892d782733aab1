import VerbundFederation
import VerbundHTTP
import VerbundTransport

/// One GET of a peer's `/federation/registry` or `/federation/crl` with a TOTAL deadline and a size cap (a peer is
/// hostile until checked: it may trickle its answer or send gigabytes). Uses a connection of its own, never pooled,
/// whose server must admit and be the member that announced the number — as `PeerClient` checks for every exchange.
struct PeerMaterialFetch: Sendable {
    /// Time and size bounds of one fetch.
    struct Bounds: Sendable, Equatable {
        /// From connecting to the last byte of the body.
        var deadline: Duration
        var maxRegistryBytes: Int
        var maxCRLBytes: Int

        init(deadline: Duration = .seconds(15), maxRegistryBytes: Int = 4 * 1024 * 1024, maxCRLBytes: Int = 4 * 1024 * 1024) {
            self.deadline = deadline
            self.maxRegistryBytes = maxRegistryBytes
            self.maxCRLBytes = maxCRLBytes
        }
    }

    /// Why a fetch gave nothing.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let context: ConnectorContext
    let bounds: Bounds

    /// The body of a 200 answer, or why there is none.
    func run(_ fetch: FederationFetchSchedule.Fetch) -> Result<[UInt8], Failure> {
        let memberId = fetch.member
        let endpoint: PeerEndpoint
        do {
            endpoint = try context.peers.endpoint(ofMember: memberId).endpoint
        } catch {
            return .failure(Failure(description: error.description))
        }
        let trust = context.trust
        let clock = context.clock
        let check = PeerIdentityCheck<Member> { peer in
            switch trust.admit(peer.certificate, at: clock()) {
            case let .success(member) where member.id == memberId: return member
            case let .success(member): throw PeerRefusal("the server proved to be member '\(member.id)', not '\(memberId)'")
            case let .failure(refusal): throw PeerRefusal("server refused: \(refusal.description)")
            }
        }
        let tls = TLSConnector(contexts: context.tls.client, identityCheck: check,
                               connectTimeout: min(.seconds(5), bounds.deadline), handshakeTimeout: min(.seconds(10), bounds.deadline))
        // HTTPClient's total deadline (a watchdog cuts the socket off) bounds connect, handshake and a trickled answer.
        let client = HTTPClient(configuration: HTTPClientConfiguration(connectTimeout: min(.seconds(5), bounds.deadline),
                                                                       maxIdleConnectionsPerPeer: 0),
                                connect: tls.httpConnect)
        defer { client.closeIdleConnections() }
        var headers = HTTPHeaders()
        headers.set("Connection", "close")
        let limit = fetch.material == .registry ? bounds.maxRegistryBytes : bounds.maxCRLBytes
        let path = fetch.material == .registry ? "/federation/registry" : "/federation/crl"
        do {
            let response = try client.send(HTTPClientRequest(method: .get, host: endpoint.host, port: endpoint.port,
                                                             target: endpoint.target(path), headers: headers),
                                           maxBodyBytes: limit, deadline: bounds.deadline)
            guard response.status.code == 200 else { return .failure(Failure(description: "answered status \(response.status.code)")) }
            return .success(response.body)
        } catch {
            return .failure(Failure(description: error.description))
        }
    }
}
