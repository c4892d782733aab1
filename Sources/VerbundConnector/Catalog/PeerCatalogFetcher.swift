import Foundation
import VerbundDataspace
import VerbundHTTP

/// Why a peer's catalog could not be read.
package struct PeerCatalogError: Error, Sendable, CustomStringConvertible {
    package let member: String
    package let reason: String
    /// The crawl bound the peer passed, when that is why.
    package var bound: CrawlBound?

    package init(member: String, reason: String, bound: CrawlBound? = nil) {
        self.member = member
        self.reason = reason
        self.bound = bound
    }

    package var description: String { "catalog of member '\(member)': \(reason)" }
}

/// Reads a peer's whole catalog: `POST <endpoint>/catalog/request`, then every `Link: rel="next"` page (the same
/// message is posted to each), over the connector's mTLS peer client, handing each page's datasets on before reading
/// the next — so memory holds one page at a time — within `CrawlBounds`. Blocking; call it from a plain thread.
struct PeerCatalogFetcher {
    let context: ConnectorContext
    var bounds: CrawlBounds = .standard

    /// Hands every dataset of `memberId`'s catalog for us (nested catalogs flattened) to `take`, page by page; returns
    /// the numbers of datasets and pages read.
    @discardableResult
    func fetch(memberId: String, filter: CatalogFilter = CatalogFilter(),
               take: ([Dataset]) throws -> Void) throws(PeerCatalogError) -> (datasets: Int, pages: Int) {
        let body: [UInt8]
        do {
            body = Array(try DSPJSON.encode(CatalogRequestMessage(filter: filter.elements)))
        } catch {
            throw PeerCatalogError(member: memberId, reason: "encoding the request failed: \(error)")
        }
        var budget = CrawlBudget(bounds: bounds)
        var seen: Set<String> = []
        var next: String?
        let crawlDeadline = ContinuousClock.now + bounds.peerDeadline
        repeat {
            let deadline = min(ContinuousClock.now + bounds.pageDeadline, crawlDeadline)
            guard let pageLimit = budget.nextPageLimit else {
                let bound = budget.exhausted ?? .pages
                throw exceeded(bound, budget: budget, memberId: memberId)
            }
            let response: PeerResponse
            do {
                if let url = next {
                    response = try context.peerClient.send(toURL: url, method: .post, body: body, maxBodyBytes: pageLimit,
                                                           deadline: deadline - ContinuousClock.now)
                } else {
                    response = try context.peerClient.send(toMember: memberId, method: .post, path: "/catalog/request", body: body,
                                                           maxBodyBytes: pageLimit, deadline: deadline - ContinuousClock.now)
                }
            } catch let PeerError.exchange(.invalidResponse(_, parse)) where parse.status.code == 413 {
                throw exceeded(pageLimit < bounds.maxPageBytes ? .bytes : .pageBytes, budget: budget, memberId: memberId)
            } catch {
                throw PeerCatalogError(member: memberId, reason: error.description)
            }
            guard response.member.id == memberId else {
                throw PeerCatalogError(member: memberId, reason: "a next-page link pointed at member '\(response.member.id)'")
            }
            let datasets = Self.flatten(try decode(response, memberId: memberId))
            if let bound = budget.read(pageBytes: response.body.count, pageDatasets: datasets.count) {
                throw exceeded(bound, budget: budget, memberId: memberId)
            }
            do {
                try take(datasets)
            } catch {
                throw PeerCatalogError(member: memberId, reason: "storing a page failed: \(error)")
            }
            next = LinkHeader.target(response.headers["Link"], relation: "next")
            if let url = next, !seen.insert(url).inserted {
                throw PeerCatalogError(member: memberId, reason: "the catalog's next-page links loop")
            }
        } while next != nil
        return (budget.datasets, budget.pages)
    }

    /// Every dataset of `memberId`'s catalog in memory (bounded by `bounds`), for a live look at one peer.
    func fetch(memberId: String, filter: CatalogFilter = CatalogFilter()) throws(PeerCatalogError) -> (datasets: [Dataset], pages: Int) {
        var all: [Dataset] = []
        let counts = try fetch(memberId: memberId, filter: filter) { all += $0 }
        return (all, counts.pages)
    }

    private func exceeded(_ bound: CrawlBound, budget: CrawlBudget, memberId: String) -> PeerCatalogError {
        PeerCatalogError(member: memberId, reason: "the catalog passed the crawl bound '\(bound.rawValue)' (at most "
            + "\(budget.limit(of: bound))) after \(budget.pages) pages, \(budget.datasets) datasets and \(budget.bytes) bytes; "
            + "the crawl of this member stopped", bound: bound)
    }

    private func decode(_ response: PeerResponse, memberId: String) throws(PeerCatalogError) -> Catalog {
        guard response.status.code == 200 else {
            let reasons = (try? DSPJSON.decode(CatalogError.self, from: Data(response.body)))
                .map { ($0.code.map { [$0] } ?? []) + $0.reason } ?? []
            throw PeerCatalogError(member: memberId, reason: "answered \(response.status.code)"
                + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")))
        }
        do {
            return try DSPJSON.decode(Catalog.self, from: Data(response.body))
        } catch {
            throw PeerCatalogError(member: memberId, reason: "the answer is not a DSP Catalog: \(DSPBodyDecoder.explain(error))")
        }
    }

    static func flatten(_ catalog: Catalog) -> [Dataset] {
        catalog.dataset + catalog.catalog.flatMap(flatten)
    }
}
