import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTrust

/// The consumer's side of `HttpData-PULL`, run by the consumer daemon so the data request carries its own mTLS
/// identity: GET the provider's data address with the transfer's token, into `out`, resuming from the bytes already
/// there (`Range`, with `If-Range` on the ETag first seen), then verify the whole file against the provider's
/// sha-256 and, when it matches, send the completion.
struct TransferDownload: Sendable {
    let context: ConnectorContext
    let processor: TransferProcessor
    /// How long to wait for the provider to be ready (start not yet arrived, or acknowledged there).
    var startWait: Duration = .seconds(15)

    struct Progress: Sendable {
        let bytes: Int64
        let total: Int64?
        /// Set once, when the download continues a partial file: the byte it continues at.
        var resumedAt: Int64? = nil
    }

    struct Verified: Sendable {
        let sha256: String
        let bytes: Int64
    }

    /// Downloads and verifies; `progress` is called as bytes arrive (throwing from it aborts, e.g. the caller left).
    /// A file already at `out` is continued only when it is this transfer's own partial download; any other file is
    /// replaced only with `overwrite`, so a mistyped path never destroys a city's file.
    func run(pid: String, out: String, overwrite: Bool = false, progress: (Progress) throws -> Void) throws -> Verified {
        let deadline = ContinuousClock.now + startWait
        while true {
            let record = try load(pid)
            if record.state == .completed, let sha256 = record.sha256, DownloadFile.size(at: out) == Int(record.bytes),
               (try? DownloadFile.sha256(at: out)) == sha256 {
                return Verified(sha256: sha256, bytes: record.bytes)
            }
            switch record.state {
            case .started?: break
            case .requested?, nil:
                guard ContinuousClock.now < deadline else {
                    throw DownloadError("the provider has not started transfer \(pid) yet", retryable: true)
                }
                Thread.sleep(forTimeInterval: 0.1)
                continue
            default:
                throw DownloadError("transfer \(pid) is \(record.state?.rawValue ?? "unknown")"
                                    + (record.reason.map { ": \($0)" } ?? ""))
            }
            if DatasetKind(addressValue: record.dataAddress?[property: DatasetKind.addressProperty]) != .file {
                throw DownloadError("transfer \(pid) is of an API dataset, which is read request by request, not downloaded: "
                                    + "use `verbund get --transfer \(pid) /PATH` or GET /api/transfers/\(pid)/data/PATH "
                                    + "(docs/operator.md, \"Using a partner's API\")")
            }
            if !overwrite, record.outPath != out, FileManager.default.fileExists(atPath: out) {
                throw DownloadError("\(out) exists and is not a download of transfer \(pid); choose another path or "
                                    + "replace the file (`verbund fetch --force`, or \"overwrite\": true)")
            }
            do {
                return try attempt(record, out: out, progress: progress)
            } catch let error as DownloadError where error.retryable && ContinuousClock.now < deadline
                && error.description.contains("not started") {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    private func load(_ pid: String) throws -> TransferRecord {
        guard let record = try context.database.read({ tx in try TransferTable.find(localPid: pid, in: tx) }),
              record.role == .consumer else {
            throw DownloadError("this connector has no transfer \(pid) as consumer")
        }
        guard record.format == TransferFormat.pull else {
            throw DownloadError("transfer \(pid) is \(record.format); only \(TransferFormat.pull) transfers are downloaded")
        }
        return record
    }

    private func attempt(_ record: TransferRecord, out: String, progress: (Progress) throws -> Void) throws -> Verified {
        guard let address = record.dataAddress, let endpoint = address.endpoint,
              let token = address[property: "authorization"] else {
            throw DownloadError("transfer \(record.localPid) has no data address yet", retryable: true)
        }
        // The provider's declared size bounds what is written here: a provider cannot fill this connector's disk.
        guard let limit = address[property: TransferFormat.byteSizeProperty].flatMap({ Int64($0) }), limit >= 0 else {
            throw DownloadError("the provider declared no size for transfer \(record.localPid) "
                                + "(\(TransferFormat.byteSizeProperty) in its data address), so the download cannot be bounded")
        }
        var have = DownloadFile.size(at: out)
        // Continue only this transfer's own partial file at the same path, of the same representation (ETag).
        if record.etag == nil || record.outPath != out || Int64(have) > limit { have = 0 }
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        if have > 0, let etag = record.etag {
            headers.set("Range", "bytes=\(have)-")
            headers.set("If-Range", etag)  // RFC 9110 §13.1.5: a changed representation comes whole
        }
        var file: DownloadFile?
        var digest: DownloadDigest?
        // Writes and hashes on a second thread once the file is open.
        var pipeline: DownloadPipeline?
        var written = Int64(have)
        var total: Int64?
        var refusal: [UInt8] = []
        var lastReport = ContinuousClock.now
        var inner: DownloadError?
        let head: HTTPResponseHead
        do {
            head = try context.peerClient.stream(toURL: endpoint, member: record.peerMemberId, headers: headers) { head, piece in
                let code = head.status.code
                guard code == 200 || code == 206 else {
                    if refusal.count < 4096 { refusal += piece.prefix(4096 - refusal.count) }
                    return
                }
                do {
                    if file == nil {
                        file = try open(head, record: record, out: out, have: have, total: &total, written: &written)
                        if let total, total != limit {
                            throw DownloadError("the provider announced \(total) bytes, but declared \(limit) for this "
                                                + "transfer; nothing more was downloaded")
                        }
                        digest = try DownloadDigest(prefixOf: out, length: code == 206 ? have : 0)
                        pipeline = file.map { DownloadPipeline(file: $0, digest: digest) }
                        if code == 206 { try progress(Progress(bytes: written, total: total, resumedAt: written)) }
                    }
                    guard written + Int64(piece.count) <= limit else {
                        throw DownloadError("the provider sent more than the \(limit) bytes it declared for this transfer; "
                                            + "the download was stopped")
                    }
                    try pipeline?.push(piece)
                } catch let error as DownloadError {
                    inner = error
                    throw error
                }
                written += Int64(piece.count)
                if ContinuousClock.now - lastReport >= .milliseconds(200) {
                    lastReport = ContinuousClock.now
                    try progress(Progress(bytes: written, total: total))
                }
            }
        } catch {
            _ = try? pipeline?.finish()
            try? file?.sync()
            if let inner { throw inner }
            throw DownloadError("the download was interrupted after \(written) bytes: \(error); run it again to resume",
                                retryable: true)
        }
        var computed: String?
        do {
            computed = try pipeline?.finish()
        } catch {
            throw DownloadError("writing \(out) failed after \(written) bytes: \(error)", retryable: true)
        }
        try file?.sync()
        switch head.status.code {
        case 200, 206:
            if file == nil {
                file = try open(head, record: record, out: out, have: have, total: &total, written: &written)
                computed = try DownloadDigest(prefixOf: out, length: head.status.code == 206 ? have : 0).finish()
                try file?.sync()
            }
        case 416 where have > 0:
            computed = nil  // everything is on disk already; verify it whole
        case 409:
            throw DownloadError("the provider has not started transfer \(record.localPid) yet: "
                                + String(decoding: refusal, as: UTF8.self), retryable: true)
        default:
            throw DownloadError("the provider refused the data request (\(head.status.code)): "
                                + String(decoding: refusal, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try progress(Progress(bytes: written, total: total))
        return try verify(record.localPid, out: out, computed: computed)
    }

    /// Opens the output for the first body byte: a 206 continues at `have`, a 200 starts over. Records the ETag and
    /// the announced digest first, so a resumed run can ask for the rest of the same representation.
    private func open(_ head: HTTPResponseHead, record: TransferRecord, out: String, have: Int,
                      total: inout Int64?, written: inout Int64) throws -> DownloadFile {
        let partial = head.status.code == 206
        if partial {
            guard let range = head.headers["Content-Range"], range.hasPrefix("bytes \(have)-") else {
                throw DownloadError("the provider answered a range that does not continue at byte \(have)")
            }
            total = range.split(separator: "/").last.flatMap { Int64($0) }
        } else {
            written = 0
            total = head.headers["Content-Length"].flatMap { Int64($0) }
        }
        let expected = Self.sha256(fromDigest: head.headers["Repr-Digest"] ?? head.headers["Content-Digest"])
        let etag = head.headers["ETag"]
        try context.database.transaction { tx in
            guard var current = try TransferTable.find(localPid: record.localPid, in: tx) else { return }
            current.etag = etag
            current.expectedSHA256 = expected ?? current.expectedSHA256
            current.outPath = out
            try TransferTable.update(current, in: tx)
        }
        return try DownloadFile(path: out, append: partial)
    }

    /// Checks the file's sha-256 (`computed` while downloading, else by reading it); on a match records it and sends
    /// the completion, otherwise removes the file.
    private func verify(_ pid: String, out: String, computed: String?) throws -> Verified {
        let actual = try computed ?? DownloadFile.sha256(at: out)
        let size = Int64(DownloadFile.size(at: out))
        return try context.database.transaction { tx in
            guard var record = try TransferTable.find(localPid: pid, in: tx) else {
                throw DownloadError("transfer \(pid) disappeared")
            }
            guard let expected = record.expectedSHA256 else {
                throw DownloadError("the provider announced no sha-256 digest, so the data cannot be verified")
            }
            // A file dataset's version is the SHA-256 of the snapshot the provider fixed at start (absent from old peers).
            let version = record.dataAddress?[property: TransferFormat.datasetVersionProperty]?.lowercased()
            guard expected == actual, version == nil || version == actual else {
                record.etag = nil
                try TransferTable.update(record, in: tx)
                try? FileManager.default.removeItem(atPath: out)
                throw DownloadError("the data's sha-256 \(actual) does not match the provider's \(version ?? expected); "
                                    + "the file was removed, run the fetch again")
            }
            record.sha256 = actual
            record.bytes = size
            record.updatedAt = context.clock()
            try TransferTable.update(record, in: tx)
            try context.audit.record(AuditEvent(kind: "transfer.received", fields: [
                "pid": .string(pid), "peer": .string(record.peerMemberId), "agreementId": .string(record.agreementId),
                "dataset": .string(record.datasetId), "bytes": .integer(size), "sha256": .string(actual),
                "datasetVersion": .string(actual),
            ]), in: tx)
            context.logger.notice("transfer.received", [
                "pid": .string(pid), "dataset": .string(record.datasetId), "datasetVersion": .string(actual), "bytes": .int(Int(size)),
            ])
            context.metrics.increment(TransferMetrics.bytes, labels: ["direction": "received"], by: Double(size))
            if record.state == .started, let providerPid = record.providerPid {
                let completion = TransferMessage.completion(TransferCompletionMessage(
                    id: TransferProcessor.newId(), providerPid: providerPid, consumerPid: record.consumerPid))
                try processor.send(completion, record: &record, applyNow: false, in: tx)
            }
            return Verified(sha256: actual, bytes: size)
        }
    }

    /// The hex sha-256 of an RFC 9530 digest field (`sha-256=:<base64>:`), nil if it has none.
    static func sha256(fromDigest field: String?) -> String? {
        guard let field else { return nil }
        for member in field.split(separator: ",") {
            let trimmed = member.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix("sha-256=:"), trimmed.hasSuffix(":") else { continue }
            let encoded = trimmed.dropFirst("sha-256=:".count).dropLast()
            guard let bytes = Data(base64Encoded: String(encoded)), bytes.count == 32 else { return nil }
            return Hex.encode(Array(bytes))
        }
        return nil
    }
}
