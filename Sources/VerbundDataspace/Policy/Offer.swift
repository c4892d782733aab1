/// An ODRL Offer as profiled by DSP 2025-1. Inside a catalog or dataset it has no `target` (the enclosing
/// dataset is the target, DSP 2025-1, Catalog Protocol, ACK - Dataset); inside a negotiation message it names the dataset in `target`.
package struct Offer: Policy, Hashable {
    package var id: String
    package var target: String?
    package var assigner: String?
    package var assignee: String?
    package var profile: [String]
    package var permission: [Rule]
    package var prohibition: [Rule]
    package var obligation: [Rule]

    package init(
        id: String, target: String? = nil, assigner: String? = nil, assignee: String? = nil, profile: [String] = [],
        permission: [Rule] = [], prohibition: [Rule] = [], obligation: [Rule] = []
    ) {
        self.id = id
        self.target = target
        self.assigner = assigner
        self.assignee = assignee
        self.profile = profile
        self.permission = permission
        self.prohibition = prohibition
        self.obligation = obligation
    }

    /// The same offer for use inside a message about `dataset`.
    package func targeting(_ dataset: String) -> Offer {
        var copy = self
        copy.target = dataset
        return copy
    }

    /// The same offer for a catalog listing, where `target` is forbidden.
    package var withoutTarget: Offer {
        var copy = self
        copy.target = nil
        return copy
    }
}

extension Offer: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        // A catalog Offer may omit `@type` (the 2025-1 schema requires it only in messages); if present it must match.
        if keyed.contains("@type") { try keyed.requireType("Offer") }
        id = try keyed.string("@id")
        target = try keyed.optionalString("target")
        assigner = try keyed.optionalString("assigner")
        assignee = try keyed.optionalString("assignee")
        (profile, permission, prohibition, obligation) = try keyed.rules()
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encode(id, forKey: "@id")
        try keyed.encode("Offer", forKey: "@type")
        try keyed.encodeIfPresent(target, forKey: "target")
        try keyed.encodeIfPresent(assigner, forKey: "assigner")
        try keyed.encodeIfPresent(assignee, forKey: "assignee")
        try keyed.encodeRules(profile: profile, permission: permission, prohibition: prohibition, obligation: obligation)
    }
}
