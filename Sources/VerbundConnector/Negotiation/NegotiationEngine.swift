import Foundation
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundStore
import VerbundTransport
import VerbundTrust

/// Drives negotiations on both sides with `ContractNegotiationMachine`:
///
/// - A message we send is written to the outbox as `pending` (queued), in the transaction of the decision that causes
///   it. Once it can be in the peer's hands, we must already be in the state it announces, so the peer's next step is
///   never refused: the machine applies it in the transaction that commits just before each delivery attempt
///   (`willSend`, the message is then on the wire, `pendingSentFrom` keeps the state before). An attempt that fails
///   for now (503, lost connection) goes back to that state (`attemptFailed`); the peer's 2xx ends the pending phase;
///   a final refusal goes back and then terminates. The delivery phase is thus part of the committed state.
/// - A message we receive is applied in the transaction that answers it; the machine recognises replays. A peer's
///   step that needs our pending message while that message is queued or was refused (the peer does not hold it) is
///   refused with 400 in the state both sides agree on — nothing but its own 2xx acknowledges a message.
///
/// Every change, its audit entry and the messages it causes commit together.
struct NegotiationEngine: Sendable {
    static let outboxKind = "negotiation.message"
    /// Where Verbund takes consumer callbacks, under its DSP endpoint (DSP 2025-1: the `:callback` part is free).
    static let callbackPath = "/callback"

    let context: ConnectorContext
    let offers: any OfferLookup
    let tap: NegotiationWireTap?

    // MARK: Sending

    /// Enqueues `message` to the peer as this negotiation's pending message.
    func send(_ message: NegotiationMessage, for record: inout NegotiationRecord, in tx: Transaction) throws {
        let body = [UInt8](try message.dspMessage.encoded())
        let destination: OutboxDestination
        switch record.role {
        case .consumer:
            destination = .member(record.peerMemberId, path: try Self.providerPath(of: message))
        case .provider:
            guard let callback = record.callbackAddress else {
                throw NegotiationStoreError("negotiation \(record.localPid) has no callback address")
            }
            destination = .url(Self.trimmingSlashes(callback) + (try Self.consumerPath(of: message)))
        }
        let request = OutboxRequest(kind: Self.outboxKind, correlation: record.localPid, destination: destination, body: body)
        try context.enqueue(request, in: tx)
        record.pending = message
        record.pendingOutboxId = request.id
        record.pendingSentFrom = nil
        record.updatedAt = context.clock()
        tap?.record(.sent, body)
    }

    /// The path under the provider's DSP endpoint a consumer message goes to (DSP 2025-1 CN HTTPS binding).
    static func providerPath(of message: NegotiationMessage) throws -> String {
        func process(_ suffix: String) throws -> String {
            guard let pid = message.providerPid else { throw NegotiationStoreError("\(message.kind.rawValue) without a providerPid") }
            return "/negotiations/\(pathSegment(pid))\(suffix)"
        }
        switch message {
        case .request(let request): return request.providerPid == nil ? "/negotiations/request" : try process("/request")
        case .event: return try process("/events")
        case .verification: return try process("/agreement/verification")
        case .termination: return try process("/termination")
        case .offer, .agreement: throw NegotiationStoreError("a consumer does not send \(message.kind.rawValue)")
        }
    }

    /// The path under the consumer's callback address a provider message goes to.
    static func consumerPath(of message: NegotiationMessage) throws -> String {
        func process(_ suffix: String) throws -> String {
            guard let pid = message.consumerPid else { throw NegotiationStoreError("\(message.kind.rawValue) without a consumerPid") }
            return "/negotiations/\(pathSegment(pid))\(suffix)"
        }
        switch message {
        case .offer(let offer): return offer.consumerPid == nil ? "/negotiations/offers" : try process("/offers")
        case .agreement: return try process("/agreement")
        case .event: return try process("/events")
        case .termination: return try process("/termination")
        case .request, .verification: throw NegotiationStoreError("a provider does not send \(message.kind.rawValue)")
        }
    }

    /// Callback addresses may end with `/` (DSP 2025-1: implementations SHOULD handle both).
    static func trimmingSlashes(_ address: String) -> String {
        var text = address
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static func pathSegment(_ pid: String) -> String {
        pid.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? pid
    }

    // MARK: Receiving

    /// Applies a message the peer sent to negotiation `localPid` and answers it: 200 with the acknowledgement (201 is
    /// the creating routes' business), 404 for an unknown negotiation or another member's, 400 + error for an invalid
    /// transition (state unchanged). `check` may refuse the message; it runs on a snapshot before the write
    /// transaction, so slow checks (signatures) do not hold the database.
    func receive(_ message: NegotiationMessage, bytes: [UInt8], localPid: String, as role: DSPRole, from member: Member,
                 check: ((NegotiationRecord) throws -> Void)? = nil) throws -> HTTPResponse {
        tap?.record(.received, bytes)
        let notFound = DSPFailure(.notFound, shape: .negotiation(providerPid: message.providerPid ?? "", consumerPid: message.consumerPid ?? ""),
                                  code: "404", reasons: ["no negotiation \(localPid)"])
        if let check {
            guard let snapshot = try context.database.read({ tx in try NegotiationTable.find(localPid: localPid, role: role, in: tx) }),
                  snapshot.peerMemberId == member.id else { throw notFound }
            try check(snapshot)
        }
        let ack = try context.database.transaction { tx -> ContractNegotiation in
            guard var record = try NegotiationTable.find(localPid: localPid, role: role, in: tx),
                  record.peerMemberId == member.id else { throw notFound }
            let step: ContractNegotiationMachine.Step
            do {
                step = try applyReceived(message, to: &record, in: tx)
            } catch let error as TransitionError {
                context.logger.warning("negotiation.message.refused", [
                    "negotiation": .string(localPid), "member": .string(member.id), "reason": .string(error.description),
                ])
                let body = record.machine.errorReply(error, to: message)
                throw DSPFailure(.badRequest, shape: .negotiation(providerPid: body.providerPid, consumerPid: body.consumerPid),
                                 code: body.code, reasons: body.reason)
            }
            if let peerPid = record.peerPid,
               let other = try NegotiationTable.find(role: role, peer: member.id, peerPid: peerPid, in: tx), other.localPid != localPid {
                // The unique index would refuse it too; this says why, and the state stays as it was.
                throw DSPFailure(.badRequest, shape: .negotiation(providerPid: record.providerPid ?? "", consumerPid: record.consumerPid ?? ""),
                                 code: "DuplicateProcessId", reasons: ["process id \(peerPid) already names another negotiation with this member"])
            }
            if !step.isDuplicate {
                try stateChanged(&record, step: step, by: message, from: record.peerRole, in: tx)
                try NegotiationTable.update(record, in: tx)
            }
            return try acknowledgement(record)
        }
        return try DSPResponse.json(ack)
    }

    /// The `ContractNegotiation` ACK of `record`'s current state.
    func acknowledgement(_ record: NegotiationRecord) throws -> ContractNegotiation {
        guard let ack = record.machine.negotiation else {
            throw DSPFailure(.notFound, shape: .negotiation(providerPid: record.providerPid ?? "", consumerPid: record.consumerPid ?? ""),
                             code: "404", reasons: ["negotiation \(record.localPid) has not started yet"])
        }
        return ack
    }

    /// Applies a received message to the committed state (which includes our pending message once it is on the wire).
    private func applyReceived(_ message: NegotiationMessage, to record: inout NegotiationRecord,
                               in tx: Transaction) throws -> ContractNegotiationMachine.Step {
        var machine = record.machine
        switch machine.apply(message, from: record.peerRole) {
        case let .success(step):
            record.machine = machine
            return step
        case let .failure(error):
            throw error
        }
    }

    // MARK: Acknowledgements of what we sent

    /// The outbox handler: the peer's 2xx ends our message's pending phase (and applies it if it never went on the
    /// wire, e.g. a message enqueued before this version); a final refusal goes back to the state before and terminates.
    func finished(_ delivery: OutboxDelivery, outcome: OutboxOutcome, in tx: Transaction) throws {
        guard let localPid = delivery.correlation, var record = try NegotiationTable.find(localPid: localPid, in: tx) else { return }
        guard record.pendingOutboxId == delivery.id, let pending = record.pending else {
            // Superseded: the peer's next message or a termination replaced it.
            return
        }
        let sentFrom = record.pendingSentFrom
        record.pending = nil
        record.pendingOutboxId = nil
        record.pendingSentFrom = nil
        record.updatedAt = context.clock()
        switch outcome {
        case let .acknowledged(_, body):
            tap?.record(.acknowledgement, body)
            var machine = record.machine
            var applied: ContractNegotiationMachine.Step?
            if sentFrom == nil {
                switch machine.apply(pending, from: record.role) {
                case let .success(step):
                    applied = step
                case let .failure(error):
                    // The negotiation moved on meanwhile (e.g. the peer terminated it); our message changes nothing.
                    context.logger.notice("negotiation.acknowledgement.ignored", [
                        "negotiation": .string(localPid), "reason": .string(error.description),
                    ])
                    try NegotiationTable.update(record, in: tx)
                    return
                }
            }
            if record.role == .consumer, case .request = pending, machine.providerPid == nil,
               let ack = try? DSPJSON.decode(ContractNegotiation.self, from: Data(body)) {
                // The 201 to our initial request carries the provider's process id (else its first message will).
                var problem: String?
                if case let .failure(error) = machine.acknowledge(ack) {
                    problem = "the provider's acknowledgement does not match: \(error)"
                } else if let other = try NegotiationTable.find(role: .consumer, peer: record.peerMemberId, peerPid: ack.providerPid, in: tx),
                          other.localPid != record.localPid {
                    problem = "the provider answered with providerPid \(ack.providerPid), which already names another negotiation"
                }
                if let problem {
                    if let sentFrom { record.machine = sentFrom }
                    try abandon(&record, after: pending, reason: problem, in: tx)
                    try NegotiationTable.update(record, in: tx)
                    return
                }
            }
            record.machine = machine
            if let applied, !applied.isDuplicate { try stateChanged(&record, step: applied, by: pending, from: record.role, in: tx) }
        case let .refused(status, body):
            tap?.record(.acknowledgement, body)
            if let sentFrom { try revert(&record, to: sentFrom, why: "the peer refused our \(pending.kind.rawValue) (\(status))", in: tx) }
            let reasons = (try? DSPJSON.decode(ContractNegotiationError.self, from: Data(body)))?.reason ?? []
            let why = "the peer refused our \(pending.kind.rawValue) (\(status))"
                + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; "))
            try abandon(&record, after: pending, reason: why, in: tx)
        case let .undeliverable(reason):
            if let sentFrom { try revert(&record, to: sentFrom, why: "our \(pending.kind.rawValue) cannot be delivered", in: tx) }
            try abandon(&record, after: pending, reason: "our \(pending.kind.rawValue) cannot be delivered: \(reason)", in: tx)
        }
        try NegotiationTable.update(record, in: tx)
    }

    /// Our message will not be taken: tell the peer we terminate where DSP lets us, else end the negotiation here.
    private func abandon(_ record: inout NegotiationRecord, after pending: NegotiationMessage, reason: String,
                         in tx: Transaction) throws {
        if pending.kind != .termination, let termination = terminationMessage(record, reason: reason),
           ContractNegotiationMachine.transition(from: record.state, .termination, sender: record.role) != nil {
            record.reason = reason
            try send(.termination(termination), for: &record, in: tx)
            return
        }
        let previous = record.state
        record.machine = ContractNegotiationMachine(role: record.role, state: .terminated, providerPid: record.providerPid,
                                                    consumerPid: record.consumerPid)
        record.reason = record.reason ?? reason
        try context.audit.record(AuditEvent(kind: "negotiation.abandoned", fields: baseFields(record).merging([
            "from": previous.map { .string($0.rawValue) } ?? .null, "reason": .string(reason),
        ]) { $1 }), in: tx)
        count(record)
    }

    /// Ends, here, every unfinished negotiation with a member the federation revoked: nothing can be sent to it any
    /// more and nothing it sends is admitted (docs/design.md §11 "Federation", revocation). Returns how many were ended.
    @discardableResult
    func endNegotiations(withRevoked memberIds: Set<String>) throws -> Int {
        guard !memberIds.isEmpty else { return 0 }
        return try context.database.transaction { tx -> Int in
            var ended = 0
            for var record in try NegotiationTable.unfinished(in: tx) where memberIds.contains(record.peerMemberId) {
                let previous = record.state
                record.machine = ContractNegotiationMachine(role: record.role, state: .terminated, providerPid: record.providerPid,
                                                            consumerPid: record.consumerPid)
                record.pending = nil
                record.pendingOutboxId = nil
                record.pendingSentFrom = nil
                record.reason = "member \(record.peerMemberId) was revoked by the federation"
                record.updatedAt = context.clock()
                try context.audit.record(AuditEvent(kind: "negotiation.abandoned", fields: baseFields(record).merging([
                    "from": previous.map { .string($0.rawValue) } ?? .null, "reason": .string(record.reason ?? ""),
                ]) { $1 }), in: tx)
                try NegotiationTable.update(record, in: tx)
                count(record)
                ended += 1
            }
            return ended
        }
    }

    /// A termination of `record` with `reason`, once both process ids are known.
    func terminationMessage(_ record: NegotiationRecord, reason: String, code: String = "Terminated")
        -> ContractNegotiationTerminationMessage? {
        guard let providerPid = record.providerPid, let consumerPid = record.consumerPid else { return nil }
        return ContractNegotiationTerminationMessage(providerPid: providerPid, consumerPid: consumerPid, code: code,
                                                     reason: [reason])
    }

    // MARK: State changes

    /// Records a transition and does what it calls for on this side.
    func stateChanged(_ record: inout NegotiationRecord, step: ContractNegotiationMachine.Step, by message: NegotiationMessage,
                      from sender: DSPRole, in tx: Transaction) throws {
        record.updatedAt = context.clock()
        try audit(record, step: step, message: message, sender: sender, note: nil, in: tx)
        count(record)
        if case let .termination(termination) = message, sender != record.role {
            record.reason = termination.reason.isEmpty ? "terminated by the \(sender.rawValue)" : termination.reason.joined(separator: "; ")
            record.pending = nil
            record.pendingOutboxId = nil
            record.pendingSentFrom = nil
        }
        switch (record.role, step.state, sender == record.role) {
        case (.provider, .requested, false):
            try decide(&record, in: tx)
        case (.provider, .verified, false):
            if case let .verification(verification)? = record.machine.lastMessage {
                record.consumerSignature = verification.signature  // checked before the transition
            }
            guard let providerPid = record.providerPid, let consumerPid = record.consumerPid else { return }
            try send(.event(ContractNegotiationEventMessage(providerPid: providerPid, consumerPid: consumerPid, eventType: .finalized)),
                     for: &record, in: tx)
        case (.consumer, .agreed, false):
            try verifyAgreement(&record, in: tx)
        case (.consumer, .offered, false):
            if let termination = terminationMessage(record, reason: "Verbund does not take offers it did not ask for or counter-offers automatically",
                                                    code: "OfferNotAccepted") {
                record.reason = termination.reason.first
                try send(.termination(termination), for: &record, in: tx)
            }
        case (_, .finalized, _):
            try finalize(&record, in: tx)
        default:
            break
        }
    }

    private func finalize(_ record: inout NegotiationRecord, in tx: Transaction) throws {
        let now = context.clock()
        record.finalizedAt = now
        let signatures = [record.providerSignature, record.consumerSignature].compactMap { $0 }
        record.contractJWS = signatures.isEmpty ? nil : try ContractSignature.contract(signatures: signatures)
        try context.audit.record(AuditEvent(kind: "negotiation.contract", fields: baseFields(record).merging([
            "agreementId": record.agreement.map { .string($0.id) } ?? .null,
            "signing": .string(record.signing ?? "unsigned"),
            "contractSHA256": record.contractJWS.map { .string(SHA256.hexHash(Array($0.utf8))) } ?? .null,
        ]) { $1 }), in: tx)
    }

    private func audit(_ record: NegotiationRecord, step: ContractNegotiationMachine.Step, message: NegotiationMessage,
                       sender: DSPRole, note: String?, in tx: Transaction) throws {
        var fields = baseFields(record)
        fields["from"] = step.previous.map { .string($0.rawValue) } ?? .null
        fields["to"] = .string(step.state.rawValue)
        fields["message"] = .string(message.kind.rawValue)
        fields["sender"] = .string(sender.rawValue)
        if let note { fields["note"] = .string(note) }
        if case let .termination(termination) = message, !termination.reason.isEmpty {
            fields["reason"] = .array(termination.reason.map { .string($0) })
        }
        try context.audit.record(AuditEvent(kind: "negotiation.state", fields: fields), in: tx)
    }

    func baseFields(_ record: NegotiationRecord) -> [String: JSONValue] {
        [
            "negotiation": .string(record.localPid), "role": .string(record.role.rawValue), "peer": .string(record.peerMemberId),
            "providerPid": record.providerPid.map { .string($0) } ?? .null,
            "consumerPid": record.consumerPid.map { .string($0) } ?? .null,
            "dataset": .string(record.dataset), "offer": .string(record.offer.id),
        ]
    }

    func count(_ record: NegotiationRecord) {
        context.metrics.increment(NegotiationMetrics.transitions, labels: ["role": record.role.rawValue, "state": record.displayState])
    }
}
