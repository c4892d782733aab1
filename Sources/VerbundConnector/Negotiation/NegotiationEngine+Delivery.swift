import VerbundDataspace
import VerbundStore

/// The delivery phases of our pending message as part of the committed state (see `NegotiationEngine`): on the wire
/// means its announced state is committed; a failed attempt goes back to the state before.
extension NegotiationEngine {
    /// Before each delivery attempt: commits the state our pending message announces (it is now on the wire).
    func willSend(_ delivery: OutboxDelivery, in tx: Transaction) throws {
        guard let localPid = delivery.correlation, var record = try NegotiationTable.find(localPid: localPid, in: tx),
              record.pendingOutboxId == delivery.id, let pending = record.pending, record.pendingSentFrom == nil else { return }
        var machine = record.machine
        // A message the machine no longer allows (the peer moved on) is sent as it is; its outcome changes nothing.
        guard case let .success(step) = machine.apply(pending, from: record.role) else { return }
        record.pendingSentFrom = record.machine
        record.machine = machine
        if !step.isDuplicate { try stateChanged(&record, step: step, by: pending, from: record.role, in: tx) }
        try NegotiationTable.update(record, in: tx)
    }

    /// A delivery attempt failed for now (the peer answered 5xx, or the connection failed): the peer does not hold our
    /// message, so we go back to the state before it until an attempt gets through.
    func attemptFailed(_ delivery: OutboxDelivery, in tx: Transaction) throws {
        guard let localPid = delivery.correlation, var record = try NegotiationTable.find(localPid: localPid, in: tx),
              record.pendingOutboxId == delivery.id, let before = record.pendingSentFrom else { return }
        try revert(&record, to: before, why: "the peer did not take our \(record.pending?.kind.rawValue ?? "message") yet", in: tx)
        try NegotiationTable.update(record, in: tx)
    }

    /// Back to the state before our message went on the wire, with an audit entry saying why.
    func revert(_ record: inout NegotiationRecord, to before: ContractNegotiationMachine, why: String,
                in tx: Transaction) throws {
        let announced = record.state
        record.machine = before
        record.pendingSentFrom = nil
        if before.state != .finalized {
            record.finalizedAt = nil
            record.contractJWS = nil
        }
        record.updatedAt = context.clock()
        var fields = baseFields(record)
        fields["from"] = announced.map { .string($0.rawValue) } ?? .null
        fields["to"] = before.state.map { .string($0.rawValue) } ?? .null
        fields["reason"] = .string(why)
        try context.audit.record(AuditEvent(kind: "negotiation.state.reverted", fields: fields), in: tx)
        count(record)
    }
}
