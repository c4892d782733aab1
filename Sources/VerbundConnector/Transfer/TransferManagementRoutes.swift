import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport

/// The transfer module's management API (see `docs/management-api.md`, section Transfer).
struct TransferManagementRoutes: Sendable {
    let context: ConnectorContext
    let processor: TransferProcessor
    let contracts: any ContractLookup
    let download: TransferDownload

    private struct NewTransfer: Decodable {
        static let fields: Set<String> = ["agreementId", "format", "out"]
        let agreementId: String
        let format: String?
        /// Push only: the absolute path the delivered data is written to.
        let out: String?
    }

    private struct DownloadRequest: Decodable {
        static let fields: Set<String> = ["out", "overwrite"]
        let out: String
        /// Replace a file at `out` that is not this transfer's own partial download.
        let overwrite: Bool?
    }

    private struct Reason: Decodable {
        static let fields: Set<String> = ["reason"]
        let reason: String?
    }

    func register(into router: inout Router) {
        router.get("/api/transfers") { request, _ in
            // Every transfer, or one page (`ManagementPage`) with the total in `X-Total-Count`.
            guard let page = try ManagementPage.requested(request.target.query) else {
                let records = try context.database.read { tx in try TransferTable.all(in: tx) }
                return try ManagementJSON.response(["transfers": records.map(TransferSummary.init)])
            }
            let (records, total) = try context.database.read { tx in
                (try TransferTable.page(limit: page.limit, offset: page.offset, in: tx), try TransferTable.count(in: tx))
            }
            return ManagementPage.counted(try ManagementJSON.response(["transfers": records.map(TransferSummary.init)]), total: total)
        }
        router.get("/api/transfers/:pid") { request, _ in
            try ManagementJSON.response(TransferSummary(try find(request)))
        }
        router.post("/api/transfers") { request, body in try create(body, by: request.caller) }
        router.post("/api/transfers/:pid/suspend") { request, body in
            try change(request, body) { record, reason, tx in
                guard record.state == .started, let providerPid = record.providerPid else {
                    throw HTTPError(.conflict, "only a STARTED transfer can be suspended; it is \(record.state?.rawValue ?? "new")")
                }
                let message = TransferMessage.suspension(TransferSuspensionMessage(
                    id: TransferProcessor.newId(), providerPid: providerPid, consumerPid: record.consumerPid,
                    code: "Suspended", reason: [reason ?? "suspended by the operator"]))
                try processor.send(message, record: &record, applyNow: true, in: tx)
            }
        }
        router.post("/api/transfers/:pid/resume") { request, body in
            try change(request, body) { record, _, tx in
                guard record.state == .suspended, let providerPid = record.providerPid else {
                    throw HTTPError(.conflict, "only a SUSPENDED transfer can be resumed; it is \(record.state?.rawValue ?? "new")")
                }
                if record.role == .provider {
                    // A restart is a start: the contract must still allow the transfer now (validity, count, membership).
                    if case let .deny(reasons) = try TransferPolicy(contracts: contracts).decide(
                        agreementId: record.agreementId, memberId: record.peerMemberId, phase: .transfer,
                        transfer: record.localPid, context: context, in: tx) {
                        throw HTTPError(.forbidden, "the contract no longer allows this transfer: " + reasons.joined(separator: "; "))
                    }
                }
                let message = TransferMessage.start(TransferStartMessage(
                    id: TransferProcessor.newId(), providerPid: providerPid, consumerPid: record.consumerPid,
                    dataAddress: record.role == .provider ? record.dataAddress : nil))
                try processor.send(message, record: &record, applyNow: false, in: tx)
            }
        }
        router.post("/api/transfers/:pid/terminate") { request, body in
            try change(request, body) { record, reason, tx in
                guard let state = record.state, !state.isTerminal else {
                    throw HTTPError(.conflict, "the transfer is already \(record.state?.rawValue ?? "ended")")
                }
                try processor.terminate(&record, code: "Terminated", reason: reason ?? "terminated by the operator", in: tx)
            }
        }
        router.post("/api/transfers/:pid/download") { request, body in try startDownload(request, body) }
    }

    private func find(_ request: HTTPRequest) throws -> TransferRecord {
        let pid = request.parameter("pid") ?? ""
        guard let record = try context.database.read({ tx in try TransferTable.find(localPid: pid, in: tx) }) else {
            throw HTTPError(.notFound, "no transfer \(pid)")
        }
        return record
    }

    /// Starts a transfer as consumer, or returns the one still running for the same agreement and format (a resumed
    /// fetch is the same transfer).
    private func create(_ body: RequestBody, by caller: ManagementCaller?) throws -> HTTPResponse {
        let wanted = try ManagementBody.decode(NewTransfer.self, from: try body.readAll(), fields: NewTransfer.fields)
        let format = wanted.format ?? TransferFormat.pull
        guard format == TransferFormat.pull || format == TransferFormat.push else {
            throw HTTPError(.badRequest, "format must be \(TransferFormat.pull) or \(TransferFormat.push)")
        }
        if format == TransferFormat.push {
            guard let out = wanted.out, out.hasPrefix("/") else {
                throw HTTPError(.badRequest, "a push transfer needs \"out\", the absolute path the data is written to")
            }
        }
        let endpoint = context.configuration.endpoint.trimmingSuffix("/")
        let result: (record: TransferRecord, created: Bool) = try context.database.transaction { tx in
            guard let contract = try contracts.contract(agreementId: wanted.agreementId, in: tx), contract.role == .consumer else {
                throw HTTPError(.notFound, "no finalized agreement \(wanted.agreementId) with this connector as consumer; "
                                + "negotiate one first")
            }
            if let running = try TransferTable.running(in: tx).first(where: {
                $0.role == .consumer && $0.agreementId == wanted.agreementId && $0.format == format
            }) {
                return (running, false)
            }
            let pid = TransferProcessor.newId()
            var dataAddress: DataAddress?
            var token: String?
            if format == TransferFormat.push {
                token = DataToken.make()
                dataAddress = DataAddress(
                    endpointType: TransferFormat.endpointType, endpoint: endpoint + TransferPushRoute.path + "/" + pid,
                    endpointProperties: [EndpointProperty(name: "authorization", value: token ?? ""),
                                         EndpointProperty(name: "authType", value: "bearer")])
            }
            let request = TransferRequestMessage(id: TransferProcessor.newId(), consumerPid: pid,
                                                 agreementId: wanted.agreementId, format: format,
                                                 callbackAddress: endpoint + TransferConsumerRoutes.callbackPath,
                                                 dataAddress: dataAddress)
            var machine = TransferProcessMachine(role: .consumer, localPid: pid)
            if case let .failure(error) = machine.apply(.request(request), from: .consumer) {
                throw HTTPError(.badRequest, error.description)
            }
            let now = context.clock()
            var record = TransferRecord(localPid: pid, role: .consumer, peerMemberId: contract.peerMemberId,
                                        agreementId: wanted.agreementId, datasetId: contract.agreement.target, format: format,
                                        callbackAddress: request.callbackAddress, machine: machine, dataAddress: dataAddress,
                                        token: token, outPath: format == TransferFormat.push ? wanted.out : nil,
                                        createdAt: now, updatedAt: now)
            try TransferTable.insert(record, in: tx)
            try context.audit.record(AuditEvent(kind: "transfer.requested", fields: [
                "pid": .string(pid), "role": "consumer", "peer": .string(contract.peerMemberId),
                "agreementId": .string(wanted.agreementId), "format": .string(format),
            ].merging(caller.auditFields) { old, _ in old }), in: tx)
            try processor.send(.request(request), record: &record, applyNow: false, in: tx)
            return (record, true)
        }
        return try ManagementJSON.response(TransferSummary(result.record), status: result.created ? .created : .ok)
    }

    private func change(_ request: HTTPRequest, _ body: RequestBody,
                        _ apply: (inout TransferRecord, String?, Transaction) throws -> Void) throws -> HTTPResponse {
        let pid = request.parameter("pid") ?? ""
        let bytes = try body.readAll()
        let reason = bytes.isEmpty ? nil : try ManagementBody.decode(Reason.self, from: bytes, fields: Reason.fields).reason
        let record: TransferRecord = try context.database.transaction { tx in
            guard var record = try TransferTable.find(localPid: pid, in: tx) else { throw HTTPError(.notFound, "no transfer \(pid)") }
            do {
                try apply(&record, reason, tx)
            } catch let error as TransitionError {
                throw HTTPError(.conflict, error.description)
            }
            return record
        }
        return try ManagementJSON.response(TransferSummary(record))
    }

    /// Runs the download on this request's thread and streams NDJSON progress lines; if the caller goes away the
    /// next line fails to send, which aborts the download (the bytes so far stay for a resume).
    private func startDownload(_ request: HTTPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let record = try find(request)
        let wanted = try ManagementBody.decode(DownloadRequest.self, from: try body.readAll(), fields: DownloadRequest.fields)
        guard wanted.out.hasPrefix("/") else { throw HTTPError(.badRequest, "out must be an absolute path") }
        let download = self.download
        return HTTPResponse(status: .ok, headers: ["Content-Type": "application/x-ndjson"], body: .chunks { sink in
            let encoder = ManagementJSON.encoder()
            func send(_ event: DownloadEvent) throws {
                try sink.write(Array(try encoder.encode(event)) + [0x0a])
            }
            do {
                let verified = try download.run(pid: record.localPid, out: wanted.out, overwrite: wanted.overwrite ?? false) { progress in
                    try send(DownloadEvent(event: "progress", bytes: progress.bytes, total: progress.total, resumedAt: progress.resumedAt))
                }
                try send(DownloadEvent(event: "verified", bytes: verified.bytes, total: verified.bytes, sha256: verified.sha256))
            } catch let error as DownloadError {
                try send(DownloadEvent(event: "failed", error: error.description, retryable: error.retryable))
            } catch {
                try send(DownloadEvent(event: "failed", error: String(describing: error), retryable: true))
            }
        })
    }
}
