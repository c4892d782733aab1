import Foundation

/// Which `Host` field values the management listener answers (a pure check). A web page the operator opens can make
/// the browser send requests to 127.0.0.1 under a name the attacker controls (DNS rebinding); such a request carries
/// that name in `Host` (RFC 9110 §7.2), so only loopback names and addresses and the configured listener host pass.
struct ManagementHostCheck: Sendable {
    /// The host of the configured `management` address.
    let listenerHost: String

    enum Verdict: Equatable, Sendable {
        case accepted
        /// No `Host` field (required in HTTP/1.1, RFC 9112 §3.2).
        case missing
        /// A name that is neither loopback nor the listener's.
        case foreign(String)
    }

    func check(_ field: String?) -> Verdict {
        guard let field = field?.trimmingCharacters(in: .whitespaces), !field.isEmpty else { return .missing }
        guard let host = Self.host(of: field) else { return .foreign(field) }
        let name = host.lowercased()
        if name == listenerHost.lowercased() || Self.isLoopback(name) { return .accepted }
        return .foreign(field)
    }

    /// The host part of a `Host` value (`name`, `name:port`, `[v6]`, `[v6]:port`); nil when malformed.
    static func host(of field: String) -> String? {
        if field.hasPrefix("[") {
            guard let close = field.firstIndex(of: "]") else { return nil }
            let rest = field[field.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && UInt16(rest.dropFirst()) != nil) else { return nil }
            return String(field[field.index(after: field.startIndex)..<close])
        }
        let parts = field.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return String(parts[0])
        case 2: return UInt16(parts[1]) != nil ? String(parts[0]) : nil
        default: return nil
        }
    }

    /// `localhost` (RFC 6761 §6.3, also with a trailing dot), 127.0.0.0/8 (RFC 1122 §3.2.1.3) and ::1 (RFC 4291 §2.5.3).
    static func isLoopback(_ name: String) -> Bool {
        if name == "localhost" || name == "localhost." || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && UInt8($0) != nil }
    }
}
