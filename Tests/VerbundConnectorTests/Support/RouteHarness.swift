import Foundation
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// One member's connector routes called in process: the DSP router exactly as `Connector.start` assembles it (every
/// route behind the real DSP guard, `DSPMount`) and the management router behind the real bearer-token check, over a
/// fixture context (the member's identity, its federation trust, a fresh SQLite store in the fixture's temp folder).
/// No sockets, no TLS, no background threads: a request is answered synchronously on the calling thread, so a test
/// checks the answer and the store right after it, with nothing to wait for.
///
/// The caller names the peer the TLS listener would have admitted: `dsp(.get, "/dsp/…", as: "b")` runs the route with
/// an `AdmittedPeer` for member `b` made from the fixture's registry and `b`'s issued certificate — the guard admits it
/// again against the trust held now, as it does on every request. What needs real connections (handshakes, limits,
/// timeouts, the outbox reaching a peer) stays in the end-to-end tests with `FederationFixture.start`.
final class RouteHarness: Sendable {
    let fixture: FederationFixture
    let member: String
    let context: ConnectorContext
    let token: ManagementToken
    let log: LogCapture
    let routers: ConnectorRouters

    /// Member `member` of `fixture` with `modules` after the core module, as `Connector.start` would run them.
    init(_ fixture: FederationFixture, member: String, modules: [any ConnectorModule] = [],
         clock: @escaping @Sendable () -> Date = Date.init) throws {
        self.fixture = fixture
        self.member = member
        let log = LogCapture(member)
        self.log = log
        let all: [any ConnectorModule] = [CoreModule()] + modules
        context = try fixture.context(member, modules: modules, clock: clock, log: log)
        token = try ManagementToken.loadOrCreate(dataDirectory: context.configuration.dataDirectory)
        routers = ConnectorRouters(context: context, modules: all, token: token)
    }

    /// The peer the DSP listener's handshake admits for member `id`: its registry entry and its issued certificate.
    func admitted(_ id: String) throws -> AdmittedPeer {
        let certificate = try fixture.identity(id).chain[0]
        guard let entry = context.trust.registry.member(id: id) else { throw FixtureError("the registry lists no member \(id)") }
        return AdmittedPeer(member: entry, certificate: certificate)
    }

    /// A DSP request from member `peer` (nil: a client without a certificate) to `target` — a path with query, or an
    /// absolute URL such as a `Link` header's, of which only the path and query count.
    func dsp(_ method: HTTPMethod, _ target: String, body: [UInt8] = [], headers: HTTPHeaders = HTTPHeaders(),
             as peer: String?) throws -> RouteAnswer {
        var fields = headers
        if !fields.contains("Host") { fields.set("Host", "127.0.0.1:\(fixture.members[member]?.dspPort ?? 0)") }
        if !body.isEmpty && !fields.contains("Content-Type") { fields.set("Content-Type", "application/json") }
        // The DSP listener renders every error answer as its route family's DSP error object, as the server does.
        return try call(routers.dsp, method, Self.originForm(target), body: body, headers: fields,
                        peer: try peer.map { try admitted($0) }, errorRenderer: DSPErrorRendering.render)
    }

    /// A DSP message as member `peer` sends it: JSON-encoded, POST unless told otherwise.
    func dsp<Message: Encodable>(_ path: String, _ message: Message, method: HTTPMethod = .post, as peer: String) throws -> RouteAnswer {
        try dsp(method, path, body: Array(try DSPJSON.encode(message)), as: peer)
    }

    /// A management request, with the connector's bearer token unless `authorized` is false.
    func management(_ method: HTTPMethod, _ target: String, body: [UInt8] = [], headers: HTTPHeaders = HTTPHeaders(),
                    authorized: Bool = true) throws -> RouteAnswer {
        var fields = headers
        if !fields.contains("Host") { fields.set("Host", context.configuration.management) }
        if authorized && !fields.contains("Authorization") { fields.set("Authorization", "Bearer \(token.value)") }
        if !body.isEmpty && !fields.contains("Content-Type") { fields.set("Content-Type", "application/json") }
        return try call(routers.management, method, target, body: body, headers: fields, peer: nil, errorRenderer: nil)
    }

    private func call(_ router: Router, _ method: HTTPMethod, _ target: String, body: [UInt8], headers: HTTPHeaders,
                      peer: AdmittedPeer?, errorRenderer: HTTPErrorRenderer?) throws -> RouteAnswer {
        var fields = headers
        if !body.isEmpty { fields.set("Content-Length", String(body.count)) }
        let head = HTTPRequestHead(method: method, target: target, headers: fields,
                                   framing: body.isEmpty ? .none : .contentLength(body.count))
        let response = router.respond(to: head, body: body, peer: peer, errorRenderer: errorRenderer)
        return RouteAnswer(status: response.status, headers: response.headers, body: try Self.bytes(of: response.body))
    }

    /// The path and query of an absolute `https://host/path?query` URL; anything else unchanged.
    static func originForm(_ target: String) -> String {
        guard let scheme = target.range(of: "://") else { return target }
        let rest = target[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    /// A response body as the bytes the server would send (files read, chunks collected).
    static func bytes(of body: HTTPResponse.Body) throws -> [UInt8] {
        switch body {
        case .empty:
            return []
        case let .bytes(bytes):
            return bytes
        case let .file(file, range):
            let span = range ?? 0...(file.size - 1)
            guard file.size > 0 else { return [] }
            var bytes = [UInt8](repeating: 0, count: span.count)
            var done = 0
            while done < span.count {
                let read = try bytes.withUnsafeMutableBytes { buffer in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: span.lowerBound + done)
                }
                guard read > 0 else { break }
                done += read
            }
            return Array(bytes[..<done])
        case let .chunks(produce):
            let sink = CollectingSink()
            try produce(sink)
            return sink.bytes
        }
    }

    private final class CollectingSink: ChunkSink {
        var bytes: [UInt8] = []
        func write(_ bytes: [UInt8]) throws { self.bytes += bytes }
    }
}

/// What a route answered: status, header fields (without the framing fields the server adds) and the body.
struct RouteAnswer: Sendable {
    let status: HTTPStatus
    let headers: HTTPHeaders
    let body: [UInt8]

    var code: Int { status.code }
    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(body))
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try DSPJSON.decode(type, from: Data(body))
    }
}
