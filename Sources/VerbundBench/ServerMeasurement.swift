/// Everything measured for one server: the handshake run, the bulk runs and its memory.
struct ServerMeasurement {
    let name: String
    let handshakes: HandshakeBenchmark.Result
    let bulk: BulkBenchmark.Result
    /// VmHWM over the bulk runs only (reset just before them), KiB; nil when the kernel refused the reset.
    let bulkPeakKiB: Int?
    /// VmHWM over the whole life of the server process, KiB.
    let lifetimePeakKiB: Int
}
