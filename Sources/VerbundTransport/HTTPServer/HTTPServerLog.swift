import Foundation
import VerbundTrust

/// One-line JSON log records for an optional sink (the daemon sends them to stderr).
struct HTTPServerLog: Sendable {
    let sink: (@Sendable (String) -> Void)?

    func record(_ event: String, _ fields: [String: any Sendable]) {
        guard let sink else { return }
        var object: [String: Any] = ["event": event, "time": InternetDateTime.string(from: Date())]
        for (key, value) in fields { object[key] = value }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        sink(String(decoding: data, as: UTF8.self))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds / 1_000_000_000_000) / 1000
    }
}
