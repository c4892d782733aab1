import Foundation
import VerbundDataspace

/// One page of the catalog as a member sees it: only datasets with at least one offer visible to it, each with just
/// those offers, plus the cursors of the neighbouring pages if they have any datasets for the member.
struct CatalogPage: Sendable {
    var datasets: [(dataset: PublishedDataset, offers: [Offer])]
    var next: CatalogPageRequest?
    var previous: CatalogPageRequest?
}

/// Builds pages by scanning the store in cursor order and keeping what `eligibility` shows.
struct CatalogPager {
    let store: CatalogStore
    let eligibility: OfferEligibility
    let filter: CatalogFilter

    func page(_ request: CatalogPageRequest) throws -> CatalogPage {
        let backwards = request.before != nil
        var found = try collect(after: request.after, before: request.before, wanted: request.limit + 1)
        let more = found.count > request.limit
        if more { found.removeLast() }
        if backwards { found.reverse() }
        var page = CatalogPage(datasets: found, next: nil, previous: nil)
        let first = found.first?.dataset.sequence, last = found.last?.dataset.sequence
        if backwards {
            if more, let first { page.previous = CatalogPageRequest(limit: request.limit, before: first) }
            let boundary = last ?? (request.before! - 1)
            if try !collect(after: boundary, before: nil, wanted: 1).isEmpty {
                page.next = CatalogPageRequest(limit: request.limit, after: boundary)
            }
        } else {
            if more, let last { page.next = CatalogPageRequest(limit: request.limit, after: last) }
            if let after = request.after {
                let boundary = first ?? (after + 1)
                if try !collect(after: nil, before: boundary, wanted: 1).isEmpty {
                    page.previous = CatalogPageRequest(limit: request.limit, before: boundary)
                }
            }
        }
        return page
    }

    /// Up to `wanted` visible datasets from the cursor on (ascending after `after`, descending before `before`).
    private func collect(after: Int64?, before: Int64?, wanted: Int) throws -> [(dataset: PublishedDataset, offers: [Offer])] {
        var found: [(dataset: PublishedDataset, offers: [Offer])] = []
        var after = after, before = before
        let batch = max(wanted + wanted / 4, 8)
        while found.count < wanted {
            let rows = try store.scan(after: after, before: before, filter: filter, count: batch)
            for dataset in rows {
                let offers = eligibility.visibleOffers(of: dataset.record)
                if !offers.isEmpty { found.append((dataset, offers)) }
                if found.count == wanted { break }
            }
            guard rows.count == batch, let edge = rows.last?.sequence else { break }
            if before != nil { before = edge } else { after = edge }
        }
        return found
    }
}
