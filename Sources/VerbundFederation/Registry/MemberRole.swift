import Foundation

/// What a member may do in the data space.
package enum MemberRole: String, Codable, Sendable, CaseIterable, Comparable {
    /// Publishes datasets and answers negotiations.
    case provider
    /// Negotiates for and fetches other members' datasets.
    case consumer

    package static func < (lhs: MemberRole, rhs: MemberRole) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Parses a comma-separated list such as `provider,consumer`; nil names the first unknown word.
    package static func parseList(_ text: String) -> Result<[MemberRole], RoleListError> {
        var roles: Set<MemberRole> = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = word.trimmingCharacters(in: .whitespaces)
            guard let role = MemberRole(rawValue: trimmed) else { return .failure(RoleListError(word: trimmed)) }
            roles.insert(role)
        }
        return .success(roles.sorted())
    }
}

/// An unknown word in a role list.
package struct RoleListError: Error, Sendable, Equatable, CustomStringConvertible {
    package let word: String
    package var description: String {
        "unknown role '\(word)'; roles are \(MemberRole.allCases.map(\.rawValue).joined(separator: ", "))"
    }
}
