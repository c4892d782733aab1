import Foundation

/// A value behind a condition variable: read and change it under the lock, or wait — with or without a deadline —
/// until a predicate over it holds. Every `withLock` wakes the waiters, which re-check their predicate; so each place
/// that ends something a waiter cares about (a connection, the accept thread, a 503 refusal, a thread) signals by
/// the very change it makes, and no waiter polls.
final class ConditionLocked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only read or written while `condition` is locked.
    private let condition = NSCondition()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(&value)
    }

    /// Waits until `done` holds for the value, or until `deadline` (nil: no deadline); returns whether it held.
    func wait(until deadline: ContinuousClock.Instant?, for done: (Value) -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !done(value) {
            guard let deadline else {
                condition.wait()
                continue
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return false }
            let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
            _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
        }
        return true
    }
}
