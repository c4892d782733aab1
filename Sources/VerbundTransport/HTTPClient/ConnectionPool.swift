import Synchronization

/// A stream parked between requests. Streams are not thread-safe; the pool hands each one to a single
/// thread at a time (taken out under the lock, used, then returned), which is why this box may be Sendable.
final class PooledStream: @unchecked Sendable {
    let stream: any ByteStream
    var idleSince = ContinuousClock.now

    init(_ stream: any ByteStream) { self.stream = stream }
}

/// Idle keep-alive connections per peer, bounded, thread safe.
struct ConnectionPool: ~Copyable, Sendable {
    private let idle = Mutex<[String: [PooledStream]]>([:])
    private let maxPerPeer: Int
    private let maxIdleTime: Duration

    init(maxPerPeer: Int, maxIdleTime: Duration) {
        self.maxPerPeer = maxPerPeer
        self.maxIdleTime = maxIdleTime
    }

    /// The most recently parked fresh connection to `peer`, if any; stale ones are closed.
    func take(_ peer: String) -> PooledStream? {
        var stale: [PooledStream] = []
        let found: PooledStream? = idle.withLock { idle in
            while let candidate = idle[peer]?.popLast() {
                if ContinuousClock.now - candidate.idleSince < maxIdleTime { return candidate }
                stale.append(candidate)
            }
            return nil
        }
        for connection in stale { connection.stream.close() }
        return found
    }

    /// Parks a connection for reuse, or closes it when the peer already has enough idle ones.
    func put(_ connection: PooledStream, for peer: String) {
        connection.idleSince = ContinuousClock.now
        let kept = idle.withLock { idle in
            guard idle[peer, default: []].count < maxPerPeer else { return false }
            idle[peer, default: []].append(connection)
            return true
        }
        if !kept { connection.stream.close() }
    }

    func closeAll() {
        let all = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle.values.flatMap { $0 }
        }
        for connection in all { connection.stream.close() }
    }

    var idleCount: Int { idle.withLock { $0.values.reduce(0) { $0 + $1.count } } }
}
