/// Writing the chunked transfer coding (RFC 9112 §7.1).
package enum HTTPChunkedEncoding {
    /// The chunk-size line preceding `count` data bytes; `count` must be positive (0 is the last chunk).
    package static func chunkHeader(count: Int) -> [UInt8] {
        precondition(count > 0, "an empty chunk would end the body")
        return Array((String(count, radix: 16) + "\r\n").utf8)
    }

    /// What follows each chunk's data.
    package static let chunkTerminator: [UInt8] = [HTTPSyntax.cr, HTTPSyntax.lf]

    /// The last chunk and an empty trailer section.
    package static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// One whole chunk (header, data, CRLF); empty data yields nothing.
    package static func chunk(_ data: [UInt8]) -> [UInt8] {
        guard !data.isEmpty else { return [] }
        return chunkHeader(count: data.count) + data + chunkTerminator
    }
}
