import Foundation

/// The federation's member list (docs/design.md §11 "Federation"): the one source of truth for membership.
/// It is a plain value; `SignedRegistry` signs and verifies it.
package struct MemberRegistry: Codable, Sendable, Hashable {
    /// The federation itself.
    package struct Federation: Codable, Sendable, Hashable {
        package var id: String
        package var name: String

        package init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// The payload format, so a later format change is detected instead of misread.
    package var version: Int
    package var federation: Federation
    /// Strictly increases with every registry the admin signs; connectors refuse anything not higher than theirs.
    package var serial: UInt64
    package var issuedAt: Date
    package var members: [Member]

    package static let currentVersion = 1

    package init(federation: Federation, serial: UInt64, issuedAt: Date, members: [Member] = []) {
        self.version = Self.currentVersion
        self.federation = federation
        self.serial = serial
        self.issuedAt = RegistryClock.truncated(issuedAt)
        self.members = members
    }

    package func member(id: String) -> Member? { members.first { $0.id == id } }

    package func member(participantId: String) -> Member? { members.first { $0.participantId == participantId } }

    /// The member that lists a certificate with this fingerprint.
    package func member(certificateFingerprint fingerprint: String) -> Member? {
        members.first { $0.certificate(fingerprint: fingerprint) != nil }
    }

    /// The same registry under the next serial, issued at `now`, with `change` applied to its members.
    package func next(at now: Date, _ change: (inout [Member]) throws -> Void) rethrows -> MemberRegistry {
        var copy = self
        try change(&copy.members)
        copy.members.sort { $0.id < $1.id }
        copy.serial = serial + 1
        copy.issuedAt = RegistryClock.truncated(now)
        return copy
    }

    /// The canonical JSON payload that gets signed.
    package func canonicalJSON() throws -> [UInt8] { try RegistryJSON.encode(self) }
}
