import Foundation
import Synchronization
import Testing

/// Runs each test of a suite on a thread of its own instead of one of Swift concurrency's cooperative threads.
///
/// Swift Testing runs tests as tasks on the cooperative pool, which has one thread per core. Most end-to-end tests
/// block: they wait on sockets, on a daemon's state or on a deadline, and a blocked test holds a pool thread, so on a
/// two-core machine only two of them make progress at a time while the processor idles. With this trait a test waits
/// for one of `OffCooperativePool.width` places without blocking anything (`TestPlaces`), then runs with a task
/// executor that gives every job its own thread (`ThreadPerJobExecutor`), so its blocking leaves the pool free.
package struct OffCooperativePool: SuiteTrait, TestTrait, TestScoping {
    /// How many tests run at once under this trait. The tests mostly wait, so several per core keep the machine busy
    /// without starving the timing checks of the tests that do work.
    package static let width = 8

    package var isRecursive: Bool { true }

    package func provideScope(for test: Test, testCase: Test.Case?,
                              performing function: @Sendable () async throws -> Void) async throws {
        // The suite itself only groups its tests; each test case takes a place.
        guard testCase != nil else { return try await function() }
        await TestPlaces.shared.take()
        defer { TestPlaces.shared.give() }
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OffCooperativePool {
    /// Each test of the suite runs on its own thread, at most `OffCooperativePool.width` at once.
    package static var offCooperativePool: Self { OffCooperativePool() }
}

/// A task executor that runs every job on a new thread: a job that blocks holds only its own thread.
package final class ThreadPerJobExecutor: TaskExecutor {
    package static let shared = ThreadPerJobExecutor()

    package func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { unowned.runSynchronously(on: executor) }
        thread.stackSize = 4 << 20
        thread.start()
    }
}

/// A counting semaphore whose waiters suspend instead of blocking a thread.
package final class TestPlaces: Sendable {
    package static let shared = TestPlaces(OffCooperativePool.width)

    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>

    init(_ places: Int) { state = Mutex(State(free: places)) }

    package func take() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    package func give() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
