import Foundation
import VerbundDataspace
import VerbundStore

/// `OfferLookup` over the catalog module's `catalog_dataset` table (catalog migration 10): each row's `record` is a
/// `DatasetRecord` as JSON with its `offers`. Without the catalog module's tables no offer is known (fail closed).
package struct CatalogOffers: OfferLookup {
    package init() {}

    /// Only what negotiation needs of a `DatasetRecord`.
    private struct Entry: Decodable {
        let id: String
        let offers: [Offer]
    }

    package func offer(id: String, in transaction: Transaction) throws -> PublishedOffer? {
        guard try transaction.queryFirst(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalog_dataset'") != nil else { return nil }
        // The offer id appears in the record's JSON; the LIKE only narrows the rows that are decoded.
        let pattern = "%" + id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        for row in try transaction.query("SELECT record FROM catalog_dataset WHERE record LIKE ? ESCAPE '\\'", [.text(pattern)]) {
            guard let entry = try? JSONDecoder().decode(Entry.self, from: Data(try row.string("record").utf8)) else { continue }
            if let offer = entry.offers.first(where: { $0.id == id }) {
                return PublishedOffer(dataset: entry.id, offer: offer)
            }
        }
        return nil
    }
}
