import Synchronization

/// A console that can be closed: after an interrupt the demo's main thread may still be finishing a step, and what it
/// would print then (failures caused by the connectors being stopped) is not part of the story.
final class GatedConsole: Console {
    private let inner: any Console
    private let open = Mutex(true)

    init(_ inner: any Console) {
        self.inner = inner
    }

    func out(_ text: String) {
        open.withLock { isOpen in if isOpen { inner.out(text) } }
    }

    func err(_ text: String) {
        open.withLock { isOpen in if isOpen { inner.err(text) } }
    }

    func write(_ bytes: [UInt8]) {
        open.withLock { isOpen in if isOpen { inner.write(bytes) } }
    }

    var isTerminal: Bool { inner.isTerminal }

    /// Drops everything from now on.
    func close() {
        open.withLock { $0 = false }
    }
}
