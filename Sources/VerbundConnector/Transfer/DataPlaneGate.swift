import Foundation
import Synchronization

/// Stops data that is already flowing. A response streaming a dataset checks the gate before every 64 KiB it reads
/// (`ReadableFile`'s read gate): a transfer that was suspended, terminated or completed, or whose member was revoked,
/// is cut at once; and every `recheckInterval` the full policy is evaluated again (a contract that expires mid-way).
final class DataPlaneGate: Sendable {
    /// Why the stream stopped; thrown from the read gate, which makes the server close the connection.
    struct Cut: Error, CustomStringConvertible {
        let description: String
    }

    private let closed = Mutex<[String: String]>([:])
    let recheckInterval: Duration
    /// Bandwidth cap per response (nil: as fast as the network goes); operators use it to keep a transfer from
    /// saturating a city's uplink.
    let maxBytesPerSecond: Int?

    init(recheckInterval: Duration = .seconds(1), maxBytesPerSecond: Int? = nil) {
        self.recheckInterval = recheckInterval
        self.maxBytesPerSecond = maxBytesPerSecond.flatMap { $0 > 0 ? $0 : nil }
    }

    /// No more bytes for the transfer `pid` (until `reopen`).
    func cut(_ pid: String, reason: String) {
        closed.withLock { $0[pid] = reason }
    }

    /// The transfer runs again (restarted after a suspension).
    func reopen(_ pid: String) {
        _ = closed.withLock { $0.removeValue(forKey: pid) }
    }

    /// A read gate for one response: cheap checks on every read, `recheck` (policy and state from the store) at most
    /// once per interval.
    func readGate(pid: String, recheck: @escaping @Sendable () throws -> Void) -> @Sendable (Int) throws -> Void {
        let last = Mutex(ContinuousClock.now)
        let pace = Mutex<(began: ContinuousClock.Instant, first: Int)?>(nil)
        let interval = recheckInterval
        let rate = maxBytesPerSecond
        return { [self] offset in
            if let reason = closed.withLock({ $0[pid] }) { throw Cut(description: "transfer \(pid) stopped: \(reason)") }
            if let rate {
                let (began, first) = pace.withLock { pace in
                    if pace == nil { pace = (ContinuousClock.now, offset) }
                    return pace!
                }
                let due = began + .seconds(Double(offset - first) / Double(rate))
                if due > ContinuousClock.now { Thread.sleep(forTimeInterval: (due - ContinuousClock.now).seconds) }
            }
            let due = last.withLock { last -> Bool in
                guard ContinuousClock.now - last >= interval else { return false }
                last = ContinuousClock.now
                return true
            }
            if due { try recheck() }
        }
    }
}
