import Synchronization
import VerbundFederation

/// Carries what peers announce in `Verbund-Registry-Serial` / `Verbund-CRL-Number` — on responses to our requests and
/// on requests they send us — to whoever acts on it (the daemon's `FederationSync`). Without a receiver (a context in
/// a unit test) announcements are dropped.
package final class AnnouncementRelay: Sendable {
    package typealias Receiver = @Sendable (Member, FederationHeaders.Announcement) -> Void

    private let receiver = Mutex<Receiver?>(nil)

    package init() {}

    package func setReceiver(_ newReceiver: Receiver?) {
        receiver.withLock { $0 = newReceiver }
    }

    /// Called on connection threads; the receiver must return quickly.
    package func report(_ member: Member, _ announcement: FederationHeaders.Announcement) {
        guard announcement.registrySerial != nil || announcement.crlNumber != nil else { return }
        receiver.withLock { $0 }?(member, announcement)
    }
}
