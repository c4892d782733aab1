import Dispatch
import Foundation

/// The threads that serve connections. A thread whose connection ended parks for the next one (up to `maxParked`
/// parked threads) instead of ending, so a new connection usually costs a wake-up rather than creating and ending a
/// thread — the transport benchmark put that at a fifth to a quarter of the server's CPU per TLS handshake.
///
/// It bounds nothing itself: the server's `ConnectionAdmission` admits at most `maxHandshakes` handshakes (plus as many
/// evicted ones not yet ended), `maxConnections` served and `maxRejections` refused connections at once, and every job
/// gets a thread at once (a parked one, else a new one).
final class ConnectionThreads: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var jobs: [Job] = []
        /// Jobs for threads being created; kept here, not captured by the `Thread`, which holds its block until it ends.
        var fresh: [Job] = []
        var parked = 0
        var alive = 0
        var created = 0
        var closed = false
    }

    /// `close()` waits on it until every thread has ended.
    private let state = ConditionLocked(State())
    /// One signal per job handed to a parked thread, and one per parked thread at `close()`.
    private let wakeUp = DispatchSemaphore(value: 0)
    private let maxParked: Int
    private let stackSize: Int

    init(maxParked: Int, stackSize: Int) {
        self.maxParked = max(0, maxParked)
        self.stackSize = stackSize
    }

    /// Threads created so far (for tests: reuse shows as fewer threads than connections).
    var threadsCreated: Int { state.withLock { $0.created } }

    /// Threads that have not ended yet, parked ones included.
    var threadsAlive: Int { state.withLock { $0.alive } }

    /// Runs `job` on a parked thread, or on a new one when none is parked.
    func run(_ job: @escaping Job) {
        let handedOff = state.withLock { state -> Bool in
            // Every queued job is matched by one parked thread that has not taken a job yet.
            if !state.closed && state.parked > state.jobs.count {
                state.jobs.append(job)
                return true
            }
            state.fresh.append(job)
            state.alive += 1
            state.created += 1
            return false
        }
        if handedOff {
            wakeUp.signal()
            return
        }
        let thread = Thread { [self] in work() }
        thread.stackSize = stackSize
        thread.start()
    }

    /// Wakes the parked threads so they end, lets running ones end after their job, and waits until all have ended
    /// (every job is bounded by the server's timeouts).
    func close() {
        let parked = state.withLock { state -> Int in
            state.closed = true
            return state.parked
        }
        for _ in 0..<parked { wakeUp.signal() }
        _ = state.wait(until: nil) { $0.alive == 0 }
    }

    private func work() {
        // Taken here, not passed in: an argument would stay referenced by the caller until this returns.
        var pending: Job? = state.withLock { $0.fresh.removeFirst() }
        while true {
            do {
                // The job is released before the thread parks: what it captured (the connection and its socket) must
                // be freed when the connection ends, as it was when its thread ended.
                let job = pending!
                pending = nil
                job()
            }
            let parks = state.withLock { state -> Bool in
                guard !state.closed, state.parked < maxParked else {
                    state.alive -= 1
                    return false
                }
                state.parked += 1
                return true
            }
            guard parks else { return }
            wakeUp.wait()
            let next = state.withLock { state -> Job? in
                state.parked -= 1
                guard !state.jobs.isEmpty else {
                    state.alive -= 1  // woken by close()
                    return nil
                }
                return state.jobs.removeFirst()
            }
            guard let next else { return }
            pending = next
        }
    }
}
