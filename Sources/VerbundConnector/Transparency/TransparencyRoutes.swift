import Foundation
import VerbundTransport

/// The transparency page's routes on the public listener: `/` (HTML, German or English), `/transparency.json` (the
/// same report as JSON) and `/style.css`. The report is read in one read transaction, each module adding its part.
struct TransparencyRoutes {
    let context: ConnectorContext
    let modules: [any ConnectorModule]

    func register(into router: inout Router) {
        router.get("/") { request, _ in
            let language = TransparencyLanguage.choose(query: request.target.queryValue("lang"),
                                                       acceptLanguage: request.headers["Accept-Language"])
            let page = TransparencyPage.html(try report(), language: language, dcatPath: CatalogHarvestRoutes.path)
            var response = PublicResponse.bytes(Array(page.utf8), contentType: "text/html; charset=utf-8", vary: "Accept-Language")
            response.headers.set("Content-Language", language.rawValue)
            return response
        }
        router.get("/transparency.json") { _, _ in
            let encoder = JSONEncoder.catalog
            encoder.outputFormatting.insert(.prettyPrinted)
            return PublicResponse.bytes(Array(try encoder.encode(try report())) + [0x0A], contentType: "application/json")
        }
        router.get("/style.css") { _, _ in
            PublicResponse.bytes(Array(TransparencyPage.stylesheet.utf8), contentType: "text/css; charset=utf-8")
        }
    }

    /// The report as listed now.
    func report() throws -> TransparencyReport {
        let own = context.peers.member(id: context.identity.memberId)
        var report = TransparencyReport(member: .init(id: context.identity.memberId, name: own?.name ?? context.identity.memberId),
                                        generatedAt: Date(timeIntervalSince1970: context.clock().timeIntervalSince1970.rounded(.down)))
        try context.database.read { tx in
            for module in modules { try module.contributeTransparency(to: &report, context: context, in: tx) }
        }
        let peers = context.peers
        return report.listed { peers.member(id: $0)?.name }
    }
}
