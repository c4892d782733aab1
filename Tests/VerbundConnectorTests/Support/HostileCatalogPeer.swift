import Foundation
import Synchronization
import VerbundConnector
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// A hostile member's DSP catalog (start a fixture member with it instead of the catalog module; the member has its
/// real certificate): every page is about `pageBytes` of valid DSP Catalog JSON and links to a next page, up to
/// `pages` pages — an "endless" `rel="next"` chain that only ends so a test against unbounded code still finishes.
struct HostileCatalogPeer: ConnectorModule {
    final class Served: Sendable {
        let pages = Atomic<Int>(0)
        let bytes = Atomic<Int>(0)
    }

    let name = "hostile-catalog"
    let migrationVersions = 84...84
    let pageBytes: Int
    let pages: Int
    /// How long each page is held back before it is answered.
    let delay: Duration
    let served = Served()

    init(pageBytes: Int, pages: Int, delay: Duration = .zero) {
        self.pageBytes = pageBytes
        self.pages = pages
        self.delay = delay
    }

    /// Page `number` as JSON: a few datasets whose descriptions fill it to about `pageBytes`.
    static func page(_ number: Int, pageBytes: Int, participantId: String) throws -> [UInt8] {
        let perPage = 8
        let filler = String(repeating: "x", count: max(pageBytes / perPage - 400, 1))
        let datasets = (0..<perPage).map { index in
            Dataset(id: "urn:hostile:\(number)-\(index)", hasPolicy: [Offer(id: "urn:hostile:offer", permission: [Rule(action: "use")])],
                    distribution: [Distribution(format: "HttpData-PULL", accessService: .reference("urn:hostile:service"))],
                    properties: ["dct:title": .string("Seite \(number)"), "dct:description": .string(filler)])
        }
        return Array(try DSPJSON.encode(Catalog(id: "urn:hostile:catalog", participantId: participantId, dataset: datasets)))
    }

    func registerDSPRoutes(into router: inout DSPRoutes, context: ConnectorContext) {
        let (pageBytes, pages, served, delay) = (self.pageBytes, self.pages, self.served, self.delay)
        let endpoint = context.configuration.endpoint
        let participantId = context.configuration.participantId
        let serve: @Sendable (Int) throws -> HTTPResponse = { number in
            if delay > .zero { Thread.sleep(forTimeInterval: Double(delay / .milliseconds(1)) / 1000) }
            let body = try Self.page(number, pageBytes: pageBytes, participantId: participantId)
            served.pages.add(1, ordering: .relaxed)
            served.bytes.add(body.count, ordering: .relaxed)
            var response = DSPResponse.json(bytes: body)
            if number + 1 < pages { response.headers.add("Link", "<\(endpoint)/catalog/request/more/\(number + 1)>; rel=\"next\"") }
            return response
        }
        router.post("/catalog/request") { _, body in
            _ = try body.readAll()
            return try serve(0)
        }
        router.post("/catalog/request/more/:n") { request, body in
            _ = try body.readAll()
            return try serve(Int(request.parameter("n") ?? "") ?? 0)
        }
    }
}
