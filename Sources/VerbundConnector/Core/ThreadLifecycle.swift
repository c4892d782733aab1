/// The life of one background thread as a value: which state it is in and what a start, a stop, a wake or the end
/// of its loop means — the shell (`WorkerThread`) owns the OS thread and the condition variable and does what the
/// returned action says. Modelled after swift-nio's `NIOThreadPool.State` (an enum instead of loose flags, so a
/// stopped worker can be started again and a start during a stop is not lost).
///
/// ```
/// stopped --start--> running --stop--> stopping --loop returned--> stopped
///                      ^ wake (sets a pending wake, consumed by the next pause)
/// ```
struct ThreadLifecycle: Sendable, Equatable {
    enum State: Sendable, Equatable {
        /// No thread runs (never started, or its loop returned after a stop).
        case stopped
        /// The loop runs; `generation` counts starts, so a test can tell a restarted loop from the first.
        case running(generation: Int)
        /// `stop()` was called; the loop returns at its next check and joiners wait for that.
        case stopping(generation: Int)
    }

    enum StartAction: Sendable, Equatable {
        /// Spawn a thread that runs the loop.
        case spawn(generation: Int)
        /// A loop runs already; nothing to do.
        case alreadyRunning
        /// A stop is in progress: wait until the state is `stopped`, then start again.
        case waitForStop
    }

    enum StopAction: Sendable, Equatable {
        /// Nothing runs.
        case none
        /// Wake the loop (it sees `shouldReturn`) and wait until it returned.
        case wakeAndJoin
        /// Another caller is stopping it already: wait until it returned.
        case join
    }

    private(set) var state: State = .stopped
    /// A `wake()` that no pause has consumed yet; the next pause returns at once instead of sleeping.
    private(set) var wakePending = false
    private var starts = 0

    /// True while a stop is asked for; the loop checks it between steps.
    var shouldReturn: Bool {
        if case .stopping = state { return true }
        return false
    }

    mutating func start() -> StartAction {
        switch state {
        case .stopped:
            starts += 1
            state = .running(generation: starts)
            wakePending = false
            return .spawn(generation: starts)
        case .running:
            return .alreadyRunning
        case .stopping:
            return .waitForStop
        }
    }

    mutating func stop() -> StopAction {
        switch state {
        case .stopped:
            return .none
        case let .running(generation):
            state = .stopping(generation: generation)
            return .wakeAndJoin
        case .stopping:
            return .join
        }
    }

    /// New work arrived: the current or next pause ends early. Returns whether a sleeper must be signalled.
    mutating func wake() -> Bool {
        guard case .running = state else { return false }
        wakePending = true
        return true
    }

    /// Whether a pause may (still) sleep; false once woken or asked to stop.
    var maySleep: Bool { !wakePending && !shouldReturn }

    /// A pause ended (woken, timed out or stopping): the pending wake is used up.
    mutating func pauseEnded() {
        wakePending = false
    }

    /// The loop returned; joiners may go on.
    mutating func loopReturned() {
        state = .stopped
        wakePending = false
    }
}
