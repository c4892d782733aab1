import Foundation
import VerbundConnector
import VerbundDataspace
import VerbundJSON

/// The file behind `verbund negotiate --offer-file`: an ODRL Offer another member saw in the provider's catalog.
/// Accepted as the Offer object itself (as inside a Dataset's `hasPolicy`), as one offer of `verbund catalog --json`
/// (`{"id", "terms", "policy"}`), or as a whole Dataset (`hasPolicy`) or catalog entry (`offers`), of which `--offer`
/// picks one when there are several.
enum ForwardedOfferFile {
    static func read(_ path: String, offerId: String?, dataset: String) throws(CLIError) -> Offer {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .refused(FileProblem.describe(path: path, what: "the offer file"))
        }
        let json: JSONValue
        do { json = try JSONProblem.decode(JSONValue.self, from: Array(data)) } catch {
            throw .refused("the offer file \(path) is not JSON: \(error)")
        }
        let candidates = offers(in: json)
        guard !candidates.isEmpty else {
            throw .refused("the offer file \(path) holds no ODRL Offer: expected an object with \"@id\" and "
                           + "\"permission\", or a Dataset with \"hasPolicy\", as `verbund catalog --json` prints them")
        }
        var offers: [Offer] = []
        for candidate in candidates {
            do {
                offers.append(try JSONDecoder().decode(Offer.self, from: try JSONEncoder().encode(candidate)))
            } catch {
                throw .refused("the offer file \(path) holds no valid ODRL Offer: \(JSONProblem.explain(error))")
            }
        }
        let chosen: Offer
        if let offerId {
            guard let match = offers.first(where: { $0.id == offerId }) else {
                throw .refused("the offer file \(path) has no offer \(offerId) (offers: \(offers.map(\.id).joined(separator: ", ")))")
            }
            chosen = match
        } else {
            guard offers.count == 1 else {
                throw .usage("the offer file \(path) holds \(offers.count) offers (\(offers.map(\.id).joined(separator: ", "))); "
                             + "pick one with --offer ID")
            }
            chosen = offers[0]
        }
        do {
            return try ForwardedOffer.prepare(chosen, dataset: dataset)
        } catch {
            throw .refused("the offer in \(path) cannot be requested: \(error)")
        }
    }

    /// The Offer objects in `json`, in the shapes listed above.
    private static func offers(in json: JSONValue) -> [JSONValue] {
        if let policies = json["hasPolicy"] {
            return policies.arrayValue ?? [policies]
        }
        if let entries = json["offers"]?.arrayValue {
            return entries.compactMap { $0["policy"] }
        }
        if let policy = json["policy"], policy.objectValue != nil {
            return [policy]
        }
        return json["@id"] != nil ? [json] : []
    }
}
