/// A member's participant id: `urn:verbund:<federation>:<member>` in the certificate's SAN URI (docs/design.md §9).
package struct ParticipantID: Hashable, Sendable, CustomStringConvertible {
    package let federation: String
    package let member: String

    package init(federation: String, member: String) {
        self.federation = federation
        self.member = member
    }

    /// Parses `urn:verbund:<federation>:<member>`; nil for anything else.
    package init?(urn: String) {
        let parts = urn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "urn", parts[1] == "verbund",
              !parts[2].isEmpty, !parts[3].isEmpty else { return nil }
        self.init(federation: String(parts[2]), member: String(parts[3]))
    }

    /// A participant id whose federation and member parts are both well-formed identifiers.
    package init(validatingFederation federation: String, member: String) throws(IdentifierError) {
        try Identifier.check(federation, kind: "federation id")
        try Identifier.check(member, kind: "member id")
        self.init(federation: federation, member: member)
    }

    package var urn: String { "urn:verbund:\(federation):\(member)" }
    package var description: String { urn }
}
