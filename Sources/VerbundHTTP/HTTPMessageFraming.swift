/// Content framing rules shared by requests and responses (RFC 9112 §6.1–§6.3).
enum HTTPMessageFraming {
    /// Decides the framing from Transfer-Encoding and Content-Length, refusing every ambiguous combination
    /// that could let two parsers disagree about where a message ends (request smuggling, RFC 9112 §11.2).
    static func framing(of headers: HTTPHeaders, default absent: HTTPBodyFraming) throws(HTTPParseError) -> HTTPBodyFraming {
        let hasTransferEncoding = headers.contains("transfer-encoding")
        let lengths = headers.values("content-length")
        if hasTransferEncoding {
            // §6.3 rule 3: a server MAY reject this outright; it is the smuggling case, so we do.
            guard lengths.isEmpty else { throw .bad("both Transfer-Encoding and Content-Length present") }
            let codings = headers.tokens("transfer-encoding")
            guard codings.last == "chunked" else {
                throw .bad("Transfer-Encoding does not end with chunked")
            }
            guard codings.count == 1 else {
                if codings.dropLast().contains("chunked") { throw .bad("chunked applied more than once") }
                throw HTTPParseError(.notImplemented, "transfer coding '\(codings[0])' is not supported")
            }
            return .chunked
        }
        guard !lengths.isEmpty else { return absent }
        // §6.3 rule 5: a list of identical values may be collapsed; differing values are an error.
        var length: Int?
        for value in lengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
            let parsed = try parseLength(HTTPSyntax.trimmingWhitespace(value))
            if let previous = length, previous != parsed { throw .bad("differing Content-Length values") }
            length = parsed
        }
        guard let length else { throw .bad("empty Content-Length") }
        return .contentLength(length)
    }

    /// Content-Length = 1*DIGIT (RFC 9110 §8.6); signs, spaces and hex are refused.
    static func parseLength(_ text: Substring) throws(HTTPParseError) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .bad("Content-Length '\(text)' is not a decimal number")
        }
        var value = 0
        for digit in text.utf8 {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int(digit - 0x30))
            if o1 || o2 { throw HTTPParseError(.contentTooLarge, "Content-Length is larger than any acceptable body") }
            value = sum
        }
        return value
    }

    /// Persistence (RFC 9112 §9.3): HTTP/1.1 stays open unless either side says `close`.
    static func keepAlive(_ headers: HTTPHeaders) -> Bool {
        !headers.tokens("connection").contains("close")
    }
}
