/// Closing after an error response without losing it.
enum Lingering {
    /// Reads and discards what the peer still sends (bounded in bytes and time) before closing, so
    /// unread request bytes do not make the kernel answer with a reset that destroys the response
    /// the peer has not read yet (RFC 9112 §9.6).
    static func close(_ stream: any ByteStream, within timeout: Duration, maxBytes: Int = 256 * 1024) {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        while total < maxBytes {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { break }
            stream.readTimeout = min(remaining, .milliseconds(200))
            guard let n = try? buffer.withUnsafeMutableBytes({ try stream.read(into: $0) }), n > 0 else { break }
            total += n
        }
        stream.close()
    }
}
