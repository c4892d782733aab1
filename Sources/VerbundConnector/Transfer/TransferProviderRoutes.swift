import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport

/// The provider's DSP transfer routes (DSP 2025-1 TP HTTPS binding): `POST /transfers/request` (201), the messages
/// on `/transfers/:pid/…` (200), and `GET /transfers/:pid`. Unknown processes and other members' processes answer 404.
struct TransferProviderRoutes: Sendable {
    let context: ConnectorContext
    let processor: TransferProcessor
    let policy: TransferPolicy
    let files: any DatasetFileSource

    func register(into router: inout DSPRoutes) {
        router.post("/transfers/request") { request, body in try requestTransfer(request, body) }
        router.get("/transfers/:pid") { dsp, _ in
            let record = try context.database.read { tx in try OwnedTransfer.provider.record(dsp, in: tx) }
            guard let process = record.process else { throw OwnedTransfer.provider.notFound(dsp) }
            return try DSPResponse.json(process)
        }
        for (suffix, kind) in [("start", TransferMessage.Kind.start), ("completion", .completion),
                               ("suspension", .suspension), ("termination", .termination)] {
            router.post("/transfers/:pid/\(suffix)") { request, body in try message(kind, request, body) }
        }
    }

    private func requestTransfer(_ dsp: DSPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let shape = DSPErrorShape.transfer(providerPid: "", consumerPid: "")
        try context.memberWrites.admit(dsp.member.id, .transfer, shape: shape)
        let message = try dsp.decode(TransferRequestMessage.self, from: body, errorShape: shape)
        let refusal = { (reason: String) in
            DSPFailure(.badRequest, shape: .transfer(providerPid: "", consumerPid: message.consumerPid), code: "400",
                       reasons: [reason])
        }
        guard message.format == TransferFormat.pull || message.format == TransferFormat.push else {
            throw refusal("format \(message.format) is not supported; use \(TransferFormat.pull) or \(TransferFormat.push)")
        }
        if message.format == TransferFormat.push {
            guard let target = message.dataAddress?.endpoint else {
                throw refusal("\(TransferFormat.push) needs a dataAddress with the endpoint to deliver to")
            }
            // The data goes to the member the agreement was made with, nowhere else (not to another member).
            guard RegisteredOrigin.contains(target, endpoint: dsp.member.endpoint) else {
                throw refusal("the push endpoint \(target) is not at your registered endpoint \(dsp.member.endpoint)")
            }
        }
        guard let callback = PeerEndpoint(message.callbackAddress), let own = PeerEndpoint(dsp.member.endpoint),
              callback.host.lowercased() == own.host.lowercased(), callback.port == own.port else {
            throw refusal("callbackAddress \(message.callbackAddress) is not at your registered endpoint \(dsp.member.endpoint)")
        }
        let ack: TransferProcess = try context.database.transaction { tx in
            if let existing = try TransferTable.find(role: .provider, peer: dsp.member.id, consumerPid: message.consumerPid,
                                                     in: tx), let process = existing.process {
                return process  // a repeated request is answered again, not applied again
            }
            let pid = TransferProcessor.newId()
            let decision = try policy.decide(agreementId: message.agreementId, memberId: dsp.member.id, phase: .transfer,
                                             context: context, in: tx)
            var datasetId = "unknown"
            if case let .permit(contract) = decision { datasetId = contract.agreement.target }
            var machine = TransferProcessMachine(role: .provider, localPid: pid)
            if case let .failure(error) = machine.apply(.request(message), from: .consumer) {
                throw refusal(error.description)
            }
            let now = context.clock()
            var record = TransferRecord(localPid: pid, role: .provider, peerMemberId: dsp.member.id,
                                        agreementId: message.agreementId, datasetId: datasetId, format: message.format,
                                        callbackAddress: message.callbackAddress, machine: machine,
                                        dataAddress: message.dataAddress, createdAt: now, updatedAt: now)
            try TransferTable.insert(record, in: tx)
            try context.audit.record(AuditEvent(kind: "transfer.requested", fields: [
                "pid": .string(pid), "role": "provider", "peer": .string(dsp.member.id),
                "agreementId": .string(message.agreementId), "format": .string(message.format),
                "consumerPid": .string(message.consumerPid),
            ]), in: tx)
            let acknowledgement = record.process ?? TransferProcess(providerPid: pid, consumerPid: message.consumerPid,
                                                                    state: .requested)
            var reasons: [String] = []
            var size = 0
            switch decision {
            case let .deny(denied): reasons = denied
            case let .permit(contract):
                if let file = try files.file(forDataset: contract.agreement.target, in: tx) {
                    record.expectedSHA256 = file.sha256
                    size = DownloadFile.size(at: file.path)
                } else {
                    reasons = ["Dataset \(contract.agreement.target) is not available at this connector any more"]
                }
            }
            if !reasons.isEmpty {
                try context.audit.record(AuditEvent(kind: "transfer.denied", fields: [
                    "pid": .string(pid), "peer": .string(dsp.member.id), "agreementId": .string(message.agreementId),
                    "reasons": .array(reasons.map { .string($0) }),
                ]), in: tx)
                try processor.terminate(&record, code: "PolicyDenied", reason: reasons.joined(separator: "; "), in: tx)
                return acknowledgement
            }
            var dataAddress: DataAddress?
            if message.format == TransferFormat.pull {
                let token = DataToken.make()
                record.token = token
                dataAddress = DataAddress(
                    endpointType: TransferFormat.endpointType,
                    endpoint: context.configuration.endpoint.trimmingSuffix("/") + "/data/" + pid,
                    endpointProperties: [EndpointProperty(name: "authorization", value: token),
                                         EndpointProperty(name: "authType", value: "bearer"),
                                         EndpointProperty(name: TransferFormat.byteSizeProperty, value: String(size))]
                        + (record.expectedSHA256.map { [EndpointProperty(name: TransferFormat.datasetVersionProperty, value: $0)] } ?? []))
                record.dataAddress = dataAddress
            }
            try TransferTable.update(record, in: tx)
            let start = TransferMessage.start(TransferStartMessage(id: TransferProcessor.newId(), providerPid: pid,
                                                                   consumerPid: message.consumerPid, dataAddress: dataAddress))
            try processor.send(start, record: &record, applyNow: false, in: tx)
            return acknowledgement
        }
        return try DSPResponse.json(ack, status: .created)
    }

    private func message(_ kind: TransferMessage.Kind, _ dsp: DSPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let pid = dsp.parameter("pid") ?? ""
        let shape = DSPErrorShape.transfer(providerPid: pid, consumerPid: "")
        let message = try dsp.decode(TransferMessage.self, from: body, errorShape: shape)
        guard message.kind == kind else {
            throw DSPFailure(.badRequest, shape: shape, code: "400",
                             reasons: ["this route takes a \(kind.rawValue), not a \(message.kind.rawValue)"])
        }
        let denied: String? = try context.database.transaction { tx in
            var record = try OwnedTransfer.provider.record(dsp, in: tx)
            if case .completion = message { record.sha256 = record.expectedSHA256 }
            if case .start = message, record.state == .suspended, record.machine.suspendedBy == .consumer,
               case let .deny(reasons) = try policy.decide(agreementId: record.agreementId, memberId: dsp.member.id,
                                                           phase: .transfer, transfer: record.localPid, context: context, in: tx) {
                // The consumer's restart is a start: the contract must still allow the transfer (validity, count).
                let reason = reasons.joined(separator: "; ")
                try processor.terminate(&record, code: "PolicyDenied", reason: reason, in: tx)
                return reason
            }
            _ = try processor.receive(message, record: &record, in: tx)
            return nil
        }
        if let denied {
            throw DSPFailure(.badRequest, shape: .transfer(providerPid: pid, consumerPid: message.consumerPid), code: "PolicyDenied",
                             reasons: [denied])
        }
        return DSPResponse.ok
    }
}
