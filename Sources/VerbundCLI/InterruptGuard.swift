import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into an orderly end while the demo or a fetch runs: the handler cleans up or says how to
/// continue (the demo stops its child connectors, a fetch names the command that resumes), then the
/// process exits with 128 + the signal number (the shell's convention). `cancel()` restores the default handling.
final class InterruptGuard {
    private let sources: [any DispatchSourceSignal]
    private let signals: [Int32] = [SIGINT, SIGTERM]
    private final class Flag: Sendable {
        let value = Mutex(false)
    }

    private let fired = Flag()

    init(onSignal cleanup: @escaping @Sendable (Int32) -> Void) {
        var made: [any DispatchSourceSignal] = []
        for number in signals {
            // The default action would end the process before the handler could run; the dispatch source sees the
            // signal even while it is ignored.
            signal(number, SIG_IGN)
            made.append(DispatchSource.makeSignalSource(signal: number, queue: .global()))
        }
        sources = made
        for (source, number) in zip(sources, signals) {
            source.setEventHandler { [fired] in
                let first = fired.value.withLock { fired -> Bool in
                    defer { fired = true }
                    return !fired
                }
                guard first else { return }
                cleanup(number)
                exit(128 + number)
            }
            source.resume()
        }
    }

    /// True once a signal arrived; the handler then owns the cleanup and the exit.
    var interrupted: Bool { fired.value.withLock { $0 } }

    /// Called by the main thread when it is done: after an interrupt it waits for the handler to end the process
    /// instead of racing it to its own cleanup and exit status.
    func settle() {
        guard interrupted else { return }
        while true { Thread.sleep(forTimeInterval: 1) }
    }

    func cancel() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
