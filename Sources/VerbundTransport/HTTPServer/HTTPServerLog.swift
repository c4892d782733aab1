import Foundation
import VerbundTrust

/// One-line JSON log records for an optional sink (the daemon sends them to stderr).
struct HTTPServerLog: Sendable {
    let sink: (@Sendable (String) -> Void)?
    /// Whether the sink wants one `http.request` record per request. Building a record costs a date formatter and a
    /// JSON serialisation, so a server whose sink would drop them does not build them at all.
    let logsRequests: Bool

    /// Whether to build the `http.request` record of a request.
    var recordsRequests: Bool { sink != nil && logsRequests }

    func record(_ event: String, _ fields: [String: any Sendable]) {
        guard let sink else { return }
        var object: [String: Any] = ["event": event, "time": InternetDateTime.string(from: Date())]
        for (key, value) in fields { object[key] = value }
        // Keys sorted here, not with `.sortedKeys`: that option compares through a locale-aware collator, which maps
        // ICU's locale and collation data into the daemon on the first record.
        var members: [String] = []
        for (key, field) in object.sorted(by: { $0.key < $1.key }) {
            guard let name = try? JSONSerialization.data(withJSONObject: key, options: [.fragmentsAllowed]),
                  let value = try? JSONSerialization.data(withJSONObject: field, options: [.fragmentsAllowed])
            else { return }
            members.append(String(decoding: name, as: UTF8.self) + ":" + String(decoding: value, as: UTF8.self))
        }
        sink("{" + members.joined(separator: ",") + "}")
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds / 1_000_000_000_000) / 1000
    }
}
