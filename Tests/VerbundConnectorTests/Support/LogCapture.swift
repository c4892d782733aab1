import Foundation
import Synchronization
@testable import VerbundConnector

/// Collects a connector's structured log lines so tests can assert on events (and print them when a test fails).
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    /// Also echo to stderr (set VERBUND_TEST_LOG=1 when debugging a test).
    private let echo = ProcessInfo.processInfo.environment["VERBUND_TEST_LOG"] == "1"
    let label: String

    init(_ label: String = "") { self.label = label }

    var logger: StructuredLogger {
        StructuredLogger(minimumLevel: .debug, sink: { [self] (line: String) in
            lines.withLock { $0.append(line) }
            if echo { FileHandle.standardError.write(Data("[\(label)] \(line)\n".utf8)) }
        })
    }

    var all: [String] { lines.withLock { $0 } }

    /// Lines whose `event` is `event`, parsed.
    func events(_ event: String) -> [[String: Any]] {
        all.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["event"] as? String == event else { return nil }
            return object
        }
    }

    /// Waits up to `timeout` for a line with `event` whose fields satisfy `match`.
    func waitFor(_ event: String, timeout: Double = 5, where match: ([String: Any]) -> Bool = { _ in true }) -> [String: Any]? {
        waitFor(anyOf: [event], timeout: timeout, where: match)
    }

    /// Waits for a line with any of `events`.
    func waitFor(anyOf names: [String], timeout: Double = 5, where match: ([String: Any]) -> Bool = { _ in true }) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            for name in names {
                if let found = events(name).first(where: match) { return found }
            }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        return nil
    }
}
