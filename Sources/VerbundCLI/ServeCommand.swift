import Dispatch
import Foundation
import Synchronization
import VerbundConnector

/// `verbund serve`: runs the connector daemon until SIGTERM or SIGINT, then stops gracefully and exits 0.
enum ServeCommand {
    static var command: Command {
        Command(
            name: "serve",
            summary: "run the connector daemon (DSP listener, management API, outbox, federation sync)",
            discussion: """
                Reads connector.json (--config, or the VERBUND_CONFIG environment variable), checks it, the key, the
                certificate and the federation files, and serves until SIGTERM or SIGINT. Logs go to standard error,
                one JSON object per line. The management token is created in the data directory on first start.
                Example: verbund serve --config ./jena/connector.json
                """,
            options: [
                .value("config", "FILE", "The connector configuration (default: $VERBUND_CONFIG)."),
                .value("log-level", "LEVEL", "Lowest level logged: debug, info, notice, warning, error (default info)."),
            ]
        ) { arguments, console in
            // A peer that goes away mid-write must not end the daemon (SIGPIPE's default action).
            signal(SIGPIPE, SIG_IGN)
            let configuration = try ManagementClient.configuration(arguments.value("config"))
            var level = StructuredLogger.Level.info
            if let text = arguments.value("log-level") {
                guard let parsed = StructuredLogger.Level(rawValue: text) else {
                    throw CLIError.usage("--log-level must be one of \(StructuredLogger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
                }
                level = parsed
            }
            let stop = SignalWaiter(signals: [SIGTERM, SIGINT])
            let connector: Connector
            do {
                connector = try Connector.start(configuration: configuration, modules: ConnectorModules.all(limits: configuration.effectiveLimits),
                                                options: ConnectorOptions(logger: StructuredLogger(minimumLevel: level)))
            } catch {
                throw CLIError.refused(String(describing: error))
            }
            let signal = stop.wait()
            connector.context.logger.notice("connector.stopping", ["signal": .string(signal == SIGTERM ? "SIGTERM" : "SIGINT")])
            connector.stop()
        }
    }
}

/// Blocks until one of `signals` arrives. The signals are ignored for the default action and delivered through
/// Dispatch instead, so the daemon can stop in an orderly way.
final class SignalWaiter {
    private let semaphore = DispatchSemaphore(value: 0)
    private final class Received: Sendable {
        let signal = Mutex<Int32>(0)
    }

    private let received = Received()
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32]) {
        let queue = DispatchQueue(label: "verbund.signals")
        var made: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            made.append(source)
        }
        sources = made
        for (source, number) in zip(sources, signals) {
            source.setEventHandler { [received, semaphore] in
                received.signal.withLock { $0 = number }
                semaphore.signal()
            }
            source.resume()
        }
    }

    /// The signal that arrived.
    func wait() -> Int32 {
        semaphore.wait()
        for source in sources { source.cancel() }
        return received.signal.withLock { $0 }
    }
}
