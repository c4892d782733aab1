/// An incremental HTTP/1.1 response parser for the client side (RFC 9112 §4, §6.3).
///
/// Interim 1xx responses are skipped. A response to HEAD, and 204/304 responses, have no content.
package struct HTTPResponseParser: Sendable {
    package enum Event: Sendable, Equatable {
        case head(HTTPResponseHead)
        case body([UInt8])
        case end(trailers: HTTPHeaders)
    }

    private enum State: Sendable {
        case head(HTTPFieldSectionReader)
        case body(HTTPBodyDecoder)
        case done
        case failed(HTTPParseError)
    }

    package let limits: HTTPParserLimits
    private let requestMethod: HTTPMethod
    private var state: State
    /// The framing of the current response, known once its head was parsed.
    package private(set) var framing: HTTPBodyFraming?

    /// - Parameter bodyLimit: the most content bytes accepted (`limits.maxBodyBytes` when nil).
    package init(requestMethod: HTTPMethod, limits: HTTPParserLimits = HTTPParserLimits(), bodyLimit: Int? = nil) {
        var limits = limits
        if let bodyLimit { limits.maxBodyBytes = bodyLimit }
        self.limits = limits
        self.requestMethod = requestMethod
        self.state = .head(Self.newHeadReader(limits))
    }

    private static func newHeadReader(_ limits: HTTPParserLimits) -> HTTPFieldSectionReader {
        HTTPFieldSectionReader(
            startLineLimit: limits.maxStatusLineBytes,
            startLineError: .bad("status line longer than \(limits.maxStatusLineBytes) bytes"),
            fieldBytesLimit: limits.maxHeaderBytes, fieldCountLimit: limits.maxHeaderCount)
    }

    /// Parses a prefix of `input`; a nil event means all was consumed and more is needed.
    package mutating func parse(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (consumed: Int, event: Event?) {
        do throws(HTTPParseError) {
            var offset = 0
            while true {
                switch state {
                case let .failed(error):
                    throw error
                case .done:
                    throw .bad("bytes after the end of the response")
                case var .head(reader):
                    let (n, complete) = try reader.read(input, from: offset)
                    offset += n
                    guard complete else {
                        state = .head(reader)
                        return (offset, nil)
                    }
                    let head = try Self.validate(reader)
                    if (100..<200).contains(head.status.code) {
                        guard head.status.code != 101 else { throw .bad("unexpected protocol switch (101)") }
                        state = .head(Self.newHeadReader(limits))
                        continue
                    }
                    let framing: HTTPBodyFraming
                    if requestMethod == .head || head.status.forbidsContent {
                        framing = .none
                    } else {
                        framing = try HTTPMessageFraming.framing(of: head.headers, default: .untilClose)
                    }
                    self.framing = framing
                    state = .body(HTTPBodyDecoder(framing: framing, limit: limits.maxBodyBytes, limits: limits))
                    return (offset, .head(head))
                case var .body(decoder):
                    let (n, event) = try decoder.decode(input, from: offset)
                    offset += n
                    switch event {
                    case nil:
                        state = .body(decoder)
                        return (offset, nil)
                    case let .data(range):
                        state = .body(decoder)
                        return (offset, .body(Array(input[range])))
                    case let .end(trailers):
                        state = .done
                        return (offset, .end(trailers: trailers))
                    }
                }
            }
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// The connection closed: ends a close-delimited body, or reports truncation.
    package mutating func endOfInput() throws(HTTPParseError) -> Event {
        switch state {
        case let .body(decoder):
            do throws(HTTPParseError) {
                let trailers = try decoder.endOfInput()
                state = .done
                return .end(trailers: trailers)
            } catch {
                state = .failed(error)
                throw error
            }
        case let .failed(error):
            throw error
        case .done:
            return .end(trailers: HTTPHeaders())
        case .head:
            let error = HTTPParseError.bad("connection closed before a complete response head")
            state = .failed(error)
            throw error
        }
    }

    /// status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4).
    private static func validate(_ reader: HTTPFieldSectionReader) throws(HTTPParseError) -> HTTPResponseHead {
        guard let line = reader.startLine else { throw .bad("missing status line") }
        let parts = line.split(separator: HTTPSyntax.space, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { throw .bad("malformed status line") }
        let version = String(decoding: parts[0], as: UTF8.self)
        guard version == HTTPVersion.http11 || version == "HTTP/1.0" else {
            throw .bad("unsupported response version '\(HTTPSyntax.string(parts[0]))'")
        }
        let codeBytes = parts[1]
        guard codeBytes.count == 3, codeBytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let code = Int(String(decoding: codeBytes, as: UTF8.self)), code >= 100 else {
            throw .bad("malformed status code")
        }
        let reason = parts.count == 3 ? HTTPSyntax.string(parts[2]) : ""
        guard reason.unicodeScalars.allSatisfy({ $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F) }) else {
            throw .bad("control character in the reason phrase")
        }
        var headers = reader.fields
        if version == "HTTP/1.0", !headers.tokens("connection").contains("keep-alive") {
            // HTTP/1.0 closes by default (RFC 9112 §9.3).
            headers.set("Connection", "close")
        }
        return HTTPResponseHead(status: HTTPStatus(code: code, reasonPhrase: reason), headers: headers, version: version)
    }
}
