/// An ODRL Offer as profiled by DSP 2025-1. Inside a catalog or dataset it has no `target` (the enclosing
/// dataset is the target, DSP 2025-1, Catalog Protocol, ACK - Dataset); inside a negotiation message it names the dataset in `target`.
public struct Offer: Policy, Hashable {
    public var id: String
    public var target: String?
    public var assigner: String?
    public var assignee: String?
    public var profile: [String]
    public var permission: [Rule]
    public var prohibition: [Rule]
    public var obligation: [Rule]

    public init(
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
    public func targeting(_ dataset: String) -> Offer {
        var copy = self
        copy.target = dataset
        return copy
    }

    /// The same offer for a catalog listing, where `target` is forbidden.
    public var withoutTarget: Offer {
        var copy = self
        copy.target = nil
        return copy
    }
}

extension Offer: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        // A catalog Offer may omit `@type` (the 2025-1 schema requires it only in messages); if present it must match.
        if keyed.contains("@type") { try keyed.requireType("Offer") }
        id = try keyed.string("@id")
        target = try keyed.optionalString("target")
        assigner = try keyed.optionalString("assigner")
        assignee = try keyed.optionalString("assignee")
        (profile, permission, prohibition, obligation) = try keyed.rules()
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encode(id, forKey: "@id")
        try keyed.encode("Offer", forKey: "@type")
        try keyed.encodeIfPresent(target, forKey: "target")
        try keyed.encodeIfPresent(assigner, forKey: "assigner")
        try keyed.encodeIfPresent(assignee, forKey: "assignee")
        try keyed.encodeRules(profile: profile, permission: permission, prohibition: prohibition, obligation: obligation)
    }
}
