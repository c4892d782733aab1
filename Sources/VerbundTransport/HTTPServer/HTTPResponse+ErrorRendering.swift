extension HTTPResponse {
    /// This answer as `render` makes an error answer (headers such as `Allow` and `Retry-After` kept): only a 4xx/5xx
    /// that is not JSON or an HTML page already (the console's error pages) and whose body is in memory; anything
    /// else, or no renderer, unchanged. The server
    /// applies it to every answer it sends, and `Router.respond` does the same for in-process calls.
    package func rendered(by render: HTTPErrorRenderer?, target: String?) -> HTTPResponse {
        let contentType = headers["Content-Type"]?.lowercased() ?? ""
        guard status.code >= 400, let render, !contentType.hasPrefix("application/json"),
              !contentType.hasPrefix("text/html") else { return self }
        let reason: String
        switch body {
        case .empty: reason = status.reasonPhrase
        case let .bytes(bytes):
            var text = Substring(String(decoding: bytes, as: UTF8.self))
            while let last = text.last, last.isWhitespace { text = text.dropLast() }
            reason = String(text)
        case .file, .chunks: return self
        }
        let made = render(status, target, reason.isEmpty ? status.reasonPhrase : reason)
        var out = self
        out.headers.set("Content-Type", made.contentType)
        out.body = .bytes(made.body)
        return out
    }
}
