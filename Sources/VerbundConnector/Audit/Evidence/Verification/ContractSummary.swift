import Foundation
import VerbundAudit
import VerbundDataspace
import VerbundFederation
import VerbundTrust

/// What an evidence bundle says about its contract, in the terms an auditor reads: who (by name and AGS), what
/// dataset, under which rules, when, and which data moved. Filled only from signed or hashed material.
package struct ContractSummary: Sendable, Equatable, Codable {
    package struct Party: Sendable, Equatable, Codable {
        package let participantId: String
        package let memberId: String?
        package let name: String?
        package let ags: String?
    }

    package struct LoggedEvent: Sendable, Equatable, Codable {
        package let index: Int
        package let kind: String
        package let at: Date?
        /// For transfers: bytes moved and their SHA-256, when the entry records them.
        package let bytes: Int64?
        package let sha256: String?
    }

    package let agreementId: String
    package let provider: Party
    package let consumer: Party
    package let dataset: String
    /// The permissions, prohibitions and obligations in plain words.
    package let rules: String
    /// The purpose the provider accepted, from inside the signed agreement; nil when the agreement names none.
    package let purpose: String?
    package let signedAt: Date?
    package let events: [LoggedEvent]
    package let treeSize: Int
    package let treeHeadAt: Date

    /// Events that record moved data (bytes and a digest).
    package var transfers: [LoggedEvent] { events.filter { $0.bytes != nil } }

    /// A few lines of plain language.
    package var text: String {
        func party(_ party: Party) -> String {
            var words = party.name ?? party.memberId ?? party.participantId
            if let ags = party.ags { words += " (AGS \(ags))" }
            return words + " — \(party.participantId)"
        }
        var lines = [
            "Contract \(agreementId)",
            "  Provider (assigner): \(party(provider))",
            "  Consumer (assignee): \(party(consumer))",
            "  Dataset:             \(dataset)",
            "  Terms:               \(rules)",
            "  Purpose:             \(purpose ?? "none stated in the agreement")",
            "  Signed:              \(signedAt.map(Self.format) ?? "no timestamp in the agreement")",
        ]
        if transfers.isEmpty {
            lines.append("  Transfers:           none recorded in the bundle")
        } else {
            lines.append("  Transfers:")
            for transfer in transfers {
                lines.append("    - \(transfer.at.map(Self.format) ?? "?")  \(transfer.kind): \(transfer.bytes ?? 0) bytes, sha-256 \(transfer.sha256 ?? "not recorded")")
            }
        }
        lines.append("  Log entries:         \(events.count) (\(Set(events.map(\.kind)).sorted().joined(separator: ", ")))")
        lines.append("  Tree head:           size \(treeSize), signed \(Self.format(treeHeadAt))")
        return lines.joined(separator: "\n")
    }

    static func format(_ date: Date) -> String {
        InternetDateTime.string(from: date)
    }

    static func party(_ participantId: String, in registry: MemberRegistry?) -> Party {
        let member = registry?.member(participantId: participantId)
        return Party(participantId: participantId, memberId: member?.id, name: member?.name, ags: member?.ags?.digits)
    }

    static func event(index: Int, value: JSONValue) -> LoggedEvent {
        let fields = value["fields"]
        return LoggedEvent(
            index: index, kind: value["kind"]?.stringValue ?? "?",
            at: value["at"]?.integerValue.map { Date(timeIntervalSince1970: Double($0) / 1000) },
            bytes: fields?["bytes"]?.integerValue, sha256: fields?["sha256"]?.stringValue)
    }
}
