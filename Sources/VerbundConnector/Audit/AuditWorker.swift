import Dispatch
import Foundation
import Synchronization

/// The audit module's thread: signs a tree head after each batch of appends (every `signInterval` while the log grew,
/// so at least once a minute with the default of one second) and checks the tree heads peers sent, off the
/// connection threads (a check may fetch a consistency proof from the peer).
final class AuditWorker: Sendable {
    private struct State {
        /// Newest head received per member, waiting to be checked (older ones queued behind are superseded).
        var pending: [String: String] = [:]
        var order: [String] = []
        var running = false
        var stopping = false
    }

    private let signer: TreeHeadSigner
    private let checker: PeerTreeHeadChecker
    private let context: ConnectorContext
    private let signInterval: Duration
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    init(context: ConnectorContext, signer: TreeHeadSigner, checker: PeerTreeHeadChecker, signInterval: Duration) {
        self.context = context
        self.signer = signer
        self.checker = checker
        self.signInterval = signInterval
    }

    func start() {
        state.withLock { $0.running = true }
        let thread = Thread { [self] in
            run()
            stopped.signal()
        }
        thread.name = "verbund.audit"
        thread.start()
    }

    func stop() {
        let wasRunning = state.withLock { state -> Bool in
            state.stopping = true
            return state.running
        }
        guard wasRunning else { return }
        wake.signal()
        stopped.wait()
    }

    /// Queues a peer's head for checking (connection threads; returns at once).
    func received(memberId: String, compact: String) {
        let queued = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            if state.pending[memberId] == nil { state.order.append(memberId) }
            state.pending[memberId] = compact
            return true
        }
        if queued { wake.signal() }
    }

    private var isStopping: Bool { state.withLock { $0.stopping } }

    private func run() {
        var lastSign = ContinuousClock.now - signInterval
        while !isStopping {
            while let (member, compact) = nextPending(), !isStopping {
                checker.check(memberId: member, compact: compact)
            }
            if ContinuousClock.now - lastSign >= signInterval {
                lastSign = ContinuousClock.now
                do {
                    try signer.signIfChanged()
                } catch {
                    context.logger.error("audit.sth.failed", ["error": .error(error)])
                }
            }
            if isStopping { return }
            let milliseconds = max(Int(signInterval / .milliseconds(1)), 10)
            _ = wake.wait(timeout: .now() + .milliseconds(milliseconds))
        }
    }

    private func nextPending() -> (String, String)? {
        state.withLock { state in
            guard !state.order.isEmpty else { return nil }
            let member = state.order.removeFirst()
            guard let compact = state.pending.removeValue(forKey: member) else { return nil }
            return (member, compact)
        }
    }
}
