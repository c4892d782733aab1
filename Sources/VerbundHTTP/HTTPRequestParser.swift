/// An incremental HTTP/1.1 request parser (RFC 9112), fed with whatever bytes arrive.
///
/// Every call consumes a prefix of the input and returns at most one event. After `.head` the caller
/// may set `bodyLimit` (per route) before feeding more; after `.end` the parser starts over on the next
/// request of the connection (pipelining). Memory stays within `HTTPParserLimits` whatever the input:
/// only the current head line, the parsed fields, and a bounded trailer section are ever kept.
/// After an error the parser stays failed and the connection must be closed.
///
/// Policy where RFC 9112 leaves a choice (strict everywhere, since a lenient parser behind a proxy
/// that parses differently is how requests get smuggled):
/// - lines end with CRLF only; a bare LF or bare CR is 400 (§2.2); empty lines before the request line are skipped;
/// - obs-fold (§5.2), whitespace before a field's colon (§5.1), non-token names, control bytes in values: 400;
/// - Content-Length with Transfer-Encoding, differing Content-Lengths, a coding list other than exactly
///   `chunked`: 400 (§6.1, §6.3); other codings before `chunked`: 501; a Content-Length beyond `Int`: 413;
/// - a request line over its bound: 414; header section or count over its bound: 431; body over `bodyLimit`: 413;
/// - HTTP versions other than 1.1: 505; missing or repeated Host: 400 (§3.2);
/// - absolute-form targets are reduced to path and query; `*` only with OPTIONS.
package struct HTTPRequestParser: Sendable {
    package enum Event: Sendable, Equatable {
        case head(HTTPRequestHead)
        case body([UInt8])
        /// The request is complete; trailer fields of a chunked body, if any.
        case end(trailers: HTTPHeaders)
    }

    private enum State: Sendable {
        case head(HTTPFieldSectionReader)
        case body(HTTPBodyDecoder)
        case failed(HTTPParseError)
    }

    package let limits: HTTPParserLimits
    /// The body bound for the current request; reset to `limits.maxBodyBytes` for each request.
    package var bodyLimit: Int
    private var state: State
    private var head: HTTPRequestHead?

    package init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
        self.bodyLimit = limits.maxBodyBytes
        self.state = .head(Self.newHeadReader(limits))
    }

    private static func newHeadReader(_ limits: HTTPParserLimits) -> HTTPFieldSectionReader {
        HTTPFieldSectionReader(
            startLineLimit: limits.maxRequestLineBytes,
            startLineError: HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes"),
            fieldBytesLimit: limits.maxHeaderBytes, fieldCountLimit: limits.maxHeaderCount)
    }

    /// True between requests, before any byte of the next head arrived.
    package var isIdle: Bool {
        if case let .head(reader) = state { return reader.isEmpty }
        return false
    }

    /// Parses a prefix of `input`. A nil event means all of `input` was consumed and more is needed.
    package mutating func parse(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (consumed: Int, event: Event?) {
        switch state {
        case let .failed(error):
            throw error
        case var .head(reader):
            do throws(HTTPParseError) {
                let (n, complete) = try reader.read(input, from: 0)
                guard complete else {
                    state = .head(reader)
                    return (n, nil)
                }
                let parsed = try Self.validate(reader)
                head = parsed
                bodyLimit = limits.maxBodyBytes
                state = .body(HTTPBodyDecoder(framing: parsed.framing, limit: bodyLimit, limits: limits))
                return (n, .head(parsed))
            } catch {
                state = .failed(error)
                throw error
            }
        case var .body(decoder):
            // The caller may have set the route's limit since the head.
            decoder.limit = bodyLimit
            do throws(HTTPParseError) {
                let (n, event) = try decoder.decode(input, from: 0)
                switch event {
                case nil:
                    state = .body(decoder)
                    return (n, nil)
                case let .data(range):
                    state = .body(decoder)
                    return (n, .body(Array(input[range])))
                case let .end(trailers):
                    state = .head(Self.newHeadReader(limits))
                    head = nil
                    return (n, .end(trailers: trailers))
                }
            } catch {
                state = .failed(error)
                throw error
            }
        }
    }

    // MARK: Validation of the head

    private static func validate(_ reader: HTTPFieldSectionReader) throws(HTTPParseError) -> HTTPRequestHead {
        guard let line = reader.startLine else { throw .bad("missing request line") }
        // RFC 9112 §3: request-line = method SP request-target SP HTTP-version, single spaces.
        let parts = line.split(separator: HTTPSyntax.space, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .bad("request line is not 'method target version'") }
        guard HTTPSyntax.isToken(parts[0]) else { throw .bad("method is not a token") }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == HTTPVersion.http11 else {
            if isVersionSyntax(parts[2]) {
                throw HTTPParseError(.httpVersionNotSupported, "only HTTP/1.1 is supported, got \(version)")
            }
            throw .bad("malformed HTTP version")
        }
        let method = HTTPMethod(String(decoding: parts[0], as: UTF8.self))
        let target = try requestTarget(parts[1], method: method)
        let headers = reader.fields
        // RFC 9112 §3.2: exactly one Host field.
        let hosts = headers.values("host")
        guard hosts.count == 1 else {
            throw .bad(hosts.isEmpty ? "missing Host header" : "more than one Host header")
        }
        let framing = try HTTPMessageFraming.framing(of: headers, default: .none)
        return HTTPRequestHead(method: method, target: target, version: version, headers: headers,
                               framing: framing, keepAlive: HTTPMessageFraming.keepAlive(headers))
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3).
    private static func isVersionSyntax(_ bytes: ArraySlice<UInt8>) -> Bool {
        let b = Array(bytes)
        return b.count == 8 && Array(b[0..<5]) == Array("HTTP/".utf8)
            && (0x30...0x39).contains(b[5]) && b[6] == UInt8(ascii: ".") && (0x30...0x39).contains(b[7])
    }

    /// Origin form, asterisk form (OPTIONS only), or absolute form reduced to path and query (RFC 9112 §3.2).
    private static func requestTarget(_ bytes: ArraySlice<UInt8>, method: HTTPMethod) throws(HTTPParseError) -> String {
        guard !bytes.isEmpty else { throw .bad("empty request target") }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .bad("request target contains whitespace, control or non-ASCII bytes")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("/") { return text }
        if text == "*" {
            guard method == .options else { throw .bad("'*' target is only valid for OPTIONS") }
            return text
        }
        let lower = HTTPSyntax.lowercased(text)
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            let tail = rest[slash...]
            return tail.hasPrefix("?") ? "/" + tail : String(tail)
        }
        throw .bad("request target is neither origin form nor absolute form")
    }
}
