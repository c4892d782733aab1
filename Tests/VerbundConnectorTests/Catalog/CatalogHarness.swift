import Foundation
import Testing
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// Helpers of the catalog tests: management calls with JSON bodies, DSP calls as a peer, datasets straight into a
/// store, and the official schema check of everything sent and received (`DSPValidation`).
enum CatalogHarness {
    /// A management request with a JSON body; returns the status and the decoded JSON answer.
    static func management(_ running: RunningConnector, _ method: HTTPMethod, _ path: String,
                           json: JSONValue? = nil) throws -> (status: Int, body: JSONValue) {
        var headers = HTTPHeaders()
        headers.set("Authorization", "Bearer \(running.connector.managementToken.value)")
        var body: [UInt8] = []
        if let json {
            headers.set("Content-Type", "application/json")
            body = Array(try JSONEncoder().encode(json))
        }
        let response = try HTTPClient().send(HTTPClientRequest(method: method, host: "127.0.0.1", port: running.connector.managementPort,
                                                               target: path, headers: headers, body: body))
        let value = response.body.isEmpty ? JSONValue.null : try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
        return (response.status.code, value)
    }

    /// A data file in `folder` with `text` as content.
    static func dataFile(_ folder: TemporaryFolder, _ name: String, _ text: String) throws -> String {
        let path = folder.file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Publishes `count` datasets directly into the connector's store (fast setup for paging tests).
    static func insert(_ running: RunningConnector, _ records: [DatasetRecord]) throws {
        let store = CatalogStore(database: running.context.database)
        try running.context.database.transaction { tx in
            for record in records { try store.insert(record, filePath: "/dev/null", at: Date(), in: tx) }
        }
    }

    static func record(_ id: String, title: String, keywords: [String] = [], offer: Offer? = nil) -> DatasetRecord {
        DatasetRecord(id: id, title: title, description: "Testdaten \(title)", keywords: keywords,
                      publisher: .init(id: "urn:verbund:testfed:a", name: "Stadt a"), byteSize: 10, mediaType: "text/csv",
                      checksumSHA256: String(repeating: "ab", count: 32),
                      offers: [offer ?? Offer(id: id + "#offer", permission: [Rule(action: "use")])])
    }

    /// `POST /catalog/request` from `consumer` to `provider`, optionally to an absolute page URL from a Link header.
    static func catalogRequest(from consumer: RunningConnector, to provider: String, filter: [JSONValue] = [],
                               url: String? = nil, query: String = "") throws -> PeerResponse {
        let body = Array(try DSPJSON.encode(CatalogRequestMessage(filter: filter)))
        if let url {
            return try consumer.context.peerClient.send(toURL: url, method: .post, body: body)
        }
        return try consumer.context.peerClient.send(toMember: provider, method: .post, path: "/catalog/request" + query, body: body)
    }

    static func json(_ response: PeerResponse) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
    }

    /// Dataset ids of a Catalog body.
    static func datasetIDs(_ response: PeerResponse) throws -> [String] {
        try DSPJSON.decode(Catalog.self, from: Data(response.body)).dataset.map(\.id)
    }

    /// Runs the official DSP 2025-1 schema check on each body; records an issue naming the failures.
    static func expectValidDSP(_ bodies: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) throws {
        try DSPValidation.validate(bodies, sourceLocation: sourceLocation)
    }
}

extension CatalogHarness {
    /// Publishes datasets directly into the store of a context (e.g. a `RouteHarness`'s).
    static func insert(_ context: ConnectorContext, _ records: [DatasetRecord]) throws {
        let store = CatalogStore(database: context.database)
        try context.database.transaction { tx in
            for record in records { try store.insert(record, filePath: "/dev/null", at: Date(), in: tx) }
        }
    }
}
