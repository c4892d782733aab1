import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore
import VerbundTransport

/// The consumer's DSP callback routes under its callback address `<endpoint>/callback` (DSP 2025-1 TP HTTPS binding:
/// `/:callback/transfers/:consumerPid/{start,completion,suspension,termination}`), plus `GET` of the process, which the
/// DSP TCK calls too. Only the provider of the process may call them; anyone else gets 404.
struct TransferConsumerRoutes: Sendable {
    static let callbackPath = "/callback"

    let context: ConnectorContext
    let processor: TransferProcessor

    func register(into router: inout DSPRoutes) {
        let base = Self.callbackPath + "/transfers/:cpid"
        router.get(base) { dsp, _ in
            let record = try context.database.read { tx in try OwnedTransfer.consumer.record(dsp, in: tx) }
            guard let process = record.process else { throw OwnedTransfer.consumer.notFound(dsp) }
            return try DSPResponse.json(process)
        }
        for (suffix, kind) in [("start", TransferMessage.Kind.start), ("completion", .completion),
                               ("suspension", .suspension), ("termination", .termination)] {
            router.post(base + "/" + suffix) { request, body in try message(kind, request, body) }
        }
    }

    private func message(_ kind: TransferMessage.Kind, _ dsp: DSPRequest, _ body: RequestBody) throws -> HTTPResponse {
        let cpid = dsp.parameter("cpid") ?? ""
        let shape = DSPErrorShape.transfer(providerPid: "", consumerPid: cpid)
        let message = try dsp.decode(TransferMessage.self, from: body, errorShape: shape)
        guard message.kind == kind else {
            throw DSPFailure(.badRequest, shape: shape, code: "400",
                             reasons: ["this route takes a \(kind.rawValue), not a \(message.kind.rawValue)"])
        }
        try context.database.transaction { tx in
            var record = try OwnedTransfer.consumer.record(dsp, in: tx)
            if case let .start(start) = message, record.format == TransferFormat.pull {
                let refuse = { (reason: String) in
                    DSPFailure(.badRequest, shape: .transfer(providerPid: start.providerPid, consumerPid: cpid), code: "400",
                               reasons: [reason])
                }
                guard let address = start.dataAddress, let endpoint = address.endpoint,
                      address[property: "authorization"] != nil else {
                    throw refuse("a start message of an \(TransferFormat.pull) transfer needs a dataAddress with endpoint and "
                                 + "authorization")
                }
                // This connector sends its token and its member certificate to the data address: only ever to the
                // provider's own registered origin, never to another member a provider names.
                guard RegisteredOrigin.contains(endpoint, endpoint: dsp.member.endpoint) else {
                    throw refuse("the data address \(endpoint) is not at your registered endpoint \(dsp.member.endpoint)")
                }
                if let declared = address[property: TransferFormat.byteSizeProperty], Int64(declared).map({ $0 >= 0 }) != true {
                    throw refuse("\(TransferFormat.byteSizeProperty) must be the dataset's size in bytes, not \(declared)")
                }
                record.dataAddress = address
            }
            _ = try processor.receive(message, record: &record, in: tx)
        }
        return DSPResponse.ok
    }
}
