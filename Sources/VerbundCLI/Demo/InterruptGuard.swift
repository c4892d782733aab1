import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into an orderly end while the demo runs: the handler stops the child connectors, then the
/// process exits with 128 + the signal number (the shell's convention). `cancel()` restores the default handling.
final class InterruptGuard {
    private let sources: [any DispatchSourceSignal]
    private let signals: [Int32] = [SIGINT, SIGTERM]

    init(onSignal cleanup: @escaping @Sendable (Int32) -> Void) {
        var made: [any DispatchSourceSignal] = []
        for number in signals {
            // The default action would end the process before the handler could run; the dispatch source sees the
            // signal even while it is ignored.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                cleanup(number)
                exit(128 + number)
            }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    func cancel() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
