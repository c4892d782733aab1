import Dispatch
import Foundation
import Synchronization
import VerbundFederation

/// One entry of `GET /api/peers`: a member of the registry held, and how reaching it went.
package struct PeerReport: Codable, Sendable, Equatable {
    package var id: String
    package var participantId: String
    package var name: String
    package var endpoint: String
    package var status: String
    package var roles: [String]
    /// nil when this process never talked to the member (and `probe` was not asked for).
    package var reachable: Bool?
    package var lastContact: Date?
    package var lastError: String?

    /// Every other member; with `probe`, active members are asked for `/.well-known/dspace-version` first
    /// (in parallel, bounded by the client's timeouts).
    static func make(context: ConnectorContext, probe: Bool) -> [PeerReport] {
        let peers = context.peers.peers
        if probe {
            let active = peers.filter { $0.status == .active }
            DispatchQueue.concurrentPerform(iterations: active.count) { index in
                _ = try? context.peerClient.send(toMemberRoot: active[index].id, method: .get, path: "/.well-known/dspace-version")
            }
        }
        let contacts = context.peerClient.lastContacts
        return peers.map { member in
            let contact = contacts[member.id]
            return PeerReport(id: member.id, participantId: member.participantId, name: member.name, endpoint: member.endpoint,
                              status: member.status.rawValue, roles: member.roles.map(\.rawValue), reachable: contact?.reached,
                              lastContact: contact?.at, lastError: contact?.error)
        }
    }
}

/// The answer of `POST /api/outbox/retry`: how many pending messages were made due now.
package struct OutboxRetryReport: Codable, Sendable, Hashable {
    package var member: String?
    package var rescheduled: Int
}
