import Foundation
import VerbundDataspace

/// A usage policy as a data steward writes it: the ODRL part of an Offer in DSP's compact form, e.g.
/// `{"permission":[{"action":"use","constraint":[{"leftOperand":"count","operator":"lteq","rightOperand":5}]}]}`.
/// `@id` and `@type` may be left out; a `target` is dropped (in a catalog the dataset is the target).
package enum CatalogPolicyFile {
    /// The policy when none is given: `use`, for members only. Only members admitted by the federation trust ever reach
    /// the DSP listener, so an unconstrained `use` permission is exactly "members of the federation".
    package static func defaultOffer(id: String) -> Offer {
        Offer(id: id, permission: [Rule(action: "use")])
    }

    /// Parses `value` into a normalised, validated offer. Unsupported parts are refused with their position.
    package static func offer(from value: JSONValue, defaultID: String) throws(CatalogPublishError) -> Offer {
        guard var object = value.objectValue else {
            throw .malformedPolicy("expected a JSON object with \"permission\" (and optionally \"prohibition\")")
        }
        if object["@id"] == nil { object["@id"] = .string(defaultID) }
        if let type = object["@type"]?.stringValue, type != "Offer", type != "odrl:Offer" {
            throw .malformedPolicy("\"@type\" is \"\(type)\"; a published policy is an Offer")
        }
        object["@type"] = nil
        let offer: Offer
        do {
            let data = try JSONEncoder().encode(JSONValue.object(object))
            offer = try DSPJSON.decode(Offer.self, from: data)
        } catch {
            throw .malformedPolicy(DSPBodyDecoder.explain(error))
        }
        let normalized = offer.normalized().withoutTarget
        do {
            try PolicyValidator.validate(normalized)
        } catch {
            throw .unsupportedPolicy(error)
        }
        return normalized
    }
}
