import Synchronization

/// The TLS context a listener or client uses *now*; replaced as a whole when trust material changes.
///
/// A new CRL, registry-driven trust change or renewed certificate means building a new `TLSContext`
/// and calling `replace(with:)`. New handshakes pick up the new context; connections already running
/// keep theirs (each `SSL*` holds a reference to its `SSL_CTX`). Contexts are never mutated in place.
package final class TLSContextSlot: Sendable {
    private let context: Mutex<TLSContext>

    package init(_ context: TLSContext) {
        self.context = Mutex(context)
    }

    /// The context for the next handshake.
    package var current: TLSContext {
        context.withLock { $0 }
    }

    /// Swaps in `newContext` (it must have the same role) and returns the one it replaced.
    @discardableResult
    package func replace(with newContext: TLSContext) throws -> TLSContext {
        try context.withLock { current in
            guard newContext.role == current.role else {
                throw TLSConfigurationError.roleMismatch
            }
            let old = current
            current = newContext
            return old
        }
    }
}
