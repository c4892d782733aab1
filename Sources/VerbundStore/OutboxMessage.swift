import Foundation

/// An HTTP request to a peer that the daemon has promised to deliver.
package struct OutboxMessage: Sendable, Equatable {
    /// Caller-chosen unique id (e.g. a UUID); the peer can use it to drop duplicates.
    package let id: String
    /// The peer's base URL (scheme, host, port), e.g. `https://dsp.stadt-a.example:8443`.
    package let destination: URL
    /// HTTP method in upper case, e.g. `POST`.
    package let method: String
    /// Absolute path and query on the destination, e.g. `/negotiations/42/agreement`.
    package let path: String
    /// The exact request body bytes.
    package let body: [UInt8]
    package let createdAt: Date
    /// Not delivered before this time.
    package let nextAttemptAt: Date
    /// Failed delivery attempts so far.
    package let attempts: Int
    /// Why the last attempt failed.
    package let lastError: String?
    /// When the peer acknowledged it; nil while pending.
    package let deliveredAt: Date?

    package init(id: String, destination: URL, method: String, path: String, body: [UInt8], createdAt: Date,
                nextAttemptAt: Date, attempts: Int = 0, lastError: String? = nil, deliveredAt: Date? = nil) {
        self.id = id
        self.destination = destination
        self.method = method
        self.path = path
        self.body = body
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.attempts = attempts
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }

    /// The problem with this message's fields, or nil if it can be enqueued.
    var validationProblem: String? {
        if id.isEmpty { return "the id is empty" }
        guard let scheme = destination.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            return "the destination \(destination.absoluteString) is not an http(s) URL"
        }
        if destination.host == nil || destination.host?.isEmpty == true {
            return "the destination \(destination.absoluteString) has no host"
        }
        // RFC 9110 §9.1: a method is a token; Verbund only sends upper-case standard methods.
        if method.isEmpty || !method.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
            return "the method '\(method)' is not an upper-case HTTP method"
        }
        if !path.hasPrefix("/") || path.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7f }) {
            return "the path '\(path)' must start with / and hold no spaces or control characters"
        }
        return nil
    }
}

/// Time as stored: integer milliseconds since the Unix epoch.
enum StoredTime {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
