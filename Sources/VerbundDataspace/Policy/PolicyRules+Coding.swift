// An Offer and an Agreement carry the same rule properties (ODRL 2.2 §2.1 Policy), coded the same way.

extension KeyedDecodingContainer where Key == JSONKey {
    /// `profile` (a string or a list) and the three rule lists, each empty when absent.
    func rules() throws -> (profile: [String], permission: [Rule], prohibition: [Rule], obligation: [Rule]) {
        (try stringList("profile"),
         try decodeIfPresent([Rule].self, forKey: "permission") ?? [],
         try decodeIfPresent([Rule].self, forKey: "prohibition") ?? [],
         try decodeIfPresent([Rule].self, forKey: "obligation") ?? [])
    }
}

extension KeyedEncodingContainer where Key == JSONKey {
    mutating func encodeRules(profile: [String], permission: [Rule], prohibition: [Rule], obligation: [Rule]) throws {
        if !profile.isEmpty { try encode(profile, forKey: "profile") }
        // The schemas want minItems 1, so empty rule lists are left out rather than written as [].
        if !permission.isEmpty { try encode(permission, forKey: "permission") }
        if !prohibition.isEmpty { try encode(prohibition, forKey: "prohibition") }
        if !obligation.isEmpty { try encode(obligation, forKey: "obligation") }
    }
}
