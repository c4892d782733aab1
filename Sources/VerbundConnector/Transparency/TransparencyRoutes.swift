import Foundation
import Synchronization
import VerbundTransport

/// The transparency page's routes on the public listener: `/` (HTML, German or English), `/transparency.json` (the
/// same report as JSON) and `/style.css`. The report is read in one read transaction, each module adding its part.
struct TransparencyRoutes {
    let context: ConnectorContext
    let modules: [any ConnectorModule]
    /// Anyone may ask, so the report (one read over every listed dataset and contract) is built at most once per
    /// `ReportCache.lifetime`, however many requests arrive.
    let cache = ReportCache()

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

    /// The report as listed now, or as listed at most `ReportCache.lifetime` ago.
    func report() throws -> TransparencyReport {
        let now = ContinuousClock.now
        return try cache.value(now: now) { try build() }
    }

    private func build() throws -> TransparencyReport {
        let own = context.peers.member(id: context.identity.memberId)
        var report = TransparencyReport(member: .init(id: context.identity.memberId, name: own?.name ?? context.identity.memberId),
                                        generatedAt: Date(timeIntervalSince1970: context.clock().timeIntervalSince1970.rounded(.down)))
        try context.database.read { tx in
            for module in modules { try module.contributeTransparency(to: &report, context: context, in: tx) }
            try TransparencyWording.add(to: &report, catalog: CatalogStore(database: context.database), in: tx)
        }
        let peers = context.peers
        return report.listed { peers.member(id: $0)?.name }
    }
}

/// The newest report and when it was built. Building happens under the lock, so concurrent requests wait for one build
/// instead of each reading the database.
final class ReportCache: Sendable {
    static let lifetime: Duration = .seconds(2)
    private let slot = Mutex<(built: ContinuousClock.Instant, report: TransparencyReport)?>(nil)

    func value(now: ContinuousClock.Instant, build: () throws -> TransparencyReport) throws -> TransparencyReport {
        try slot.withLock { slot in
            if let slot, now - slot.built < Self.lifetime { return slot.report }
            let report = try build()
            slot = (now, report)
            return report
        }
    }
}
