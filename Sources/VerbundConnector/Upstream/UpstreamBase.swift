/// The base address of an API dataset's upstream: `http` or `https`, a host, an optional port and a base path; the
/// data plane forwards `<base path><sub-path>?<query>` to it. A pure value parsed from what the operator published.
///
/// Refused (RFC 3986 §3): other schemes, user information (credentials belong in a credential file, never in the
/// catalog), a query or fragment (the consumer's query is the only one forwarded), whitespace and control characters.
package struct UpstreamBase: Sendable, Hashable {
    package let secure: Bool
    package let host: String
    package let port: UInt16
    /// Raw, percent-encoded, without a trailing `/` ("" for the root).
    package let path: String

    package init(_ text: String) throws(UpstreamBaseError) {
        guard text.utf8.count <= 2048 else { throw UpstreamBaseError("it is longer than 2048 bytes") }
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw UpstreamBaseError("it contains whitespace, control or non-ASCII characters (percent-encode them)")
        }
        let rest: Substring
        if text.lowercased().hasPrefix("https://") {
            secure = true
            rest = text.dropFirst(8)
        } else if text.lowercased().hasPrefix("http://") {
            secure = false
            rest = text.dropFirst(7)
        } else {
            throw UpstreamBaseError("it must start with https:// or http://")
        }
        guard !rest.contains("?"), !rest.contains("#") else {
            throw UpstreamBaseError("it must not have a query or fragment; allow query parameters instead")
        }
        let authority = rest.prefix { $0 != "/" }
        guard !authority.contains("@") else {
            throw UpstreamBaseError("it must not carry a user or password; put credentials in a credential file")
        }
        var hostPart = Substring(authority)
        var portNumber: UInt16 = secure ? 443 : 80
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw UpstreamBaseError("the IPv6 address has no ]") }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portNumber = try Self.port(after.dropFirst()) } else if !after.isEmpty {
                throw UpstreamBaseError("unexpected characters after the IPv6 address")
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portNumber = try Self.port(hostPart[hostPart.index(after: colon)...])
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty, hostPart.count <= 253 else { throw UpstreamBaseError("it has no host") }
        host = String(hostPart)
        port = portNumber
        var basePath = String(rest.dropFirst(authority.count))
        while basePath.hasSuffix("/") { basePath.removeLast() }
        if case let .failure(problem) = UpstreamAllowList.segments(of: basePath) {
            throw UpstreamBaseError("its path is refused: \(problem.reason)")
        }
        path = basePath
    }

    private static func port(_ text: Substring) throws(UpstreamBaseError) -> UInt16 {
        guard let value = UInt16(text), value > 0 else { throw UpstreamBaseError("the port must be 1 to 65535") }
        return value
    }

    /// The origin-form target for a checked sub-path (empty or starting with `/`) and raw query.
    package func target(subPath: String, query: String?) -> String {
        var target = path + subPath
        if target.isEmpty { target = "/" }
        if let query, !query.isEmpty { target += "?" + query }
        return target
    }

    /// `https://host:port/path`, for logs and the management API (no credentials ever live here).
    package var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return (secure ? "https://" : "http://") + shownHost + ":\(port)" + path
    }
}

/// Why an upstream base address is refused.
package struct UpstreamBaseError: Error, Sendable, Equatable, CustomStringConvertible {
    package let reason: String
    init(_ reason: String) { self.reason = reason }
    package var description: String { reason }
}
