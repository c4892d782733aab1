/// The life of an `HTTPServer` as a value (an enum rather than loose flags, like swift-nio's `NIOThreadPool.State`
/// and the connector's `ThreadLifecycle`): what a start or a stop means in each state. The server holds it under its
/// state lock and does what the returned action says; `stop` waits on the lock's condition until it is `stopped`.
///
/// ```
/// idle --start--> serving --stop--> stopping(acceptThreadEnded: false) --accept loop returned--> stopping(true)
///   \                                                                                                 |
///    --stop (never started)--> stopping(acceptThreadEnded: true) --connections drained, threads ended--> stopped
/// ```
///
/// A stopped server does not serve again: its listener is closed when the accept loop ends (a port given back to the
/// system may be taken by someone else meanwhile), so `start` after `stop` is refused; make a new `HTTPServer`.
enum HTTPServerLifecycle: Sendable, Equatable {
    case idle
    case serving
    case stopping(acceptThreadEnded: Bool)
    case stopped

    enum StartAction: Sendable, Equatable {
        /// Start the accept thread.
        case spawnAcceptThread
        /// Started before (serving, stopping or stopped): throw `alreadyStarted`.
        case refuse
    }

    enum StopAction: Sendable, Equatable {
        /// Serving: stop accepting (the accept loop then closes the listener), close idle connections, drain.
        case stopAccepting
        /// Never started: no accept loop will close the listener, so close it here, then drain (nothing to).
        case closeListener
        /// Another caller is stopping the server: wait until it is `stopped`.
        case join
        /// Stopped already.
        case none
    }

    mutating func start() -> StartAction {
        guard self == .idle else { return .refuse }
        self = .serving
        return .spawnAcceptThread
    }

    mutating func stop() -> StopAction {
        switch self {
        case .idle:
            self = .stopping(acceptThreadEnded: true)
            return .closeListener
        case .serving:
            self = .stopping(acceptThreadEnded: false)
            return .stopAccepting
        case .stopping:
            return .join
        case .stopped:
            return .none
        }
    }

    /// The accept loop returned (it closed the listener).
    mutating func acceptThreadEnded() {
        if case .stopping = self { self = .stopping(acceptThreadEnded: true) }
    }

    /// Connections drained and connection threads ended: the stop is complete.
    mutating func finished() {
        self = .stopped
    }

    /// From `stop()` on: no new connections, no keep-alive.
    var isStopping: Bool {
        switch self {
        case .idle, .serving: return false
        case .stopping, .stopped: return true
        }
    }

    var acceptThreadRunning: Bool {
        switch self {
        case .serving, .stopping(acceptThreadEnded: false): return true
        case .idle, .stopping(acceptThreadEnded: true), .stopped: return false
        }
    }
}
