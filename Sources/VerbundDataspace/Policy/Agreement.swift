import Foundation

/// An ODRL Agreement as profiled by DSP 2025-1: exactly one target dataset, the provider as `assigner`, the
/// consumer as `assignee`, and the moment of agreement as `timestamp` (an `xsd:dateTime`;
/// DSP 2025-1, Contract Negotiation Protocol, Contract Agreement Message).
package struct Agreement: Policy, Hashable {
    package var id: String
    package var target: String
    package var assigner: String
    package var assignee: String
    /// As written on the wire; see `agreedAt` for the parsed instant.
    package var timestamp: String?
    package var profile: [String]
    package var permission: [Rule]
    package var prohibition: [Rule]
    package var obligation: [Rule]
    /// The purpose the consumer stated and the provider accepted, as the extension property
    /// `https://w3id.org/verbund/v1/purpose` (a full IRI, so a plain DSP peer just keeps it): inside the agreement both
    /// parties sign. Compared with `Purpose.matches`.
    package var purpose: String?

    package init(
        id: String, target: String, assigner: String, assignee: String, timestamp: Date?, profile: [String] = [],
        permission: [Rule] = [], prohibition: [Rule] = [], obligation: [Rule] = [], purpose: String? = nil
    ) {
        self.id = id
        self.target = target
        self.assigner = assigner
        self.assignee = assignee
        self.timestamp = timestamp.map(XSDDateTime.format)
        self.profile = profile
        self.permission = permission
        self.prohibition = prohibition
        self.obligation = obligation
        self.purpose = purpose
    }

    /// Makes the agreement that accepts `offer` as it stands: same rules, the offer's target.
    package init(id: String, accepting offer: Offer, dataset: String, assigner: String, assignee: String, at time: Date,
                purpose: String? = nil) {
        self.init(
            id: id, target: dataset, assigner: assigner, assignee: assignee, timestamp: time, profile: offer.profile,
            permission: offer.permission, prohibition: offer.prohibition, obligation: offer.obligation, purpose: purpose)
    }

    /// The bytes Verbund signs (docs/auditor.md, "What is signed"): the agreement with its values normalised, in the
    /// canonical JSON form of RFC 8785. Decoding these bytes and calling this again gives the same bytes. (An agreement
    /// holding a number with a fraction, which has no canonical form here, keeps the sorted-keys encoding.)
    package func signingPayload() throws -> Data {
        let encoded = try DSPJSON.encode(normalized())
        guard let value = try? CanonicalJSON.parsePeerJSON(encoded), let canonical = try? CanonicalJSON.encode(value) else {
            return encoded
        }
        return Data(canonical)
    }

    /// The parsed `timestamp`, from which `elapsedTime` is measured.
    package var agreedAt: Date? {
        timestamp.flatMap(XSDDateTime.parse)
    }
}

extension Agreement: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        try keyed.requireType("Agreement")
        id = try keyed.string("@id")
        target = try keyed.string("target")
        assigner = try keyed.string("assigner")
        assignee = try keyed.string("assignee")
        timestamp = try keyed.optionalString("timestamp")
        (profile, permission, prohibition, obligation) = try keyed.rules()
        purpose = try keyed.optionalString(DSPVocabulary.purposeProperty)
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encode(id, forKey: "@id")
        try keyed.encode("Agreement", forKey: "@type")
        try keyed.encode(target, forKey: "target")
        try keyed.encode(assigner, forKey: "assigner")
        try keyed.encode(assignee, forKey: "assignee")
        try keyed.encodeIfPresent(timestamp, forKey: "timestamp")
        try keyed.encodeRules(profile: profile, permission: permission, prohibition: prohibition, obligation: obligation)
        try keyed.encodeIfPresent(purpose, forKey: JSONKey(DSPVocabulary.purposeProperty))
    }
}

/// How stated purposes compare (docs/policies.md): case-insensitively (Unicode default lower-case mapping) and by
/// canonical equivalence, i.e. as equal after Unicode normalisation to NFC — Swift's `String` equality is canonical
/// equivalence — so "Verkehrsplanung", "verkehrsplanung" and a decomposed "Straßenbau" all match their spellings.
package enum Purpose {
    package static func matches(_ lhs: String, _ rhs: String) -> Bool {
        lhs.lowercased() == rhs.lowercased()
    }
}
