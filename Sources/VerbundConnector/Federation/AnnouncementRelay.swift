import Synchronization
import VerbundFederation

/// Carries what peers announce in `Verbund-Registry-Serial` / `Verbund-CRL-Number` — on responses to our requests and
/// on requests they send us — to whoever acts on it (the daemon's `FederationSync`). Without a receiver (a context in
/// a unit test) announcements are dropped.
public final class AnnouncementRelay: Sendable {
    public typealias Receiver = @Sendable (Member, FederationHeaders.Announcement) -> Void

    private let receiver = Mutex<Receiver?>(nil)

    public init() {}

    public func setReceiver(_ newReceiver: Receiver?) {
        receiver.withLock { $0 = newReceiver }
    }

    /// Called on connection threads; the receiver must return quickly.
    public func report(_ member: Member, _ announcement: FederationHeaders.Announcement) {
        guard announcement.registrySerial != nil || announcement.crlNumber != nil else { return }
        receiver.withLock { $0 }?(member, announcement)
    }
}
