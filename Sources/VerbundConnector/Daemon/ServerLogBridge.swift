import Foundation

/// Turns the HTTP server's JSON log records into the connector's structured log lines (with a level and the listener's
/// name), so the daemon writes one format only.
enum ServerLogBridge {
    /// The level of the per-request `http.request` records; the other server records are warnings.
    static let requestLevel = StructuredLogger.Level.debug

    /// Whether `logger` keeps `http.request` records, so the server builds them only then.
    static func logsRequests(_ logger: StructuredLogger) -> Bool { requestLevel >= logger.minimumLevel }

    static func sink(listener: String, logger: StructuredLogger) -> @Sendable (String) -> Void {
        return { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let event = object["event"] as? String else {
                logger.info("http.log", ["listener": .string(listener), "line": .string(line)])
                return
            }
            var fields: [String: LogValue] = ["listener": .string(listener)]
            for (key, value) in object where key != "event" && key != "time" {
                fields[key] = logValue(value)
            }
            let level: StructuredLogger.Level = event == "http.request" ? requestLevel : .warning
            logger.log(level, event, fields)
        }
    }

    private static func logValue(_ value: Any) -> LogValue {
        switch value {
        case let number as NSNumber:
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? .integer(number.int64Value) : .double(double)
        case let text as String: return .string(text)
        default: return .string(String(describing: value))
        }
    }
}
