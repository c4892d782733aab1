/// Bulk throughput: one mTLS connection, GET the big file, read it to the end with a large buffer,
/// discard the bytes but count them. The best of `runs` is reported (the least disturbed by the
/// other work on a shared machine), together with the median for honesty.
struct BulkBenchmark {
    struct Result {
        let bytes: Int
        /// MiB/s of every run, in the order they ran.
        let rates: [Double]

        var best: Double { rates.max() ?? .nan }
        var median: Double {
            let sorted = rates.sorted()
            return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
        }
    }

    let client: BenchClient
    let path: String
    let expectedBytes: Int
    let runs: Int
    var bufferSize = 256 * 1024

    func run() throws -> Result {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var rates: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let bytes = try client.get(path, expectedBytes: expectedBytes, buffer: buffer)
            let seconds = (ContinuousClock.now - start).seconds
            rates.append(Double(bytes) / 1_048_576 / seconds)
        }
        return Result(bytes: expectedBytes, rates: rates)
    }
}
