import Foundation

/// Writes and hashes a download's pieces on a thread of its own while the connection's thread decrypts the next ones,
/// so TLS and SHA-256 use two cores instead of taking turns on one (issue 15, "Downloads"). At most `capacity`
/// pieces (64 KiB each, the client's read size) wait between the two threads — memory stays constant, and a slow
/// disk slows the download instead of filling memory. Pieces are written in batches of up to `batchBytes`, so the
/// disk sees large writes rather than one system call per piece.
final class DownloadPipeline: @unchecked Sendable {
    static let capacity = 16
    static let batchBytes = 1 << 20

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [[UInt8]] = []
    private var closed = false
    private var ended = false
    private var failure: (any Error)?

    // Touched only by the worker thread until `finish` returned.
    private let file: DownloadFile
    private let digest: DownloadDigest?

    /// Starts the worker; `digest` (nil when the download cannot be verified while it arrives) sees every byte in order.
    init(file: DownloadFile, digest: DownloadDigest?) {
        self.file = file
        self.digest = digest
        let thread = Thread { [self] in work() }
        thread.name = "verbund.download"
        thread.start()
    }

    /// Queues one piece; blocks while the queue is full; throws what the worker failed with (a write error).
    func push(_ piece: [UInt8]) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(piece)
        condition.broadcast()
    }

    /// Waits until every queued piece is written and hashed; returns the digest's hex value (nil without one) or
    /// throws the worker's failure. Call once.
    func finish() throws -> String? {
        condition.lock()
        closed = true
        condition.broadcast()
        while !ended { condition.wait() }
        let failed = failure
        condition.unlock()
        if let failed { throw failed }
        return digest?.finish()
    }

    private func work() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed && failure == nil { condition.wait() }
            if queue.isEmpty || failure != nil {
                ended = true
                condition.broadcast()
                condition.unlock()
                return
            }
            var batch: [[UInt8]] = []
            var size = 0
            while let first = queue.first, batch.isEmpty || size + first.count <= Self.batchBytes {
                batch.append(queue.removeFirst())
                size += first.count
            }
            condition.broadcast()
            condition.unlock()
            do {
                var buffer: [UInt8] = []
                buffer.reserveCapacity(size)
                for piece in batch {
                    digest?.update(piece)
                    buffer += piece
                }
                try file.write(buffer)
            } catch {
                condition.lock()
                failure = error
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
