import Foundation
import VerbundDataspace
import VerbundHTTP

/// Why a peer's catalog could not be read.
public struct PeerCatalogError: Error, Sendable, CustomStringConvertible {
    public let member: String
    public let reason: String

    public var description: String { "catalog of member '\(member)': \(reason)" }
}

/// Reads a peer's whole catalog: `POST <endpoint>/catalog/request`, then every `Link: rel="next"` page (the same
/// message is posted to each), over the connector's mTLS peer client. Blocking; call it from a plain thread.
struct PeerCatalogFetcher {
    /// Refuses catalogs beyond this many pages (a peer's paging loop must not keep a crawler busy forever).
    static let maxPages = 2_000
    static let maxPageBytes = 16 << 20

    let context: ConnectorContext

    /// Every dataset of `memberId`'s catalog for us (nested catalogs flattened) and the number of pages read.
    func fetch(memberId: String, filter: CatalogFilter = CatalogFilter()) throws(PeerCatalogError) -> (datasets: [Dataset], pages: Int) {
        let body: [UInt8]
        do {
            body = Array(try DSPJSON.encode(CatalogRequestMessage(filter: filter.elements)))
        } catch {
            throw PeerCatalogError(member: memberId, reason: "encoding the request failed: \(error)")
        }
        var datasets: [Dataset] = []
        var seen: Set<String> = []
        var next: String?
        var pages = 0
        repeat {
            let response: PeerResponse
            do {
                if let url = next {
                    response = try context.peerClient.send(toURL: url, method: .post, body: body, maxBodyBytes: Self.maxPageBytes)
                } else {
                    response = try context.peerClient.send(toMember: memberId, method: .post, path: "/catalog/request", body: body,
                                                           maxBodyBytes: Self.maxPageBytes)
                }
            } catch {
                throw PeerCatalogError(member: memberId, reason: error.description)
            }
            guard response.member.id == memberId else {
                throw PeerCatalogError(member: memberId, reason: "a next-page link pointed at member '\(response.member.id)'")
            }
            let catalog = try decode(response, memberId: memberId)
            datasets += Self.flatten(catalog)
            pages += 1
            next = LinkHeader.target(response.headers["Link"], relation: "next")
            if let url = next {
                guard seen.insert(url).inserted, pages < Self.maxPages else {
                    throw PeerCatalogError(member: memberId, reason: "the catalog's next-page links loop or exceed \(Self.maxPages) pages")
                }
            }
        } while next != nil
        return (datasets, pages)
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
