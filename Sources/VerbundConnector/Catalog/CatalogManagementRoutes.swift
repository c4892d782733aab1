import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundTransport

/// The catalog's management routes (documented in `docs/management-api.md`, section "Catalog").
struct CatalogManagementRoutes {
    let store: CatalogStore
    let federated: FederatedCatalog
    let context: ConnectorContext
    let crawler: @Sendable () -> CatalogCrawler?
    let snapshots: SnapshotStore
    let refresher: @Sendable () -> DatasetRefresher?

    func register(into router: inout Router) {
        router.post("/api/catalog/datasets", bodyLimit: 1 << 20) { request, body in try publish(body, by: request.caller) }
        router.get("/api/catalog/datasets") { request, _ in
            // `limit`/`offset` ask for one page (`ManagementPage`), with the total in `X-Total-Count`.
            guard let page = try ManagementPage.requested(request.target.query) else {
                return try ManagementJSON.response(try store.all().map(PublishedDatasetSummary.init))
            }
            return ManagementPage.counted(try ManagementJSON.response(
                try store.page(offset: page.offset, limit: page.limit).map(PublishedDatasetSummary.init)), total: try store.count())
        }
        router.get("/api/catalog/datasets/:id") { request, _ in
            let id = request.parameter("id") ?? ""
            guard let dataset = try store.dataset(id: id) else {
                return ManagementJSON.error(CatalogPublishError.unknownDataset(id).description, status: .notFound)
            }
            return try ManagementJSON.response(PublishedDatasetSummary(dataset))
        }
        router.post("/api/catalog/datasets/:id/refresh") { request, _ in try refresh(request.parameter("id") ?? "") }
        router.delete("/api/catalog/datasets/:id") { request, _ in try remove(request.parameter("id") ?? "", by: request.caller) }
        router.get("/api/catalog/peers/:member") { request, _ in try peerCatalog(request) }
        router.get("/api/catalog/federated") { request, _ in try federatedCatalog(request) }
        router.post("/api/catalog/crawl") { _, _ in
            guard let crawler = crawler() else {
                return ManagementJSON.error("the catalog crawler is not running", status: .serviceUnavailable)
            }
            return try ManagementJSON.response(crawler.crawlNow())
        }
        router.get("/api/catalog/crawl") { _, _ in try ManagementJSON.response(try federated.states()) }
    }

    private func publish(_ body: RequestBody, by caller: ManagementCaller?) throws -> HTTPResponse {
        let bytes = try DSPRequest.read(body, limit: 1 << 20)
        let publication = try ManagementBody.decode(DatasetPublication.self, from: bytes, fields: DatasetPublication.fields)
        // Whole seconds: the stored dates (ISO 8601) carry no fractions, so the answer matches later reads.
        let now = Date(timeIntervalSince1970: context.clock().timeIntervalSince1970.rounded(.down))
        let own = context.peers.member(id: context.identity.memberId)
        let publisher = DatasetRecord.Publisher(id: context.identity.participantId, name: own?.name ?? context.identity.memberId)
        let spatial = own?.ags.map { ["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/\($0.digits)"] } ?? []
        if publication.upstream != nil { return try publishAPI(publication, publisher: publisher, spatial: spatial, now: now) }
        do {
            let interval = try publication.refreshInterval()
            let protected = ProtectedFiles(configuration: context.configuration)
            // The served bytes are a snapshot the connector owns; the file stays the source refreshes read.
            let published = try snapshots.exclusively {
                var taken: Snapshot?
                let record = try publication.record(publisher: publisher, spatial: spatial, now: now, protected: protected,
                                                    digest: { path throws(CatalogPublishError) in
                    let snapshot = try snapshots.take(from: path, protected: protected)
                    taken = snapshot
                    return (snapshot.size, snapshot.sha256)
                })
                return try insert(record, served: taken?.path ?? publication.file, publication: publication, every: interval, at: now,
                                  by: caller)
            }
            let record = published.record
            if interval != nil { refresher()?.wake() }
            context.logger.notice("catalog.dataset.published", ["dataset": .string(record.id), "title": .string(record.title),
                                                                "version": .string(record.version ?? "")])
            return try ManagementJSON.response(PublishedDatasetSummary(published), status: .created)
        } catch let error as CatalogPublishError {
            if case .duplicateID = error { DatasetRefresh(context: context, snapshots: snapshots).collectGarbage() }
            context.logger.notice("catalog.dataset.refused", ["reason": .string(error.description)])
            return ManagementJSON.error(error.description, status: error.status)
        }
    }

    /// The dataset row, its first version and the audit entry, in one transaction.
    private func insert(_ record: DatasetRecord, served: String, publication: DatasetPublication, every: RefreshInterval?,
                        at now: Date, by caller: ManagementCaller?) throws -> PublishedDataset {
        try context.database.transaction { tx in
            let published = try store.insert(record, filePath: served, sourcePath: publication.file, refreshEvery: every,
                                             at: now, listed: publication.listedPublicly, open: publication.open == true, in: tx)
            try context.audit.record(AuditEvent(kind: "catalog.dataset.published", fields: [
                "dataset": .string(record.id), "title": .string(record.title), "file": .string(publication.file),
                "byteSize": .integer(record.byteSize ?? 0), "sha256": .string(record.checksumSHA256 ?? ""),
                "offers": .array(record.offers.map { .string(PolicyDescription.describe($0)) }),
                "transparency": .bool(publication.listedPublicly), "open": .bool(publication.open == true),
            ].merging(caller.auditFields) { old, _ in old }), in: tx)
            return published
        }
    }

    /// An API dataset (issue 11): no snapshot; the row, its upstream declaration and the audit entry in one transaction.
    private func publishAPI(_ publication: DatasetPublication, publisher: DatasetRecord.Publisher, spatial: [String],
                            now: Date) throws -> HTTPResponse {
        do {
            let record = try publication.apiRecord(publisher: publisher, spatial: spatial, now: now)
            let upstream = publication.upstream
            let published = try context.database.transaction { tx in
                let published = try store.insert(record, filePath: "", at: now, upstream: upstream,
                                                 listed: publication.listedPublicly, in: tx)
                try context.audit.record(AuditEvent(kind: "catalog.dataset.published", fields: [
                    "dataset": .string(record.id), "title": .string(record.title), "kind": "api",
                    "upstream": .string(upstream?.parsedBase?.description ?? ""),
                    "credentialFile": .string(upstream?.credentialFile ?? ""),
                    "offers": .array(record.offers.map { .string(PolicyDescription.describe($0)) }),
                ]), in: tx)
                return published
            }
            context.logger.notice("catalog.dataset.published", ["dataset": .string(record.id), "title": .string(record.title),
                                                                "upstream": .string(upstream?.parsedBase?.description ?? "")])
            return try ManagementJSON.response(PublishedDatasetSummary(published), status: .created)
        } catch let error as CatalogPublishError {
            context.logger.notice("catalog.dataset.refused", ["reason": .string(error.description)])
            return ManagementJSON.error(error.description, status: error.status)
        }
    }

    /// `POST /api/catalog/datasets/:id/refresh`: reads the source again (`DatasetRefresh`).
    private func refresh(_ id: String) throws -> HTTPResponse {
        do {
            return try ManagementJSON.response(try DatasetRefresh(context: context, snapshots: snapshots).refresh(id: id))
        } catch let error as RefreshError {
            return ManagementJSON.error(error.description, status: error.status)
        }
    }

    private func remove(_ id: String, by caller: ManagementCaller?) throws -> HTTPResponse {
        let removed = try context.database.transaction { tx -> PublishedDataset? in
            guard let removed = try store.remove(id: id, in: tx) else { return nil }
            try context.audit.record(AuditEvent(kind: "catalog.dataset.removed", fields: [
                "dataset": .string(id), "title": .string(removed.record.title),
            ].merging(caller.auditFields) { old, _ in old }), in: tx)
            return removed
        }
        guard let removed else {
            return ManagementJSON.error(CatalogPublishError.unknownDataset(id).description, status: .notFound)
        }
        context.logger.notice("catalog.dataset.removed", ["dataset": .string(id)])
        DatasetRefresh(context: context, snapshots: snapshots).collectGarbage()
        return try ManagementJSON.response(["removed": removed.id])
    }

    /// The most page bytes a live look at one peer's catalog reads.
    static let liveViewMaxBytes = 16 << 20

    /// A peer's catalog fetched live (all pages), optionally filtered by the peer (`search`, `keyword`).
    private func peerCatalog(_ request: HTTPRequest) throws -> HTTPResponse {
        let memberId = request.parameter("member") ?? ""
        guard let member = context.peers.member(id: memberId), memberId != context.identity.memberId else {
            return ManagementJSON.error("the registry lists no other member '\(memberId)'", status: .notFound)
        }
        guard member.status == .active else {
            return ManagementJSON.error("member '\(memberId)' is \(member.status.rawValue); nothing is sent to it", status: .conflict)
        }
        let searches = request.target.query.filter { $0.name == "search" && !$0.value.isEmpty }.map(\.value)
        // The same rule as a peer's `CatalogFilter`: a search without a word would only be refused there.
        guard searches.allSatisfy({ FullTextQuery.match($0) != nil }) else {
            return ManagementJSON.error("search needs at least one letter or digit", status: .badRequest)
        }
        let filter = CatalogFilter(keywords: request.target.query.filter { $0.name == "keyword" }
                                       .map { $0.value.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty },
                                   search: searches)
        let fetched: (datasets: [Dataset], pages: Int)
        do {
            // The live view holds the whole catalog in memory to answer it, so its byte total is smaller than a crawl's.
            var bounds = crawler()?.bounds ?? .standard
            bounds.maxBytes = min(bounds.maxBytes, Self.liveViewMaxBytes)
            fetched = try PeerCatalogFetcher(context: context, bounds: bounds).fetch(memberId: memberId, filter: filter)
        } catch {
            return ManagementJSON.error(error.description, status: HTTPStatus(code: 502, reasonPhrase: "Bad Gateway"))
        }
        let entries = fetched.datasets.map {
            CatalogEntry(provider: member.id, providerName: member.name, participantId: member.participantId, dataset: $0)
        }
        return try ManagementJSON.response(CatalogListing(datasets: entries))
    }

    /// The crawled federated catalog, optionally searched (FTS5) and narrowed to one provider.
    private func federatedCatalog(_ request: HTTPRequest) throws -> HTTPResponse {
        let search = request.target.queryValue("search").flatMap { $0.isEmpty ? nil : $0 }
        let limitText = request.target.queryValue("limit") ?? "1000"
        guard let limit = Int(limitText), (1...10_000).contains(limit) else {
            return ManagementJSON.error("limit must be a whole number from 1 to 10000", status: .badRequest)
        }
        let names: (String) -> String = { context.peers.member(id: $0)?.name ?? $0 }
        let member = request.target.queryValue("member").flatMap { $0.isEmpty ? nil : $0 }
        var entries: [CatalogEntry]
        if let keyword = request.target.queryValue("keyword").flatMap({ $0.isEmpty ? nil : $0 }) {
            // A keyword is one of a dataset's `dcat:keyword`s, matched whole and ignoring case; full-text search
            // narrows first so that the limit applies to the matches.
            let matches = try federated.entries(search: search ?? keyword, member: member, limit: 10_000, names: names)
            entries = Array(matches.filter { $0.keywords.contains { $0.caseInsensitiveCompare(keyword) == .orderedSame } }.prefix(limit))
        } else {
            entries = try federated.entries(search: search, member: member, limit: limit, names: names)
        }
        var problems: [String: String] = [:]
        var lastCrawl: Date?
        for state in try federated.states() {
            if let error = state.lastError { problems[state.member] = error }
            if let success = state.lastSuccess, success > (lastCrawl ?? .distantPast) { lastCrawl = success }
        }
        return try ManagementJSON.response(CatalogListing(datasets: entries, problems: problems, lastCrawl: lastCrawl))
    }
}
