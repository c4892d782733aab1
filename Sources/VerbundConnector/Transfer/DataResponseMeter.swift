import Foundation
import Synchronization
import VerbundStore
import VerbundTransport

/// Counts what one `HttpData-PULL` response really sent, so a transfer's stored `bytes` are bytes that left for the
/// consumer (its budget of one copy, `DataPlaneGate.budget`), not bytes it asked for.
///
/// The read gate reports each offset about to be read; every byte before it was written, because the server reads
/// and writes the file in turn (`ResponseWriter`). Sent bytes move from the gate's reservation into the store at each
/// policy recheck (`flush`) and when the response ends. The end is this object's `deinit`: the read gate that holds
/// it belongs to the response's `ReadableFile`, which the server releases as soon as the response was written or
/// failed — so the accounting and the connection's abort registration end with the response, whatever ended it.
final class DataResponseMeter: Sendable {
    private struct Progress {
        /// The offset of the last read, nil before the first.
        var reached: Int?
        /// Bytes already added to the stored count.
        var flushed = 0
        var abortId: Int?
    }

    /// How much the server reads (and then writes) at a time: `ResponseWriter`'s file buffer in VerbundTransport.
    static let readSize = 64 << 10

    let pid: String
    /// The response's byte range, `first..<end`.
    let first: Int
    let end: Int
    private let context: ConnectorContext
    private let gate: DataPlaneGate
    private let progress = Mutex(Progress())

    /// Takes over `end - first` bytes the caller reserved at the gate.
    init(pid: String, range: Range<Int>, context: ConnectorContext, gate: DataPlaneGate) {
        self.pid = pid
        self.first = range.lowerBound
        self.end = range.upperBound
        self.context = context
        self.gate = gate
    }

    /// Aborts this response's connection when the transfer is cut (`DataPlaneGate.cut`); `refusal` admits the peer
    /// again (a new CRL, `TransferModule.crlChanged`).
    func attach(abort: (@Sendable () -> Void)?, refusal: @escaping @Sendable () -> String?) {
        guard let abort else { return }
        let id = gate.attach(pid, abort: abort, refusal: refusal)
        progress.withLock { $0.abortId = id }
    }

    /// Called by the read gate before reading at `offset`.
    func reached(_ offset: Int) {
        progress.withLock { $0.reached = offset }
    }

    /// Sent bytes not yet stored; marks them stored (the caller adds them to the record in its transaction).
    func flush() -> Int {
        let delta = progress.withLock { progress -> Int in
            let sent = (progress.reached ?? first) - first
            defer { progress.flushed = max(progress.flushed, sent) }
            return max(0, sent - progress.flushed)
        }
        gate.release(pid, bytes: delta)
        return delta
    }

    deinit {
        let state = progress.withLock { $0 }
        // Whether the last piece's write went through is not known here: count it (never undercount a use).
        let sent = state.reached.map { min($0 + Self.readSize, end) - first } ?? 0
        let unflushed = max(0, sent - state.flushed)
        if let id = state.abortId { gate.detach(pid, id: id) }
        let (pid, length, context) = (self.pid, end - first, self.context)
        // Stored before the reservation is returned, so an admission in between never sees the bytes in neither.
        defer { gate.release(pid, bytes: length - state.flushed) }
        if unflushed > 0 {
            do {
                try context.database.transaction { tx in
                    guard var record = try TransferTable.find(localPid: pid, in: tx) else { return }
                    record.bytes += Int64(unflushed)
                    try TransferTable.update(record, in: tx)
                }
            } catch {
                context.logger.error("transfer.data.count.failed", ["pid": .string(pid), "error": .error(error)])
            }
        }
        context.logger.info("transfer.data.ended", [
            "pid": .string(pid), "bytes": .int(sent), "requested": .int(length), "whole": .bool(sent == length),
        ])
    }
}
