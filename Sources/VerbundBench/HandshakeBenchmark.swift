import Foundation
import Synchronization

/// Full mTLS handshakes per second: `connections` threads, each in a loop of connect → TLS 1.3
/// handshake with client certificate → one small GET → close, for `duration`.
///
/// Several connections run at once because a serial client only measures latency: the server must
/// be kept busy while the client waits on the network. Latency is per iteration, connect to close.
struct HandshakeBenchmark {
    struct Result {
        let completed: Int
        let failed: Int
        let firstFailure: String?
        let elapsed: Duration
        /// Sorted ascending, nanoseconds.
        let latencies: [Int64]

        var perSecond: Double { Double(completed) / elapsed.seconds }

        /// The `fraction` quantile (nearest rank) in milliseconds.
        func latencyMilliseconds(quantile fraction: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let rank = Int((fraction * Double(latencies.count)).rounded(.up)) - 1
            return Double(latencies[min(max(rank, 0), latencies.count - 1)]) / 1_000_000
        }
    }

    private struct Tally {
        var latencies: [Int64] = []
        var failed = 0
        var firstFailure: String?
    }

    let client: BenchClient
    let path: String
    let expectedBytes: Int
    let connections: Int
    let duration: Duration

    func run() -> Result {
        let tally = Mutex(Tally())
        let group = DispatchGroup()
        let start = ContinuousClock.now
        let deadline = start + duration
        for _ in 0..<connections {
            group.enter()
            let thread = Thread { [client, path, expectedBytes] in
                defer { group.leave() }
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
                defer { buffer.deallocate() }
                var local = Tally()
                local.latencies.reserveCapacity(16_384)
                while ContinuousClock.now < deadline {
                    let began = ContinuousClock.now
                    do {
                        _ = try client.get(path, expectedBytes: expectedBytes, buffer: buffer)
                        local.latencies.append((ContinuousClock.now - began).nanoseconds)
                    } catch {
                        local.failed += 1
                        if local.firstFailure == nil { local.firstFailure = String(describing: error) }
                    }
                }
                tally.withLock { total in
                    total.latencies += local.latencies
                    total.failed += local.failed
                    total.firstFailure = total.firstFailure ?? local.firstFailure
                }
            }
            thread.start()
        }
        group.wait()
        let elapsed = ContinuousClock.now - start
        return tally.withLock { total in
            Result(completed: total.latencies.count, failed: total.failed, firstFailure: total.firstFailure,
                   elapsed: elapsed, latencies: total.latencies.sorted())
        }
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
