import Foundation
import Synchronization

/// Stops data that is already flowing and keeps one transfer within its one copy. A response streaming a dataset
/// checks the gate before every 64 KiB it reads (`ReadableFile`'s read gate): a transfer that was suspended,
/// terminated or completed, or whose member was revoked, is cut at once; and every `recheckInterval` the full policy
/// is evaluated again (a contract that expires mid-way). Because a client that stopped reading blocks the server in a
/// write, where no read gate runs, `cut` also aborts the connections of the transfer's running responses.
final class DataPlaneGate: Sendable {
    /// Why the stream stopped; thrown from the read gate, which makes the server close the connection.
    struct Cut: Error, CustomStringConvertible {
        let description: String
    }

    private struct Streams {
        /// Bytes admitted responses may still send, per transfer (not yet added to the stored `bytes`).
        var reserved: [String: Int] = [:]
        /// Each running response's connection, per transfer: how to abort it, and why its peer would not be admitted
        /// now (nil: still admitted).
        var aborts: [String: [Int: Connection]] = [:]
        var nextId = 0
    }

    private struct Connection {
        let abort: @Sendable () -> Void
        let refusal: @Sendable () -> String?
    }

    private let closed = Mutex<[String: String]>([:])
    private let streams = Mutex(Streams())
    let recheckInterval: Duration
    /// Bandwidth cap per response (nil: as fast as the network goes); operators use it to keep a transfer from
    /// saturating a city's uplink.
    let maxBytesPerSecond: Int?
    /// Bytes one transfer may send beyond one whole copy, so an interrupted download can resume (bytes lost in
    /// flight are sent again); never a second whole copy (`budget`).
    let resumeAllowance: Int

    init(recheckInterval: Duration = .seconds(1), maxBytesPerSecond: Int? = nil, resumeAllowance: Int = 32 << 20) {
        self.recheckInterval = recheckInterval
        self.maxBytesPerSecond = maxBytesPerSecond.flatMap { $0 > 0 ? $0 : nil }
        self.resumeAllowance = max(0, resumeAllowance)
    }

    /// The most one transfer may send of a dataset of `size` bytes: one copy plus the resumption allowance, which
    /// stays below one more copy (docs/policies.md, "What one use is").
    func budget(size: Int) -> Int {
        size + min(resumeAllowance, max(size - 1, 0))
    }

    /// No more bytes for the transfer `pid` (until `reopen`); running responses of it lose their connection now.
    func cut(_ pid: String, reason: String) {
        closed.withLock { $0[pid] = reason }
        let connections = streams.withLock { Array(($0.aborts[pid] ?? [:]).values) }
        for connection in connections { connection.abort() }
    }

    /// The transfer runs again (restarted after a suspension).
    func reopen(_ pid: String) {
        _ = closed.withLock { $0.removeValue(forKey: pid) }
    }

    // MARK: Running responses

    /// Bytes admitted responses of `pid` may still send.
    func reserved(_ pid: String) -> Int {
        streams.withLock { $0.reserved[pid] ?? 0 }
    }

    /// Reserves `bytes` of the budget of `pid` for a response being admitted (inside the admitting transaction, so
    /// two requests of one transfer cannot both take the same budget).
    func reserve(_ pid: String, bytes: Int) {
        guard bytes > 0 else { return }
        streams.withLock { $0.reserved[pid, default: 0] += bytes }
    }

    /// Returns reserved bytes: sent ones once stored, unsent ones when the response ended.
    func release(_ pid: String, bytes: Int) {
        guard bytes > 0 else { return }
        streams.withLock { streams in
            let left = (streams.reserved[pid] ?? 0) - bytes
            streams.reserved[pid] = left > 0 ? left : nil
        }
    }

    /// Registers how to abort a running response of `pid` and how to admit its peer again; aborts at once when the
    /// transfer is already cut.
    func attach(_ pid: String, abort: @escaping @Sendable () -> Void,
                refusal: @escaping @Sendable () -> String? = { nil }) -> Int {
        let id = streams.withLock { streams in
            streams.nextId += 1
            streams.aborts[pid, default: [:]][streams.nextId] = Connection(abort: abort, refusal: refusal)
            return streams.nextId
        }
        if closed.withLock({ $0[pid] }) != nil { abort() }
        return id
    }

    /// The transfers with a running response whose peer would not be admitted now (e.g. its certificate is on a new
    /// CRL), with the reason; the caller ends them, which cuts them.
    func refusedPeers() -> [(pid: String, reason: String)] {
        let all = streams.withLock { streams in
            streams.aborts.flatMap { pid, connections in connections.values.map { (pid, $0.refusal) } }
        }
        var refused: [String: String] = [:]
        for (pid, refusal) in all where refused[pid] == nil {
            if let reason = refusal() { refused[pid] = reason }
        }
        return refused.map { (pid: $0.key, reason: $0.value) }
    }

    func detach(_ pid: String, id: Int) {
        streams.withLock { streams in
            streams.aborts[pid]?[id] = nil
            if streams.aborts[pid]?.isEmpty == true { streams.aborts[pid] = nil }
        }
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
