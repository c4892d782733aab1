import Foundation
import VerbundDataspace
import VerbundStore

/// The outbox kinds of the transfer module and what their outcomes do (in the transaction that finishes the message).
///
/// - `transfer.request` (consumer): the provider's `TransferProcess` answer gives us its `providerPid`; a refusal or
///   an undeliverable request ends the process here with the provider's reason.
/// - `transfer.start`, `transfer.completion` (either side): the state changes in the transaction that commits just
///   before the message goes on the wire (`willSend`), so a peer that acts on it at once (e.g. requests the data right
///   after taking the start message) is never refused; the peer's 2xx then changes nothing more. A start message
///   carries the data address and its token, so STARTED before the peer holds it exposes nothing; the state stays
///   while the message is retried.
///   A start the consumer refused for good, or that cannot be delivered, ends the provider's process (TERMINATED).
/// - `transfer.suspension`, `transfer.termination`: already applied when sent; the outcome is only logged.
struct TransferOutbox: Sendable {
    let processor: TransferProcessor

    static func kind(_ kind: TransferMessage.Kind) -> String {
        switch kind {
        case .request: return "transfer.request"
        case .start: return "transfer.start"
        case .completion: return "transfer.completion"
        case .suspension: return "transfer.suspension"
        case .termination: return "transfer.termination"
        }
    }

    /// Before each delivery attempt of a start or completion message: commit the state it announces.
    func willSend(_ delivery: OutboxDelivery, in tx: Transaction) throws {
        guard let pid = delivery.correlation, var record = try TransferTable.find(localPid: pid, in: tx) else { return }
        let message = try DSPJSON.decode(TransferMessage.self, from: Data(delivery.body))
        switch message {
        case .start, .completion: try processor.acknowledged(message, record: &record, in: tx)
        case .request, .suspension, .termination: break
        }
    }

    func handle(_ delivery: OutboxDelivery, outcome: OutboxOutcome, in tx: Transaction,
                        context: ConnectorContext) throws {
        guard let pid = delivery.correlation, var record = try TransferTable.find(localPid: pid, in: tx) else { return }
        let message = try DSPJSON.decode(TransferMessage.self, from: Data(delivery.body))
        switch (message, outcome) {
        case let (.request, .acknowledged(_, body)):
            guard let ack = try? DSPJSON.decode(TransferProcess.self, from: Data(body)) else {
                try processor.endLocally(&record, reason: "the provider's answer to the transfer request is not a TransferProcess",
                                         in: tx)
                return
            }
            var machine = record.machine
            if case .success = machine.acknowledge(ack) {
                record.machine = machine
                record.updatedAt = context.clock()
                try TransferTable.update(record, in: tx)
            }
        case let (.request, .refused(status, body)):
            try processor.endLocally(&record, reason: "the provider refused the transfer request (\(status)): "
                                        + Self.reasons(body), in: tx)
        case let (.request, .undeliverable(reason)):
            try processor.endLocally(&record, reason: "the transfer request could not be delivered: \(reason)", in: tx)
        case (.start, .acknowledged), (.completion, .acknowledged):
            try processor.acknowledged(message, record: &record, in: tx)
        case (_, .acknowledged):
            break
        case let (.start, .refused(status, body)):
            let why = "refused (\(status)): " + Self.reasons(body)
            try refusedOrLost(message, record: record, why: why, in: tx, context: context)
            try endUnstarted(&record, why: why, in: tx)
        case let (.start, .undeliverable(reason)):
            let why = "undeliverable: \(reason)"
            try refusedOrLost(message, record: record, why: why, in: tx, context: context)
            try endUnstarted(&record, why: why, in: tx)
        case let (_, .refused(status, body)):
            try refusedOrLost(message, record: record, why: "refused (\(status)): " + Self.reasons(body), in: tx, context: context)
        case let (_, .undeliverable(reason)):
            try refusedOrLost(message, record: record, why: "undeliverable: \(reason)", in: tx, context: context)
        }
    }

    /// The consumer refused the provider's start (or cannot be reached for good): the transfer can never run, so it
    /// ends here instead of waiting in REQUESTED forever and counting as a use of the contract. Having sent no data,
    /// it is no use (`TransferTable.usedCount`). The state is already STARTED here when the start was attempted (`willSend`);
    /// a refused restart after a suspension ends the transfer as well: the consumer did not take it up again.
    private func endUnstarted(_ record: inout TransferRecord, why: String, in tx: Transaction) throws {
        guard record.role == .provider, record.state == .requested || record.state == .started else { return }
        try processor.endLocally(&record, reason: "the consumer did not take the start of the transfer: \(why)", in: tx)
    }

    private func refusedOrLost(_ message: TransferMessage, record: TransferRecord, why: String, in tx: Transaction,
                               context: ConnectorContext) throws {
        context.logger.warning("transfer.message.failed", [
            "pid": .string(record.localPid), "message": .string(message.kind.rawValue), "peer": .string(record.peerMemberId),
            "why": .string(why),
        ])
        try context.audit.record(AuditEvent(kind: "transfer.message.failed", fields: [
            "pid": .string(record.localPid), "message": .string(message.kind.rawValue), "peer": .string(record.peerMemberId),
            "why": .string(why),
        ]), in: tx)
    }

    /// The reasons of a `TransferError` body, or the body as text.
    static func reasons(_ body: [UInt8]) -> String {
        if let error = try? DSPJSON.decode(TransferError.self, from: Data(body)), !error.reason.isEmpty {
            return error.reason.joined(separator: "; ")
        }
        return body.isEmpty ? "no reason given" : String(decoding: body.prefix(500), as: UTF8.self)
    }
}
