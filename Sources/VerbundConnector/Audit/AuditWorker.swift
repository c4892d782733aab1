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
    }

    private let signer: TreeHeadSigner
    private let checker: PeerTreeHeadChecker
    private let context: ConnectorContext
    private let signInterval: Duration
    private let state = Mutex(State())
    private let thread = WorkerThread(name: "verbund.audit")

    init(context: ConnectorContext, signer: TreeHeadSigner, checker: PeerTreeHeadChecker, signInterval: Duration) {
        self.context = context
        self.signer = signer
        self.checker = checker
        self.signInterval = signInterval
    }

    func start() {
        thread.start { [self] in run() }
    }

    func stop() {
        thread.stop()
    }

    /// Queues a peer's head for checking (connection threads; returns at once).
    func received(memberId: String, compact: String) {
        guard !thread.isStopping else { return }
        state.withLock { state in
            if state.pending[memberId] == nil { state.order.append(memberId) }
            state.pending[memberId] = compact
        }
        thread.wake()
    }

    private var isStopping: Bool { thread.isStopping }

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
            thread.pause(signInterval)
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
