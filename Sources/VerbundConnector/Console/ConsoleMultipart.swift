/// A `multipart/form-data` body as a browser sends a file upload (RFC 7578 §4, the part syntax of RFC 2046 §5.1.1):
/// the parts' names and bytes. Pure and bounded: the route's body limit bounds the input, at most `maxParts` parts
/// are read, and a part's header section may have at most 1 KiB. Anything else is refused with the reason.
package enum ConsoleMultipart {
    package static let maxParts = 8

    package struct Part: Sendable, Equatable {
        package let name: String
        package let filename: String?
        package let bytes: [UInt8]
    }

    package struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        package let description: String
    }

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…` field (RFC 2046 §5.1.1: 1 to 70 characters).
    package static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    package static func parts(_ body: [UInt8], boundary: String) throws(Refusal) -> [Part] {
        let delimiter = Array(("--" + boundary).utf8)
        guard var position = find(delimiter, in: body, from: 0) else { throw Refusal(description: "no part starts with the boundary") }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter ends the body.
            if body.count >= position + 2, body[position] == 0x2D, body[position + 1] == 0x2D { return parts }
            guard body.count >= position + 2, body[position] == 0x0D, body[position + 1] == 0x0A else {
                throw Refusal(description: "a boundary line does not end with CRLF")
            }
            position += 2
            guard parts.count < maxParts else { throw Refusal(description: "more than \(maxParts) parts") }
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: position), headerEnd - position <= 1024 else {
                throw Refusal(description: "a part's header section is missing or longer than 1 KiB")
            }
            let headers = String(decoding: body[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find([0x0D, 0x0A] + delimiter, in: body, from: contentStart) else {
                throw Refusal(description: "the last part is not closed by the boundary")
            }
            guard let disposition = headers.split(separator: "\r\n").first(where: {
                $0.lowercased().hasPrefix("content-disposition:")
            }), let name = parameter("name", in: disposition) else {
                throw Refusal(description: "a part has no Content-Disposition with a name")
            }
            parts.append(Part(name: name, filename: parameter("filename", in: disposition), bytes: Array(body[contentStart..<next])))
            position = next + 2
        }
    }

    /// `name="value"` in a Content-Disposition field (quoted, as browsers write it; RFC 7578 §4.2).
    static func parameter(_ name: String, in field: Substring) -> String? {
        for piece in field.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            guard value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 else { return value }
            return String(value.dropFirst().dropLast())
        }
        return nil
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
