import Foundation

/// A peer's DSP endpoint split the way the HTTP client needs it: host, port and the base path every DSP route of the
/// peer lives under (DSP 2025-1 HTTPS binding: `<endpoint>/catalog/request`, `<endpoint>/negotiations/…`).
package struct PeerEndpoint: Sendable, Hashable, CustomStringConvertible {
    package let host: String
    package let port: UInt16
    /// The URL's path without a trailing slash; empty for an endpoint at the root.
    package let basePath: String
    package let url: URL

    /// Parses an absolute `https://` URL (port 443 when absent). Plain `http` is refused: peers speak mTLS only.
    package init?(_ text: String) {
        // `encodedHost`, not `host`: the ASCII form is what DNS and TLS need, and `host` would load ICU's IDNA tables.
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "https",
              let host = components.encodedHost, !host.isEmpty, let url = components.url else { return nil }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let port = components.port ?? 443
        guard (1...65535).contains(port) else { return nil }
        self.port = UInt16(port)
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
        self.url = url
    }

    /// The request target of `path` (starting with `/`, may carry a query) under this endpoint's base path.
    package func target(_ path: String) -> String {
        basePath + (path.hasPrefix("/") ? path : "/" + path)
    }

    package var description: String { url.absoluteString }
}
