import Dispatch
import Foundation
import Synchronization

/// The life of a module's own OS thread (background work stays off Swift concurrency's cooperative pool, docs/design.md
/// §7 "Concurrency"): started once, woken early by `wake()`, and ended by `stop()`, which returns only after the loop has
/// returned, so nothing of it runs against a store the daemon is about to close.
final class WorkerThread: Sendable {
    private struct State {
        var running = false
        var stopping = false
    }

    private let name: String
    private let state = Mutex(State())
    private let wakeSignal = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    /// `name` shows in debuggers and `top -H` (e.g. `verbund.audit`).
    init(name: String) {
        self.name = name
    }

    /// True from `stop()` until the next `start`; the loop checks it between steps and returns.
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Runs `loop` on a new thread; does nothing and returns false while a loop is running already.
    @discardableResult
    func start(_ loop: @escaping @Sendable () -> Void) -> Bool {
        let begin = state.withLock { state -> Bool in
            guard !state.running else { return false }
            state.running = true
            state.stopping = false
            return true
        }
        guard begin else { return false }
        let thread = Thread { [self] in
            loop()
            stopped.signal()
        }
        thread.name = name
        thread.start()
        return true
    }

    /// Cuts the loop's current `pause` short (new work arrived).
    func wake() { wakeSignal.signal() }

    /// Waits for `wake()` or `timeout`, whichever comes first; at least 10 ms, so a zero interval does not spin.
    func pause(_ timeout: Duration) {
        let milliseconds = max(Int(timeout / .milliseconds(1)), 10)
        _ = wakeSignal.wait(timeout: .now() + .milliseconds(milliseconds))
    }

    /// Asks the loop to return and waits until it has; returns at once when none runs.
    func stop() {
        let wasRunning = state.withLock { state -> Bool in
            state.stopping = true
            return state.running
        }
        guard wasRunning else { return }
        wakeSignal.signal()
        stopped.wait()
        state.withLock { $0.running = false }
    }
}
