import Foundation
import VerbundDataspace
import VerbundHTTP
import VerbundStore

/// Applies transfer messages to stored processes through `TransferProcessMachine` — never around it — and writes the
/// state, its audit entry and the messages it causes in the caller's transaction (docs/design.md §5: nothing is lost).
///
/// Messages this side sends change its state when the peer acknowledges them (`TransferOutbox`), except suspension
/// and termination: those stop the data plane at once (fail closed) and the message follows through the outbox.
struct TransferProcessor: Sendable {
    let context: ConnectorContext
    let gate: DataPlaneGate

    /// Applies `message` from the peer. A refused transition answers 400 with a `TransferError`; nothing changes.
    func receive(_ message: TransferMessage, record: inout TransferRecord, in tx: Transaction) throws -> TransferProcessMachine.Step {
        var machine = record.machine
        switch machine.apply(message, from: record.role.peer) {
        case let .failure(error):
            let reply = record.machine.errorReply(error, to: message)
            throw DSPFailure(.badRequest, shape: .transfer(providerPid: reply.providerPid, consumerPid: reply.consumerPid),
                             code: reply.code, reasons: reply.reason)
        case let .success(step):
            guard !step.isDuplicate else { return step }
            record.machine = machine
            try changed(&record, by: message, sender: record.role.peer, in: tx)
            return step
        }
    }

    /// Sends `message` to the peer through the outbox. With `applyNow` the state changes in this transaction
    /// (suspension, termination); otherwise when the peer acknowledges. Throws the refusal if the machine would not
    /// allow this side to send it now.
    func send(_ message: TransferMessage, record: inout TransferRecord, applyNow: Bool, in tx: Transaction) throws {
        var machine = record.machine
        let result = machine.apply(message, from: record.role)
        if case let .failure(error) = result { throw error }
        if applyNow {
            record.machine = machine
            try changed(&record, by: message, sender: record.role, in: tx)
        }
        try context.enqueue(OutboxRequest(kind: TransferOutbox.kind(message.kind), correlation: record.localPid,
                                          destination: destination(of: message, for: record),
                                          body: Array(try DSPJSON.encode(message))), in: tx)
    }

    /// Applies a message this side sent once the peer acknowledged it; a duplicate or a refused transition (the
    /// process moved on meanwhile, e.g. the peer terminated) changes nothing.
    func acknowledged(_ message: TransferMessage, record: inout TransferRecord, in tx: Transaction) throws {
        var machine = record.machine
        guard case let .success(step) = machine.apply(message, from: record.role), !step.isDuplicate else { return }
        record.machine = machine
        try changed(&record, by: message, sender: record.role, in: tx)
    }

    /// Terminates a running process from this side now, with `reason`, and tells the peer (best effort if the peer
    /// is no longer a member: the outbox reports it undeliverable).
    func terminate(_ record: inout TransferRecord, code: String, reason: String, in tx: Transaction) throws {
        guard let state = record.state, !state.isTerminal, let providerPid = record.providerPid else {
            if record.state == nil || record.providerPid == nil {
                // Never acknowledged by the provider: nothing to tell, but it ends here.
                try endLocally(&record, reason: reason, in: tx)
            }
            return
        }
        let message = TransferMessage.termination(TransferTerminationMessage(
            id: Self.newId(), providerPid: providerPid, consumerPid: record.consumerPid, code: code, reason: [reason]))
        try send(message, record: &record, applyNow: true, in: tx)
    }

    /// Ends a process that never reached the peer (its request was refused or undeliverable).
    func endLocally(_ record: inout TransferRecord, reason: String, in tx: Transaction) throws {
        let pid = record.providerPid ?? "urn:verbund:transfer:unassigned"
        var machine = TransferProcessMachine(role: record.role, state: record.state ?? .requested, providerPid: pid,
                                             consumerPid: record.consumerPid)
        let message = TransferMessage.termination(TransferTerminationMessage(
            id: Self.newId(), providerPid: pid, consumerPid: record.consumerPid, code: "Refused", reason: [reason]))
        guard case .success = machine.apply(message, from: record.role) else { return }
        record.machine = machine
        try changed(&record, by: message, sender: record.role, in: tx)
    }

    /// Persists `record` after `message` moved it, logs the change and stops the data plane when it must stop.
    private func changed(_ record: inout TransferRecord, by message: TransferMessage, sender: DSPRole, in tx: Transaction) throws {
        record.updatedAt = context.clock()
        var fields: [String: JSONValue] = [
            "pid": .string(record.localPid), "role": .string(record.role.rawValue), "peer": .string(record.peerMemberId),
            "agreementId": .string(record.agreementId), "dataset": .string(record.datasetId),
            "format": .string(record.format), "by": .string(sender.rawValue),
            "state": .string(record.state?.rawValue ?? "none"),
        ]
        switch message {
        case let .suspension(m):
            record.reason = m.reason.joined(separator: "; ")
            fields["reason"] = .string(record.reason ?? "")
        case let .termination(m):
            record.reason = m.reason.joined(separator: "; ")
            fields["reason"] = .string(record.reason ?? "")
        case .completion:
            fields["bytes"] = .integer(record.bytes)
            if let sha256 = record.sha256 ?? record.expectedSHA256 {
                fields["sha256"] = .string(sha256)
                fields["datasetVersion"] = .string(sha256)  // a file dataset's version is its snapshot's SHA-256
            }
        case .start, .request:
            break
        }
        if record.state != .started { gate.cut(record.localPid, reason: record.reason ?? "the transfer is \(record.state?.rawValue ?? "not started")") }
        else { gate.reopen(record.localPid) }
        try TransferTable.update(record, in: tx)
        try context.audit.record(AuditEvent(kind: "transfer." + (record.state?.rawValue.lowercased() ?? "changed"), fields: fields), in: tx)
        context.metrics.increment(TransferMetrics.transitions, labels: ["role": record.role.rawValue,
                                                                        "state": record.state?.rawValue ?? "NONE"])
        context.logger.info("transfer.state", [
            "pid": .string(record.localPid), "role": .string(record.role.rawValue), "peer": .string(record.peerMemberId),
            "state": .string(record.state?.rawValue ?? "none"), "by": .string(sender.rawValue),
        ])
    }

    /// Where a message of this side goes: the provider writes to the consumer's callback address, the consumer to
    /// the provider's DSP endpoint (DSP 2025-1 TP HTTPS binding).
    private func destination(of message: TransferMessage, for record: TransferRecord) throws -> OutboxDestination {
        let suffix: String
        switch message.kind {
        case .request: return .member(record.peerMemberId, path: "/transfers/request")
        case .start: suffix = "start"
        case .completion: suffix = "completion"
        case .suspension: suffix = "suspension"
        case .termination: suffix = "termination"
        }
        if record.role == .provider {
            let base = record.callbackAddress.hasSuffix("/") ? String(record.callbackAddress.dropLast()) : record.callbackAddress
            return .url(base + "/transfers/" + record.consumerPid + "/" + suffix)
        }
        guard let providerPid = record.providerPid else {
            throw TransferStoreError("transfer \(record.localPid) has no providerPid yet; wait for the provider's answer")
        }
        return .member(record.peerMemberId, path: "/transfers/" + providerPid + "/" + suffix)
    }

    static func newId() -> String { "urn:uuid:" + UUID().uuidString.lowercased() }
}
