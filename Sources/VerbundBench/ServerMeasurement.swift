/// Everything measured for one server: the handshake run, the bulk runs and its memory.
struct ServerMeasurement {
    let name: String
    let handshakes: HandshakeBenchmark.Result
    /// Server CPU time over wall time during the handshake run (1.0 = one core busy all the time).
    let handshakeServerLoad: Double
    /// MiB/s of each bulk run, in the order they ran.
    let bulkRates: [Double]
    /// VmHWM over the bulk runs only (reset just before them), KiB; nil when the kernel refused the reset.
    let bulkPeakKiB: Int?
    /// RssAnon right after the bulk runs, KiB (heap and stacks, without shared libraries).
    let anonymousKiB: Int
    /// VmHWM over the whole life of the server process, KiB.
    let lifetimePeakKiB: Int
}

extension ServerMeasurement {
    /// Server CPU time per completed handshake: its cost independent of how many it runs at once.
    var serverMillisecondsPerHandshake: Double {
        handshakeServerLoad * handshakes.elapsed.seconds * 1000 / Double(handshakes.completed)
    }

    /// The best bulk run: the one least disturbed by other work on a shared machine.
    var bestBulkRate: Double { bulkRates.max() ?? .nan }

    var medianBulkRate: Double {
        let sorted = bulkRates.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
