import Dispatch
import Foundation
import Synchronization

/// Cuts a socket off when its total deadline passes, whatever its owner is blocked in: a read that OpenSSL keeps
/// retrying while a peer trickles a TLS record byte by byte, a write to a peer that reads one byte now and then.
/// Per-read timeouts alone bound none of these (issue 9: one byte every 20 s under a 30 s read timeout).
///
/// One thread for the whole process, started on first use; it sleeps until the earliest deadline or a new one.
/// The owner arms a deadline, does its blocking work, and disarms: `disarm` says whether the deadline fired, so the
/// owner can report a timeout instead of the connection error the shutdown caused.
final class SocketWatchdog: Sendable {
    static let shared = SocketWatchdog()

    struct Ticket: Sendable, Hashable {
        fileprivate let id: Int
    }

    private struct State {
        var schedule = DeadlineSchedule<Ticket>()
        var sockets: [Ticket: Socket] = [:]
        var nextID = 0
        var running = false
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    private init() {}

    /// Shuts `socket` down at `deadline` unless disarmed before.
    func arm(_ socket: Socket, at deadline: ContinuousClock.Instant) -> Ticket {
        let (ticket, start) = state.withLock { state -> (Ticket, Bool) in
            let ticket = Ticket(id: state.nextID)
            state.nextID += 1
            state.schedule.arm(ticket, at: deadline)
            state.sockets[ticket] = socket
            defer { state.running = true }
            return (ticket, !state.running)
        }
        if start {
            let thread = Thread { [self] in watch() }
            thread.stackSize = 256 * 1024
            thread.start()
        } else {
            wakeUp.signal()  // the new deadline may be the earliest
        }
        return ticket
    }

    /// Returns true when the deadline had already fired (the socket was shut down).
    @discardableResult
    func disarm(_ ticket: Ticket) -> Bool {
        state.withLock { state in
            state.sockets.removeValue(forKey: ticket)
            return !state.schedule.disarm(ticket)
        }
    }

    private func watch() {
        while true {
            let (due, next) = state.withLock { state -> ([Socket], ContinuousClock.Instant?) in
                let expired = state.schedule.expire(at: .now)
                return (expired.compactMap { state.sockets.removeValue(forKey: $0) }, state.schedule.next)
            }
            for socket in due { socket.shutdownBoth() }
            let wait = next.map { $0 - .now } ?? .seconds(60)
            let milliseconds = max(1, min(Int(wait.components.seconds) * 1000 + Int(wait.components.attoseconds / 1_000_000_000_000_000) + 1, 60_000))
            _ = wakeUp.wait(timeout: .now() + .milliseconds(milliseconds))
        }
    }
}
