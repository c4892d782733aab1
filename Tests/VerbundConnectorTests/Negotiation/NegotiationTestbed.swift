import Foundation
import Synchronization
import Testing
import VerbundDataspace
import VerbundHTTP
import VerbundTransport
import VerbundTrust
@testable import VerbundConnector

/// Connectors of a test federation running the negotiation module, each with its own registered offers and a wire tap
/// that keeps every DSP body, plus helpers to start negotiations and wait for their end.
final class NegotiationTestbed: Sendable {
    let federation: FederationFixture
    let wire = WireRecorder()
    let offers: [String: RegisteredOffers]

    init(members: [String], ags: [String: String] = [:], opensslMembers: Set<String> = []) throws {
        federation = try FederationFixture(members: members, ags: ags, opensslMembers: opensslMembers)
        var made: [String: RegisteredOffers] = [:]
        for id in members { made[id] = RegisteredOffers() }
        offers = made
    }

    /// Starts `id` with the negotiation module and a DSP dataset endpoint over its registered offers.
    func start(_ id: String, extra: [any ConnectorModule] = [], options: (inout ConnectorOptions) -> Void = { _ in }) throws -> RunningConnector {
        let offers = self.offers[id]!
        let module = NegotiationModule(offers: offers, tap: wire.tap(id))
        return try Self.retryingBind { try federation.start(id, modules: [module, DatasetEndpointModule(offers: offers)] + extra, options: options) }
    }

    /// Member `id` offering `dataset` but never answering a contract request, so a consumer's negotiation waits.
    func startSilentProvider(_ id: String, dataset: String) throws -> RunningConnector {
        _ = publish(at: id, dataset: dataset)
        return try Self.retryingBind { try federation.start(id, modules: [DatasetEndpointModule(offers: offers[id]!), SilentProvider()]) }
    }

    /// The fixture picks each member's DSP port up front; until the connector binds it, another test's outgoing
    /// connection can hold it for a moment. Starting again shortly after is then all that is needed.
    static func retryingBind<T>(_ start: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try start()
            } catch where ("\(error)".contains("Address already in use") || "\(error)".contains("is already in use")) && attempt < 20 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    /// Publishes an offer of `dataset` at `provider`.
    @discardableResult
    func publish(at provider: String, dataset: String, offerId: String = "urn:uuid:" + UUID().uuidString.lowercased(),
                 constraints: [Constraint] = []) -> PublishedOffer {
        let offer = PublishedOffer(dataset: dataset, offer: Offer(id: offerId, permission: [Rule(action: "use", constraint: constraints)]))
        offers[provider]!.register(offer)
        return offer
    }

    /// `POST /api/negotiations` at `consumer`; returns the negotiation's report (status 201 expected).
    func negotiate(_ consumer: RunningConnector, peer: String, dataset: String, offer: String? = nil,
                   purpose: String? = nil) throws -> NegotiationReport {
        let body = try JSONEncoder().encode(NegotiationStartRequest(peer: peer, dataset: dataset, offer: offer, purpose: purpose))
        let response = try consumer.management("/api/negotiations", method: .post, body: Array(body))
        guard response.status.code == 201 else {
            throw FixtureError("POST /api/negotiations answered \(response.status.code): \(String(decoding: response.body, as: UTF8.self))")
        }
        return try ManagementJSON.decoder().decode(NegotiationReport.self, from: Data(response.body))
    }

    /// True when negotiation `id` is in `state` and awaits nothing: our message that announced the state went on the
    /// wire before the state showed, and its acknowledgement has arrived too.
    func isSettled(_ connector: RunningConnector, _ id: String, in state: String) throws -> Bool {
        let now = try report(connector, id)
        return now?.state == state && now?.awaiting == nil
    }

    /// Polls `GET /api/negotiations/:id` until the state is final (FINALIZED or TERMINATED) and nothing is awaited.
    func waitUntilFinished(_ connector: RunningConnector, _ id: String, timeout: Double = 15) throws -> NegotiationReport {
        let deadline = Date().addingTimeInterval(timeout)
        var last: NegotiationReport?
        while Date() < deadline {
            last = try report(connector, id)
            if let last, ["FINALIZED", "TERMINATED"].contains(last.state), last.awaiting == nil { return last }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw FixtureError("negotiation \(id) did not finish within \(timeout) s; last: \(String(describing: last))")
    }

    func report(_ connector: RunningConnector, _ id: String) throws -> NegotiationReport? {
        let response = try connector.management("/api/negotiations/" + id)
        guard response.status.code == 200 else { return nil }
        return try ManagementJSON.decoder().decode(NegotiationReport.self, from: Data(response.body))
    }

    /// Runs `dsp-validate` on every body the wire tap saw; returns the failures.
    func validateWire(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        try DSPValidation.failures(wire.bodies.map(\.body), sourceLocation: sourceLocation)
    }
}

/// Every DSP body of the negotiation modules, by connector and direction.
final class WireRecorder: Sendable {
    struct Entry: Sendable {
        let member: String
        let direction: NegotiationWireTap.Direction
        let body: [UInt8]
    }

    private let entries = Mutex<[Entry]>([])

    func tap(_ member: String) -> NegotiationWireTap {
        NegotiationWireTap { [self] direction, body in entries.withLock { $0.append(Entry(member: member, direction: direction, body: body)) } }
    }

    var bodies: [Entry] { entries.withLock { $0 } }

    /// The `@type`s seen, for checking that a flow exercised what it should.
    var types: Set<String> {
        Set(bodies.compactMap { entry in
            (try? JSONSerialization.jsonObject(with: Data(entry.body)) as? [String: Any])?["@type"] as? String
        })
    }
}

/// Serves `GET <endpoint>/catalog/datasets/:id` from registered offers (DSP 2025-1 dataset request), standing in for
/// the catalog module so a consumer's `PeerDatasetSource` can read the offers.
struct DatasetEndpointModule: ConnectorModule {
    let name = "test-datasets"
    let migrationVersions = 80...80
    let offers: RegisteredOffers

    func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        let offers = self.offers
        router.get("/catalog/datasets/:id") { request, _ in
            let id = request.parameter("id") ?? ""
            let published = offers.offers(dataset: id)
            guard !published.isEmpty else {
                throw DSPFailure(.notFound, shape: .catalog, code: "404", reasons: ["no dataset \(id)"])
            }
            let service = DataService(id: "urn:uuid:service", endpointURL: context.configuration.endpoint)
            let dataset = Dataset(id: id, hasPolicy: published.map(\.offer),
                                  distribution: [Distribution(format: "HttpData-PULL", accessService: .reference(service.id))])
            return try DSPResponse.json(dataset)
        }
    }
}

extension RunningConnector {
    /// A management request with a JSON body.
    func management(_ path: String, method: HTTPMethod, body: [UInt8]) throws -> HTTPClientResponse {
        var headers = HTTPHeaders()
        headers.set("Authorization", "Bearer \(connector.managementToken.value)")
        headers.set("Content-Type", "application/json")
        return try HTTPClient().send(HTTPClientRequest(method: method, host: "127.0.0.1", port: connector.managementPort,
                                                       target: path, headers: headers, body: body))
    }
}
