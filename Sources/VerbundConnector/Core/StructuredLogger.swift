import Foundation

/// One JSON object per line (docs/design.md §20: structured logs for journald): `time`, `level`, `event` and the event's
/// fields. The sink is injectable so tests can read what the daemon logged; the default writes to stderr.
///
/// Field values are JSON values (`LogValue`) so a log line never depends on `String(describing:)` of arbitrary types.
package struct StructuredLogger: Sendable {
    package enum Level: String, Sendable, Comparable, CaseIterable {
        case debug, info, notice, warning, error

        private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
        package static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    /// Receives each finished line, without the trailing newline.
    package typealias Sink = @Sendable (String) -> Void

    package let minimumLevel: Level
    private let sink: Sink
    private let clock: @Sendable () -> Date

    package init(minimumLevel: Level = .info, clock: @escaping @Sendable () -> Date = Date.init,
                sink: @escaping Sink = StructuredLogger.standardError) {
        self.minimumLevel = minimumLevel
        self.clock = clock
        self.sink = sink
    }

    /// Writes to the process's standard error in one `write(2)`, so lines of several threads never interleave.
    package static let standardError: Sink = { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// A logger that drops everything (tools that only need a context).
    package static let discarding = StructuredLogger(sink: { _ in })

    package func log(_ level: Level, _ event: String, _ fields: [String: LogValue] = [:]) {
        guard level >= minimumLevel else { return }
        var object = fields
        object["time"] = .string(Self.timestamp(clock()))
        object["level"] = .string(level.rawValue)
        object["event"] = .string(event)
        sink(LogValue.object(object).json)
    }

    package func debug(_ event: String, _ fields: [String: LogValue] = [:]) { log(.debug, event, fields) }
    package func info(_ event: String, _ fields: [String: LogValue] = [:]) { log(.info, event, fields) }
    package func notice(_ event: String, _ fields: [String: LogValue] = [:]) { log(.notice, event, fields) }
    package func warning(_ event: String, _ fields: [String: LogValue] = [:]) { log(.warning, event, fields) }
    package func error(_ event: String, _ fields: [String: LogValue] = [:]) { log(.error, event, fields) }

    /// RFC 3339 UTC with milliseconds, e.g. `2026-11-22T01:02:03.456Z`.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var time = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = Int(milliseconds % 1000)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}
