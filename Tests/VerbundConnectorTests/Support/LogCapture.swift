import Foundation
@testable import VerbundConnector

/// Collects a connector's structured log lines so tests can assert on events (and print them when a test fails).
final class LogCapture: @unchecked Sendable {
    // @unchecked: `lines` is only read or written while `condition` is locked; every new line wakes `waitFor`.
    private let condition = NSCondition()
    private var lines: [String] = []
    /// Also echo to stderr (set VERBUND_TEST_LOG=1 when debugging a test).
    private let echo = ProcessInfo.processInfo.environment["VERBUND_TEST_LOG"] == "1"
    let label: String

    init(_ label: String = "") { self.label = label }

    var logger: StructuredLogger {
        StructuredLogger(minimumLevel: .debug, sink: { [self] (line: String) in
            condition.lock()
            lines.append(line)
            condition.broadcast()
            condition.unlock()
            if echo { FileHandle.standardError.write(Data("[\(label)] \(line)\n".utf8)) }
        })
    }

    var all: [String] {
        condition.lock()
        defer { condition.unlock() }
        return lines
    }

    /// Lines whose `event` is `event`, parsed.
    func events(_ event: String) -> [[String: Any]] {
        Self.events(in: all, named: [event])
    }

    private static func events(in lines: some Sequence<String>, named names: Set<String>) -> [[String: Any]] {
        lines.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let event = object["event"] as? String, names.contains(event) else { return nil }
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
        condition.lock()
        defer { condition.unlock() }
        var seen = 0
        while true {
            // Only lines that arrived since the last look; each new line wakes this wait.
            if let found = Self.events(in: lines[seen...], named: Set(names)).first(where: match) { return found }
            seen = lines.count
            guard condition.wait(until: deadline) || lines.count > seen else { return nil }
        }
    }
}
