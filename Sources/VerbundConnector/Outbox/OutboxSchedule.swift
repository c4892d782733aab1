import Foundation

/// Which outbox messages go out now, as a value: the dispatcher (`OutboxDispatcher`) feeds it events — due messages
/// read at a time, a delivery finished, a failed attempt that could not be recorded, a stop — and does what the
/// returned actions say (deliver, read again, sleep until, hold). It reads no clock and starts no thread; time is
/// passed in. Shaped after the connection-pool state machine of async-http-client
/// (`HTTPConnectionPool+StateMachine.swift`): events in, actions out.
///
/// Limits, all at once:
/// - a **lane** (one destination and correlation, i.e. one DSP process; or one destination for messages without a
///   correlation) has at most one message in flight, so a process's messages arrive in order (DSP orders messages
///   only within a process);
/// - a **peer** (one destination origin) has at most `perPeer` messages in flight, so one member that answers slowly
///   holds at most that many delivery slots and never all of them;
/// - at most `parallel` deliveries run in total.
struct OutboxSchedule: Sendable {
    struct Limits: Sendable, Equatable {
        /// Deliveries in flight at once.
        var parallel: Int
        /// Deliveries in flight to one destination origin.
        var perPeer: Int
        /// Due messages read per pass (beyond those in flight, which the read may return again).
        var batchSize: Int
        /// Longest sleep when nothing is due (messages enqueued by another process).
        var maximumIdle: TimeInterval
        /// How long a message whose failed attempt could not be recorded is held back, so it is not resent in a tight
        /// loop while its schedule in the database still says "due".
        var hold: TimeInterval
        /// The total time one delivery may take, from connecting to the last byte of the answer.
        var deliveryDeadline: TimeInterval
    }

    /// A due message as the schedule sees it.
    struct Message: Sendable, Hashable {
        let id: String
        /// Destination origin plus correlation; see the type's documentation.
        let lane: String
        /// Destination origin, e.g. `https://127.0.0.1:8443/`.
        let peer: String
    }

    /// What to read next: up to `limit` due messages, leaving out those to `skippingPeers` (their slots are all
    /// taken, so reading them would only crowd other peers' messages out of the batch).
    struct Read: Sendable, Equatable {
        let limit: Int
        let skippingPeers: Set<String>
    }

    enum Action: Sendable, Equatable {
        /// Deliver `message`, and give up on the attempt at `deadline`.
        case deliver(Message, deadline: Date)
        /// The batch was full and deliveries started: read due messages again at once.
        case readAgain
        /// Nothing more to start now: sleep until `until`, or until woken by an enqueue or a finished delivery.
        case sleep(until: Date)
        /// Do not deliver `id` before `until` (its failed attempt could not be recorded).
        case hold(id: String, until: Date)
    }

    let limits: Limits
    private(set) var inFlight: [String: Message] = [:]
    private var busyLanes: Set<String> = []
    private var peerLoad: [String: Int] = [:]
    private var held: [String: Date] = [:]
    private(set) var stopping = false

    init(limits: Limits) {
        self.limits = limits
    }

    /// Deliveries in flight to `peer`.
    func load(of peer: String) -> Int { peerLoad[peer] ?? 0 }

    /// What to read now, or nil when every slot is taken (wait for a delivery to finish) or a stop was asked for.
    var nextRead: Read? {
        guard !stopping, inFlight.count < limits.parallel else { return nil }
        let full = peerLoad.filter { $0.value >= limits.perPeer }.keys
        return Read(limit: limits.batchSize + inFlight.count, skippingPeers: Set(full))
    }

    /// Event: `messages` are due at `now` (oldest schedule first, as read with `nextRead`), and `nextAttempt` is when the
    /// earliest message not yet due falls due. Starts a delivery for each message whose lane and peer have room, up to
    /// `parallel`, and ends with `readAgain` or `sleep`.
    mutating func due(_ messages: [Message], readLimit: Int, nextAttempt: Date?, now: Date) -> [Action] {
        var actions: [Action] = []
        for message in messages {
            if let until = held[message.id] {
                guard until <= now else { continue }
                held[message.id] = nil
            }
            guard !stopping, inFlight.count < limits.parallel, inFlight[message.id] == nil,
                  !busyLanes.contains(message.lane), load(of: message.peer) < limits.perPeer else { continue }
            inFlight[message.id] = message
            busyLanes.insert(message.lane)
            peerLoad[message.peer, default: 0] += 1
            actions.append(.deliver(message, deadline: now.addingTimeInterval(limits.deliveryDeadline)))
        }
        if !actions.isEmpty, messages.count >= readLimit, inFlight.count < limits.parallel {
            return actions + [.readAgain]
        }
        return actions + [.sleep(until: wakeTime(nextAttempt: nextAttempt, now: now))]
    }

    /// When to look again: the next scheduled attempt, the end of a hold, or `maximumIdle` — whichever is first.
    /// Messages due now that wait for a busy lane or peer need no timer: their blocker's end wakes the dispatcher.
    func wakeTime(nextAttempt: Date?, now: Date) -> Date {
        var until = now.addingTimeInterval(limits.maximumIdle)
        if let nextAttempt { until = min(until, max(nextAttempt, now)) }
        if let release = held.values.min() { until = min(until, max(release, now)) }
        return until
    }

    /// Event: the delivery of `id` ended (whatever the outcome). Frees its lane and peer slot; returns whether a read
    /// should follow (a message waiting for that lane or peer may go now).
    @discardableResult
    mutating func finished(id: String) -> Bool {
        guard let message = inFlight.removeValue(forKey: id) else { return false }
        busyLanes.remove(message.lane)
        if let load = peerLoad[message.peer], load > 1 { peerLoad[message.peer] = load - 1 } else { peerLoad[message.peer] = nil }
        return !stopping
    }

    /// Event: the failed attempt of `id` could not be recorded (the database refused the write).
    mutating func failureNotRecorded(id: String, now: Date) -> Action {
        let until = now.addingTimeInterval(limits.hold)
        held[id] = until
        return .hold(id: id, until: until)
    }

    /// Event: stop. No delivery starts any more; returns whether deliveries are still in flight (to wait for).
    mutating func stop() -> Bool {
        stopping = true
        held.removeAll()
        return !inFlight.isEmpty
    }

    /// Event: started again after a stop (nothing is in flight then).
    mutating func restart() {
        stopping = false
    }
}
