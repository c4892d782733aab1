import Foundation

/// A module's own OS thread (background work stays off Swift concurrency's cooperative pool, `docs/design.md`
/// §Concurrency), driven by a `ThreadLifecycle`: started, woken early by `wake()`, ended by `stop()` — which returns
/// only after the loop has returned, so nothing of it runs against a store the daemon is about to close — and
/// startable again after a stop. Pauses and joins wait on one condition variable; nothing polls.
final class WorkerThread: @unchecked Sendable {
    // @unchecked: `lifecycle` is only read or written while `condition` is locked.
    private let name: String
    private let condition = NSCondition()
    private var lifecycle = ThreadLifecycle()

    /// `name` shows in debuggers and `top -H` (e.g. `verbund.audit`).
    init(name: String) {
        self.name = name
    }

    private func locked<T>(_ body: (inout ThreadLifecycle) -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body(&lifecycle)
    }

    /// True from `stop()` until the loop returned; the loop checks it between steps and returns.
    var isStopping: Bool { locked { $0.shouldReturn } }

    /// The lifecycle state now (for status and tests).
    var state: ThreadLifecycle.State { locked { $0.state } }

    /// Runs `loop` on a new thread; does nothing and returns false while a loop is running already. A start during
    /// a stop waits for that stop to finish and then starts anew.
    @discardableResult
    func start(_ loop: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        var action = lifecycle.start()
        while action == .waitForStop {
            condition.wait()
            action = lifecycle.start()
        }
        condition.unlock()
        guard case .spawn = action else { return false }
        let thread = Thread { [self] in
            loop()
            condition.lock()
            lifecycle.loopReturned()
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
        return true
    }

    /// Cuts the loop's current (or next) `pause` short: new work arrived.
    func wake() {
        condition.lock()
        if lifecycle.wake() { condition.broadcast() }
        condition.unlock()
    }

    /// Waits for `wake()`, `stop()` or `timeout`, whichever comes first; at least 10 ms when not woken, so a zero
    /// interval does not spin.
    func pause(_ timeout: Duration) {
        let seconds = max(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18, 0.01)
        let until = Date().addingTimeInterval(seconds)
        condition.lock()
        while lifecycle.maySleep, condition.wait(until: until) {}
        lifecycle.pauseEnded()
        condition.unlock()
    }

    /// Asks the loop to return and waits until it has; returns at once when none runs.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        guard lifecycle.stop() != .none, case let .stopping(generation) = lifecycle.state else { return }
        condition.broadcast()
        // Until this generation's loop returned (a later start may already run the next one).
        while lifecycle.state == .stopping(generation: generation) { condition.wait() }
    }
}
