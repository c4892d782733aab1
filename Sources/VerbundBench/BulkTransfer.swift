/// Bulk throughput of one transfer: one mTLS connection, GET the big file, read it to the end with
/// a large buffer, discard the bytes but count them (the client checks the total).
struct BulkTransfer {
    /// Larger than a TLS record (16 KiB), so the reader never limits what one call can return.
    static let bufferSize = 256 * 1024

    let client: BenchClient
    let path: String
    let expectedBytes: Int

    /// MiB/s from connect to the last byte (the handshake is negligible next to the file).
    func run(buffer: UnsafeMutableRawBufferPointer) throws -> Double {
        let start = ContinuousClock.now
        let bytes = try client.get(path, expectedBytes: expectedBytes, buffer: buffer)
        return Double(bytes) / 1_048_576 / (ContinuousClock.now - start).seconds
    }
}
