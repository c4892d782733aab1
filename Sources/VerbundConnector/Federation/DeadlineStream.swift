import VerbundTransport

/// A `ByteStream` whose reads and writes all end by one instant: each call may wait at most until `deadline`, and a
/// call after it fails at once. The HTTP client bounds each read (30 s) but not the whole exchange, so a peer sending
/// one byte every 20 s could hold a fetch forever; wrapping the stream makes the exchange's total time bounded.
final class DeadlineStream: ByteStream {
    private let inner: any ByteStream
    private let deadline: ContinuousClock.Instant
    private let what: String
    var readTimeout: Duration
    var writeTimeout: Duration

    init(_ inner: any ByteStream, deadline: ContinuousClock.Instant, what: String) {
        self.inner = inner
        self.deadline = deadline
        self.what = what
        readTimeout = inner.readTimeout
        writeTimeout = inner.writeTimeout
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        inner.readTimeout = try bounded(readTimeout)
        return try inner.read(into: buffer)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        inner.writeTimeout = try bounded(writeTimeout)
        try inner.write(bytes)
    }

    func close() { inner.close() }

    /// `wanted`, or less when the deadline comes first; throws when it has passed.
    private func bounded(_ wanted: Duration) throws -> Duration {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .milliseconds(1) else { throw TransportError.timedOut("\(what) did not finish by its deadline") }
        return min(wanted, remaining)
    }
}
