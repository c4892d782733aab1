import Foundation
import VerbundDataspace

/// An offer the consumer did not read from the provider itself: another member that can see it in the provider's
/// catalog forwarded it (a catalog hides offers a member is not eligible for). The consumer requests it as it stands;
/// the provider checks that it is one of its published offers, unchanged, and evaluates its policy for the requester
/// as for any request — so a member outside the policy learns the provider's reason instead of a 404.
package enum ForwardedOffer {
    /// The offer prepared for a request about `dataset`: it must name itself (`@id`) and grant something (a
    /// permission), and a `target`, if it has one, must be that dataset (DSP 2025-1, Catalog Protocol,
    /// ACK - Dataset: in a catalog the enclosing dataset is the target). The result is normalised and targets `dataset`.
    package static func prepare(_ offer: Offer, dataset: String) throws(ForwardedOfferError) -> Offer {
        guard !offer.id.trimmingCharacters(in: .whitespaces).isEmpty else { throw .missingId }
        guard !dataset.isEmpty else { throw .missingDataset }
        guard !offer.permission.isEmpty else { throw .noPermission(offer.id) }
        if let target = offer.target, target != dataset {
            throw .otherTarget(offer: offer.id, target: target, dataset: dataset)
        }
        return offer.normalized().targeting(dataset)
    }
}

/// A forwarded offer that cannot be requested as it is.
package enum ForwardedOfferError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingId
    case missingDataset
    case noPermission(String)
    case otherTarget(offer: String, target: String, dataset: String)
    case otherId(offer: String, requested: String)

    package var description: String {
        switch self {
        case .missingId:
            return "the forwarded offer has no @id; copy the whole Offer object from the provider's catalog"
        case .missingDataset:
            return "a forwarded offer needs the dataset it is for"
        case let .noPermission(id):
            return "the forwarded offer \(id) has no permission, so it grants nothing to agree to"
        case let .otherTarget(offer, target, dataset):
            return "the forwarded offer \(offer) is for dataset \(target), not \(dataset)"
        case let .otherId(offer, requested):
            return "the forwarded offer is \(offer), but offer \(requested) was asked for; give one of them"
        }
    }
}
