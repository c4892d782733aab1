import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// The provider side of the DSP catalog protocol (DSP 2025-1 catalog HTTPS binding):
///
/// - `POST <endpoint>/catalog/request` with a `CatalogRequestMessage` → 200 + `Catalog` (one page, `Link` headers);
///   an unsupported `filter` or page parameter → 400 + `CatalogError`.
/// - `GET <endpoint>/catalog/datasets/:id` → 200 + `Dataset`; unknown (or not visible to the peer) → 404 + `CatalogError`.
///
/// Each peer sees only the offers it is eligible for (`OfferEligibility`) and only datasets with such an offer.
struct CatalogDSPRoutes {
    let store: CatalogStore
    let context: ConnectorContext
    let cache: CatalogRenderCache

    func register(into router: inout DSPRoutes) {
        router.post("/catalog/request") { request, body in try catalog(request, body) }
        router.get("/catalog/datasets/:id") { request, _ in try dataset(request) }
    }

    /// The data service of this connector: the DSP endpoint the catalog was served through.
    /// With its DCAT-AP.de title and publisher (the member), which `dcat:DataService` requires.
    var service: DataService {
        DataService(id: context.identity.participantId + ":dsp", endpointURL: context.configuration.endpoint, properties: [
            "dct:title": .object(["@value": .string("Dataspace Protocol endpoint of \(memberName)"), "@language": "en"]),
            "dct:publisher": publisher,
        ])
    }

    private var memberName: String { context.peers.member(id: context.identity.memberId)?.name ?? context.identity.memberId }

    private var publisher: JSONValue {
        .object(["@id": .string(context.identity.participantId), "@type": "http://xmlns.com/foaf/0.1/Agent",
                 "http://xmlns.com/foaf/0.1/name": .string(memberName)])
    }

    var catalogID: String { context.identity.participantId + ":catalog" }

    private func catalog(_ dsp: DSPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let message = try dsp.decode(CatalogRequestMessage.self, from: body, errorShape: .catalog)
        let filter: CatalogFilter
        let pageRequest: CatalogPageRequest
        do {
            filter = try CatalogFilter(message.filter)
        } catch {
            throw DSPFailure(.badRequest, shape: .catalog, code: "UnsupportedFilter", reasons: [error.description])
        }
        do {
            pageRequest = try CatalogPageRequest(query: dsp.http.target)
        } catch {
            throw DSPFailure(.badRequest, shape: .catalog, code: "InvalidPage", reasons: [error.description])
        }
        let pager = CatalogPager(store: store, eligibility: OfferEligibility(member: dsp.member, now: context.clock()),
                                 filter: filter)
        let page = try pager.page(pageRequest)
        var response = DSPResponse.json(bytes: try catalogBody(page, member: dsp.member.id))
        var links: [String] = []
        if let next = page.next { links.append("<\(pageURL(next))>; rel=\"next\"") }
        if let previous = page.previous { links.append("<\(pageURL(previous))>; rel=\"previous\"") }
        if !links.isEmpty { response.headers.add("Link", links.joined(separator: ", ")) }
        context.metrics.increment(CatalogMetrics.datasetsServed, by: Double(page.datasets.count))
        return response
    }

    /// The Catalog of one page. Each dataset's JSON comes from the cache when it was rendered before with the same
    /// offers; the datasets are then written into the encoded catalog (JSON member order carries no meaning).
    private func catalogBody(_ page: CatalogPage, member: String) throws -> [UInt8] {
        var items: [[UInt8]] = []
        do {
            let shell = try CatalogRendering.catalog(id: catalogID, participantId: context.identity.participantId,
                                                     service: service, records: [], properties: catalogProperties)
            var body = Array(try DSPJSON.encode(shell))
            for (dataset, offers) in page.datasets {
                let offerIDs = offers.map(\.id)
                if let cached = cache.encoded(dataset.sequence, offers: offerIDs) {
                    items.append(cached)
                    continue
                }
                var record = dataset.record
                record.offers = offers
                let rendered = try CatalogRendering.dataset(record, service: service, inlineService: true)
                // Encoded inside an array, so it is written as a nested dataset (no @context), then unwrapped.
                let encoded = Array(try DSPJSON.encode([rendered]).dropFirst().dropLast())
                cache.remember(encoded: encoded, sequence: dataset.sequence, offers: offerIDs)
                items.append(encoded)
            }
            guard !items.isEmpty, body.first == UInt8(ascii: "{") else { return body }
            var member = Array("\"dataset\":[".utf8)
            for (index, item) in items.enumerated() {
                if index > 0 { member.append(UInt8(ascii: ",")) }
                member += item
            }
            member += Array("],".utf8)
            body.insert(contentsOf: member, at: 1)
            return body
        } catch let error as CatalogRenderingError {
            // Publication validates every offer, so this means a stored record no longer renders: fail closed.
            context.logger.error("catalog.render.failed", ["member": .string(member), "error": .error(error)])
            throw DSPFailure(.internalServerError, shape: .catalog, code: "CatalogUnavailable",
                             reasons: ["the catalog cannot be rendered right now"])
        }
    }

    private func dataset(_ dsp: DSPRequest) throws -> HTTPResponse {
        let id = dsp.parameter("id") ?? ""
        let notFound = DSPFailure(.notFound, shape: .catalog, code: "DatasetNotFound", reasons: ["no dataset \(id) in this catalog"])
        guard let published = try store.dataset(id: id) else { throw notFound }
        let offers = OfferEligibility(member: dsp.member, now: context.clock()).visibleOffers(of: published.record)
        // A dataset the peer may not use is answered exactly like an unknown one (do not reveal what exists).
        guard !offers.isEmpty else { throw notFound }
        var record = published.record
        record.offers = offers
        do {
            return try DSPResponse.json(try CatalogRendering.dataset(record, service: service, inlineService: true))
        } catch let error as CatalogRenderingError {
            context.logger.error("catalog.render.failed", ["dataset": .string(id), "error": .error(error)])
            throw notFound
        }
    }

    private var catalogProperties: [String: JSONValue] {
        // dct:title, dct:description and dct:publisher: what DCAT-AP.de requires of a dcat:Catalog.
        let name = memberName
        return ["dct:title": .object(["@value": .string("Datenkatalog \(name)"), "@language": .string("de")]),
                "dct:description": .object(["@value": .string("Datensätze, die \(name) den Mitgliedern des Verbunds anbietet."),
                                            "@language": .string("de")]),
                "dct:publisher": publisher]
    }

    /// The absolute URL of another page; a consumer POSTs the same `CatalogRequestMessage` to it.
    private func pageURL(_ page: CatalogPageRequest) -> String {
        let endpoint = context.configuration.endpoint.hasSuffix("/")
            ? String(context.configuration.endpoint.dropLast()) : context.configuration.endpoint
        return endpoint + "/catalog/request?" + page.queryString
    }
}
