/// Collects a start line (optional) and a field section, CRLF by CRLF, within fixed limits (RFC 9112 §2.1, §5).
///
/// Line endings: only CRLF ends a line. A bare LF or a bare CR is refused with 400 rather than tolerated
/// (RFC 9112 §2.2 permits either), because lenient line splitting is a classic request-smuggling lever
/// when a proxy in front splits differently.
struct HTTPFieldSectionReader: Sendable {
    private let startLineLimit: Int?
    private let startLineError: HTTPParseError
    private let fieldBytesLimit: Int
    private let fieldCountLimit: Int

    private var line: [UInt8] = []
    private var sawCR = false
    private(set) var startLine: [UInt8]?
    private(set) var fields = HTTPHeaders()
    private var fieldBytes = 0
    private var startLineBytes = 0

    /// - Parameters:
    ///   - startLineLimit: bound of the start line, or nil for a trailer section (fields only).
    init(startLineLimit: Int?, startLineError: HTTPParseError, fieldBytesLimit: Int, fieldCountLimit: Int) {
        self.startLineLimit = startLineLimit
        self.startLineError = startLineError
        self.fieldBytesLimit = fieldBytesLimit
        self.fieldCountLimit = fieldCountLimit
    }

    /// No byte has been read yet (a connection between two requests).
    var isEmpty: Bool { startLine == nil && line.isEmpty && !sawCR && startLineBytes == 0 && fields.count == 0 }

    private var needsStartLine: Bool { startLineLimit != nil && startLine == nil }

    /// Consumes bytes from `input[start...]` up to the end of the section.
    /// Returns how many bytes were consumed and whether the section is complete.
    mutating func read(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> (consumed: Int, complete: Bool) {
        var index = start
        while index < input.count {
            let byte = input[index]
            index += 1
            if sawCR {
                guard byte == HTTPSyntax.lf else { throw .bad("bare CR in the message head") }
                sawCR = false
                if try finishLine() { return (index - start, true) }
                continue
            }
            if byte == HTTPSyntax.cr {
                sawCR = true
                try count(1)
                continue
            }
            if byte == HTTPSyntax.lf { throw .bad("bare LF in the message head; lines must end with CRLF") }
            try count(1)
            line.append(byte)
        }
        return (index - start, false)
    }

    /// Charges bytes to the start line or the field section and enforces their bounds.
    private mutating func count(_ n: Int) throws(HTTPParseError) {
        if let limit = startLineLimit, startLine == nil {
            // Leading empty lines (RFC 9112 §2.2) and the CR count against the start line's bound too.
            startLineBytes += n
            if startLineBytes > limit + 1 { throw startLineError }
        } else {
            fieldBytes += n
            if fieldBytes > fieldBytesLimit {
                throw HTTPParseError(.requestHeaderFieldsTooLarge, "header section exceeds \(fieldBytesLimit) bytes")
            }
        }
    }

    /// Handles a complete line; true when the empty line closing the section was read.
    private mutating func finishLine() throws(HTTPParseError) -> Bool {
        defer { line.removeAll(keepingCapacity: true) }
        if needsStartLine {
            // RFC 9112 §2.2: empty lines before the request line are ignored.
            if line.isEmpty { return false }
            startLine = line
            return false
        }
        if line.isEmpty { return true }
        let first = line[0]
        if HTTPSyntax.isWhitespace(first) {
            // RFC 9112 §5.2: obs-fold is refused.
            throw .bad("obsolete line folding in a header field")
        }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon) else {
            throw .bad("header field line without a colon")
        }
        let name = line[..<colon]
        if let last = name.last, HTTPSyntax.isWhitespace(last) {
            // RFC 9112 §5.1: whitespace between field name and colon MUST be rejected with 400.
            throw .bad("whitespace between a header field name and its colon")
        }
        guard HTTPSyntax.isToken(name) else { throw .bad("header field name is not a token") }
        var value = line[(colon + 1)...]
        while let f = value.first, HTTPSyntax.isWhitespace(f) { value.removeFirst() }
        while let l = value.last, HTTPSyntax.isWhitespace(l) { value.removeLast() }
        guard value.allSatisfy(HTTPSyntax.isFieldValueCharacter) else {
            throw .bad("control character in the value of header field '\(HTTPSyntax.string(name))'")
        }
        guard fields.count < fieldCountLimit else {
            throw HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(fieldCountLimit) header fields")
        }
        fields.add(String(decoding: name, as: UTF8.self), HTTPSyntax.string(value))
        return false
    }
}
