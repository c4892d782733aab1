import Foundation
import Synchronization
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTrust

/// The provider's side of `HttpData-PUSH`, on a thread of its own: every STARTED push transfer is delivered to the
/// consumer's data address in pieces of `pieceSize` (partial PUTs, see `TransferPushRoute`), each after the policy was
/// checked again (`.dataRequest`), so a contract that ends or a member revoked mid-way stops the delivery. A failed
/// delivery is retried on the next pass, continuing where the consumer's file ends; a refusal terminates the transfer.
/// State lives in the store only, so a restarted provider simply resumes.
final class TransferPusher: Sendable {
    static let pieceSize = 8 << 20

    private struct State {
        /// Transfers delivered whole in this process (waiting for the consumer's completion).
        var delivered: Set<String> = []
        /// Earliest next attempt per transfer after a failure.
        var retryAt: [String: ContinuousClock.Instant] = [:]
        /// Where the consumer's file ended after the last piece it took: a retry continues there (the consumer
        /// answers 409 with its `Upload-Offset` if it holds less), instead of sending the whole file again.
        var resumeAt: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let thread = WorkerThread(name: "verbund.transfer.push")
    private let policy: TransferPolicy
    private let files: any DatasetFileSource
    private let gate: DataPlaneGate

    init(policy: TransferPolicy, files: any DatasetFileSource, gate: DataPlaneGate) {
        self.policy = policy
        self.files = files
        self.gate = gate
    }

    func start(context: ConnectorContext) {
        thread.start { [self] in
            let processor = TransferProcessor(context: context, gate: gate)
            while !thread.isStopping {
                pass(context: context, processor: processor)
                thread.pause(.milliseconds(250))
            }
        }
    }

    func stop() { thread.stop() }

    func wake() { thread.wake() }

    private func pass(context: ConnectorContext, processor: TransferProcessor) {
        let due: [TransferRecord]
        do {
            due = try context.database.read { tx in
                try TransferTable.running(in: tx).filter {
                    $0.role == .provider && $0.format == TransferFormat.push && $0.state == .started
                }
            }
        } catch {
            context.logger.error("transfer.push.read.failed", ["error": .error(error)])
            return
        }
        let now = ContinuousClock.now
        for record in due {
            let skip = thread.isStopping || state.withLock { state in
                state.delivered.contains(record.localPid) || (state.retryAt[record.localPid].map { $0 > now } ?? false)
            }
            if skip { continue }
            do {
                try deliver(record, context: context, processor: processor)
                state.withLock { state in
                    state.delivered.insert(record.localPid)
                    state.retryAt[record.localPid] = nil
                    state.resumeAt[record.localPid] = nil
                }
            } catch let failure as PushFailure {
                context.logger.warning("transfer.push.failed", ["pid": .string(record.localPid), "error": .string(failure.reason)])
                if failure.final {
                    terminate(record.localPid, reason: failure.reason, context: context, processor: processor)
                } else {
                    state.withLock { $0.retryAt[record.localPid] = ContinuousClock.now + .seconds(1) }
                }
            } catch {
                context.logger.warning("transfer.push.failed", ["pid": .string(record.localPid), "error": .error(error)])
                state.withLock { $0.retryAt[record.localPid] = ContinuousClock.now + .seconds(1) }
            }
        }
    }

    private struct PushFailure: Error {
        let reason: String
        /// The consumer refused for good, or the right to the data ended: terminate.
        let final: Bool
    }

    private func deliver(_ record: TransferRecord, context: ConnectorContext, processor: TransferProcessor) throws {
        guard let address = record.dataAddress, let endpoint = address.endpoint else {
            throw PushFailure(reason: "the consumer named no data address to push to", final: true)
        }
        guard let dataset = try context.database.read({ tx in
                  try files.file(forDataset: record.datasetId, version: record.expectedSHA256, in: tx)
              }),
              let handle = FileHandle(forReadingAtPath: dataset.path) else {
            throw PushFailure(reason: "dataset \(record.datasetId) is not available at this connector any more", final: true)
        }
        defer { try? handle.close() }
        let size = Int(try handle.seekToEnd())
        let whole = "sha-256=:" + Data(Hex.decode(dataset.sha256) ?? []).base64EncodedString() + ":"
        var headers: HTTPHeaders = ["Content-Type": dataset.mediaType, "Repr-Digest": whole]
        if let token = address[property: "authorization"] { headers.set("Authorization", "Bearer \(token)") }
        var offset = state.withLock { $0.resumeAt[record.localPid] }.flatMap { $0 < size ? $0 : nil } ?? 0
        var sent = 0
        var recipient: String?
        repeat {
            try check(record, context: context)
            try handle.seek(toOffset: UInt64(offset))
            let piece = Array(try handle.read(upToCount: Self.pieceSize) ?? Data())
            try account(piece.count, of: size, for: record, context: context)
            var fields = headers
            let range = PushRange(first: offset, last: offset + max(piece.count, 1) - 1, total: max(size, 1))
            fields.set("Content-Range", range.field)
            fields.set("Content-Digest", "sha-256=:" + Data(SHA256.hash(piece)).base64EncodedString() + ":")
            let response: PeerResponse
            do {
                // Only to the consumer's own registered origin, and the TLS handshake must prove it is the consumer.
                response = try context.peerClient.send(toURL: endpoint, member: record.peerMemberId, method: .put,
                                                       headers: fields, body: piece)
                recipient = response.member.id
            } catch {
                throw PushFailure(reason: "pushing to \(endpoint) failed: \(error)", final: !error.isTransient)
            }
            switch response.status.code {
            case 200..<300:
                offset += piece.count
                sent += piece.count
                state.withLock { [offset] in $0.resumeAt[record.localPid] = offset }
            case 409 where response.headers["Upload-Offset"] != nil:
                guard let resume = response.headers["Upload-Offset"].flatMap(Int.init), resume >= 0, resume <= size else {
                    throw PushFailure(reason: "the consumer named an impossible Upload-Offset", final: true)
                }
                offset = resume  // the consumer already holds these bytes (a resumed push)
                state.withLock { $0.resumeAt[record.localPid] = resume }
            case 409, 408, 429, 500...:
                throw PushFailure(reason: "the consumer answered \(response.status.code): "
                                  + String(decoding: response.body.prefix(300), as: UTF8.self), final: false)
            default:
                throw PushFailure(reason: "the consumer refused the data (\(response.status.code)): "
                                  + String(decoding: response.body.prefix(300), as: UTF8.self)
                                    .trimmingCharacters(in: .whitespacesAndNewlines), final: true)
            }
        } while offset < size
        try context.database.transaction { tx in
            guard var current = try TransferTable.find(localPid: record.localPid, in: tx) else { return }
            current.expectedSHA256 = dataset.sha256
            try TransferTable.update(current, in: tx)
            // Where the bytes went: the member the TLS handshake proved, at the origin that was called.
            try context.audit.record(AuditEvent(kind: "transfer.data.pushed", fields: [
                "pid": .string(record.localPid), "peer": .string(record.peerMemberId), "agreementId": .string(record.agreementId),
                "dataset": .string(record.datasetId), "bytes": .integer(Int64(sent)), "size": .integer(Int64(size)),
                "sha256": .string(dataset.sha256), "to": .string(recipient ?? record.peerMemberId),
                "endpoint": .string(PeerEndpoint(endpoint).map { "https://\($0.host):\($0.port)" } ?? endpoint),
            ]), in: tx)
        }
        context.metrics.increment(TransferMetrics.bytes, labels: ["direction": "pushed"], by: Double(sent))
    }

    /// Counts a piece before it is sent (a sent piece is data served, whatever happens next): the transfer becomes a
    /// use of the contract, and it never sends more than one copy plus the resumption allowance
    /// (`DataPlaneGate.budget`), however often the consumer makes it start over.
    private func account(_ bytes: Int, of size: Int, for record: TransferRecord, context: ConnectorContext) throws {
        let budget = gate.budget(size: size)
        let over: Int64? = try context.database.transaction { tx in
            guard var current = try TransferTable.find(localPid: record.localPid, in: tx) else { return nil }
            guard current.bytes + Int64(bytes) <= Int64(budget) else { return current.bytes }
            current.bytes += Int64(bytes)
            if current.servedAt == nil { current.servedAt = context.clock() }
            try TransferTable.update(current, in: tx)
            return nil
        }
        if let over {
            throw PushFailure(reason: "this transfer has pushed \(over) bytes of a \(size)-byte dataset and may push at most "
                              + "\(budget); it delivers no second copy", final: true)
        }
    }

    /// Before every piece: still STARTED, and the policy still holds now.
    private func check(_ record: TransferRecord, context: ConnectorContext) throws {
        let denial: String? = try context.database.read { tx in
            guard let current = try TransferTable.find(localPid: record.localPid, in: tx), current.state == .started else {
                return "the transfer is no longer running"
            }
            if case let .deny(reasons) = try policy.decide(agreementId: record.agreementId, memberId: record.peerMemberId,
                                                           phase: .dataRequest, transfer: record.localPid,
                                                           context: context, in: tx) {
                return reasons.joined(separator: "; ")
            }
            return nil
        }
        if let denial { throw PushFailure(reason: denial, final: true) }
    }

    private func terminate(_ pid: String, reason: String, context: ConnectorContext, processor: TransferProcessor) {
        do {
            try context.database.transaction { tx in
                guard var record = try TransferTable.find(localPid: pid, in: tx), record.state == .started else { return }
                try processor.terminate(&record, code: "PushFailed", reason: reason, in: tx)
            }
        } catch {
            context.logger.error("transfer.push.terminate.failed", ["pid": .string(pid), "error": .error(error)])
        }
    }
}
