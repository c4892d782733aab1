import VerbundHTTP
import VerbundTransport

/// Answers of the public listener: every one carries a strict Content Security Policy (`default-src 'self'`, no
/// frames, no plugins), `nosniff` and no referrer, so a page can load nothing from elsewhere and run no inline script.
enum PublicResponse {
    static let contentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"

    static func secure(_ response: inout HTTPResponse) {
        response.headers.set("Content-Security-Policy", contentSecurityPolicy)
        response.headers.set("X-Content-Type-Options", "nosniff")
        response.headers.set("Referrer-Policy", "no-referrer")
        response.headers.set("Cache-Control", "no-cache")
    }

    static func text(_ text: String, status: HTTPStatus) -> HTTPResponse {
        var response = HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", bytes: Array((text + "\n").utf8))
        secure(&response)
        return response
    }

    static func bytes(_ bytes: [UInt8], contentType: String, vary: String? = nil) -> HTTPResponse {
        var response = HTTPResponse(status: .ok, contentType: contentType, bytes: bytes)
        if let vary { response.headers.set("Vary", vary) }
        secure(&response)
        return response
    }
}

/// The absolute base of the public listener's links: `publicBaseURL` when configured (trailing `/` dropped), else
/// the scheme the listener speaks with the request's `Host` — accepted only as a host name or address with an optional
/// port (RFC 9110 §7.2, RFC 3986 §3.2.2), so a hostile `Host` cannot put anything else into a link.
enum PublicBase {
    static func url(configured: String?, tls: Bool, host: String?) -> String? {
        if let configured {
            return configured.hasSuffix("/") ? String(configured.dropLast()) : configured
        }
        guard let host, !host.isEmpty, host.utf8.count <= 255,
              host.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterClass.isHostCharacter($0)) }) else { return nil }
        return (tls ? "https://" : "http://") + host
    }

    enum CharacterClass {
        static func isHostCharacter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || ".-:[]".unicodeScalars.contains(scalar)
        }
    }
}
