import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// The DCAT-AP.de harvest endpoint on the public listener (issue 13; docs/dcat-ap-de.md, "Harvest endpoint"): the
/// datasets the operator listed publicly (`transparency`), paged, in the syntax the `Accept` field asks for
/// (`DCATFormat.negotiate`: Turtle without one) or the one the path's extension names, following the profile
/// `?profile=` names (DCAT-AP.de 3.0 by default). Paging links are absolute (`publicBaseURL`, else the request's
/// `Host`); the last page has no `hydra:next`, as ckanext-dcat's harvester expects.
struct CatalogHarvestRoutes {
    static let path = "/dcat/catalog"
    /// Datasets per page.
    static let pageSize = 100

    let context: ConnectorContext

    func register(into router: inout Router) {
        router.get(Self.path) { request, _ in try answer(request, fixed: nil) }
        for format in DCATFormat.allCases {
            router.get(Self.path + "." + format.fileExtension) { request, _ in try answer(request, fixed: format) }
        }
    }

    /// What a request asks for, or the 4xx that says why it cannot be answered.
    struct Query: Equatable {
        var format: DCATFormat
        var profile: DCATAPDEProfile
        var page: Int
    }

    /// Reads `Accept`, `profile` and `page` (a pure function of the request, tested as a value).
    static func query(accept: String?, fixed: DCATFormat?, profile: String?, page: String?) -> Result<Query, HarvestRefusal> {
        guard let format = fixed ?? DCATFormat.negotiate(accept: accept) else {
            return .failure(HarvestRefusal(status: HTTPStatus(code: 406, reasonPhrase: "Not Acceptable"),
                                           message: "this endpoint writes text/turtle, application/rdf+xml or application/ld+json"))
        }
        var chosen = DCATAPDEProfile.v3
        if let profile {
            guard let named = DCATAPDEProfile(name: profile) else {
                return .failure(HarvestRefusal(status: .badRequest, message: "profile must be dcat-ap-de-3 or dcat-ap-de-2"))
            }
            chosen = named
        }
        var number = 1
        if let page {
            guard page.count <= 9, let parsed = Int(page), parsed >= 1 else {
                return .failure(HarvestRefusal(status: .badRequest, message: "page must be a whole number from 1"))
            }
            number = parsed
        }
        return .success(Query(format: format, profile: chosen, page: number))
    }

    struct HarvestRefusal: Error, Equatable {
        var status: HTTPStatus
        var message: String
    }

    private func answer(_ request: HTTPRequest, fixed: DCATFormat?) throws -> HTTPResponse {
        let query: Query
        switch Self.query(accept: request.headers["Accept"], fixed: fixed, profile: request.target.queryValue("profile"),
                          page: request.target.queryValue("page")) {
        case .success(let asked): query = asked
        case .failure(let refusal): return PublicResponse.text(refusal.message, status: refusal.status)
        }
        guard let base = PublicBase.url(configured: context.configuration.publicBaseURL,
                                        tls: context.configuration.publicTLS != nil, host: request.headers["Host"]) else {
            return PublicResponse.text("the request has no usable Host field", status: .badRequest)
        }
        let store = CatalogStore(database: context.database)
        let (total, listed) = try context.database.read { tx in
            (try store.listedCount(in: tx), try store.listed(offset: (query.page - 1) * Self.pageSize, limit: Self.pageSize, in: tx))
        }
        let records = listed.map(\.record)
        var catalog = Self.catalog(context)
        catalog.downloadURLs = OpenDownload.urls(listed, base: base)
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        guard query.page <= pages else {
            return PublicResponse.text("there are \(pages) pages", status: .notFound)
        }
        let suffix = fixed.map { "." + $0.fileExtension } ?? ""
        let profileQuery = request.target.queryValue("profile") == nil ? "" : "&profile=" + (query.profile == .v2 ? "dcat-ap-de-2" : "dcat-ap-de-3")
        func link(_ number: Int) -> String { base + Self.path + suffix + "?page=\(number)" + profileQuery }
        let page = DCATPage(iri: link(query.page), first: link(1), last: link(pages),
                            next: query.page < pages ? link(query.page + 1) : nil,
                            previous: query.page > 1 ? link(query.page - 1) : nil, totalItems: total, itemsPerPage: Self.pageSize)
        let text = try DCATExport.render(records, catalog: catalog, profile: query.profile, format: query.format,
                                         page: page)
        var response = HTTPResponse(status: .ok, contentType: query.format.mediaType + "; charset=utf-8", bytes: Array(text.utf8))
        response.headers.set("Vary", "Accept")
        PublicResponse.secure(&response)
        return response
    }

    /// The catalog's own description: the member as publisher, its municipality key, the DSP endpoint as data service.
    static func catalog(_ context: ConnectorContext) -> DCATCatalogDescription {
        let own = context.peers.member(id: context.identity.memberId)
        let name = own?.name ?? context.identity.memberId
        let fields = context.configuration.publicCatalog
        return DCATCatalogDescription(
            title: fields?.title ?? "Offene Daten \(name)",
            description: fields?.description
                ?? "Datensätze, die \(name) über den Verbund-Connector \(context.identity.memberId) bereitstellt.",
            publisher: DatasetRecord.Publisher(id: context.identity.participantId, name: name),
            homepage: fields?.homepage, contributorID: fields?.contributorID,
            spatial: own?.ags.map { ["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/\($0.digits)"] } ?? [],
            endpoint: context.configuration.endpoint)
    }
}
