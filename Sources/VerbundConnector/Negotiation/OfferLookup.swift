import Foundation
import Synchronization
import VerbundDataspace
import VerbundStore

/// An offer of this connector's catalog: the dataset it is for and the policy (without `target`, as in a catalog).
package struct PublishedOffer: Sendable, Hashable {
    package let dataset: String
    package let offer: Offer

    package init(dataset: String, offer: Offer) {
        self.dataset = dataset
        self.offer = offer.withoutTarget
    }
}

/// Where the provider side reads the offers it may agree to. The catalog module owns the catalog; negotiation only
/// needs to find an offer by id, inside the transaction that decides, so a withdrawn offer is never agreed to.
package protocol OfferLookup: Sendable {
    /// The published offer with this `@id`, or nil (unknown or withdrawn).
    func offer(id: String, in transaction: Transaction) throws -> PublishedOffer?
}

/// Offers registered in memory: for connectors that publish a fixed set (tests, the benchmark, a demo) and until a
/// catalog-backed lookup is wired in.
package final class RegisteredOffers: OfferLookup {
    private let offers = Mutex<[String: PublishedOffer]>([:])

    package init(_ offers: [PublishedOffer] = []) {
        for offer in offers { register(offer) }
    }

    /// Adds or replaces the offer with `offer.offer.id`.
    package func register(_ offer: PublishedOffer) {
        offers.withLock { $0[offer.offer.id] = offer }
    }

    package func withdraw(id: String) {
        offers.withLock { _ = $0.removeValue(forKey: id) }
    }

    package func offer(id: String, in transaction: Transaction) throws -> PublishedOffer? {
        offers.withLock { $0[id] }
    }

    /// Every offer of `dataset`.
    package func offers(dataset: String) -> [PublishedOffer] {
        offers.withLock { $0.values.filter { $0.dataset == dataset }.sorted { $0.offer.id < $1.offer.id } }
    }
}
