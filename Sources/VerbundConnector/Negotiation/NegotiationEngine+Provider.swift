import Foundation
import VerbundDataspace
import VerbundFederation
import VerbundHTTP
import VerbundStore

extension NegotiationEngine {
    /// `POST /negotiations/request`: a consumer's initial request. An unknown offer or one for another dataset is an
    /// error (DSP: "an unknown offer.@id → the provider MUST return an error"); otherwise the negotiation is created in
    /// REQUESTED (201) and decided in the same transaction. A resent initial request is answered again, not repeated.
    func startProviding(_ request: ContractRequestMessage, bytes: [UInt8], from member: Member) throws -> ContractNegotiation {
        tap?.record(.received, bytes)
        let shape = DSPErrorShape.negotiation(providerPid: request.providerPid ?? "", consumerPid: request.consumerPid)
        func refuse(_ code: String, _ reason: String) -> DSPFailure {
            DSPFailure(.badRequest, shape: shape, code: code, reasons: [reason])
        }
        return try context.database.transaction { tx -> ContractNegotiation in
            if let existing = try NegotiationTable.find(role: .provider, peer: member.id, peerPid: request.consumerPid, in: tx) {
                guard existing.initialRequest == request else {
                    throw refuse("DuplicateConsumerPid", "consumerPid \(request.consumerPid) already names another negotiation with this provider")
                }
                return try acknowledgement(existing)
            }
            guard request.isInitial else {
                throw refuse("InvalidRequest", "an initial request must not name a providerPid; counter-requests go to /negotiations/:providerPid/request")
            }
            guard let published = try offers.offer(id: request.offer.id, in: tx) else {
                throw refuse("UnknownOffer", "offer \(request.offer.id) is not in this connector's catalog")
            }
            guard request.offer.target == published.dataset else {
                throw refuse("UnknownOffer", "offer \(request.offer.id) is for dataset \(published.dataset), not \(request.offer.target ?? "(none)")")
            }
            guard let callback = request.callbackAddress, Self.callback(callback, belongsTo: member) else {
                throw refuse("InvalidCallbackAddress",
                             "callbackAddress must be an https:// URL under the requesting member's registered endpoint origin")
            }
            let now = context.clock()
            let pid = "urn:uuid:" + UUID().uuidString.lowercased()
            var record = NegotiationRecord(
                localPid: pid, role: .provider, peerMemberId: member.id,
                machine: ContractNegotiationMachine(role: .provider, localPid: pid), dataset: published.dataset,
                offer: request.offer, purpose: request.purpose, callbackAddress: callback, initialRequest: request,
                createdAt: now, updatedAt: now)
            let step: ContractNegotiationMachine.Step
            switch record.machine.apply(.request(request), from: .consumer) {
            case let .success(applied): step = applied
            case let .failure(error): throw refuse("InvalidTransition", error.description)
            }
            try NegotiationTable.insert(record, in: tx)
            try stateChanged(&record, step: step, by: .request(request), from: .consumer, in: tx)
            try NegotiationTable.update(record, in: tx)
            return try acknowledgement(record)
        }
    }

    /// A callback address must point at the requesting member's own endpoint origin, so a peer cannot make us send to
    /// another member (the outbox still checks, at delivery, that the server proves to be that member).
    static func callback(_ address: String, belongsTo member: Member) -> Bool {
        guard let callback = PeerEndpoint(address), let endpoint = PeerEndpoint(member.endpoint) else { return false }
        return callback.host.lowercased() == endpoint.host.lowercased() && callback.port == endpoint.port
    }

    /// The provider's automatic decision on REQUESTED: it agrees (signed agreement) when the offer is still published,
    /// the request did not change its rules, and the policy permits this member now; else it terminates with reasons.
    func decide(_ record: inout NegotiationRecord, in tx: Transaction) throws {
        let now = context.clock()
        let member = context.peers.member(id: record.peerMemberId)
        var reasons: [String] = []
        var published: PublishedOffer?
        if let member {
            published = try offers.offer(id: record.offer.id, in: tx)
            if let published {
                if !Self.sameRules(published.offer, record.offer) {
                    reasons.append("The request changes the rules of offer \(record.offer.id); this provider agrees only to its published offers as they stand")
                } else {
                    let facts = EvaluationContext(memberID: member.id, participantID: member.participantId, ags: member.ags?.digits,
                                                  purpose: record.purpose, now: now, phase: .negotiation)
                    if case let .deny(denied) = PolicyEvaluator.evaluate(published.offer, in: facts) { reasons += denied }
                }
            } else {
                reasons.append("Offer \(record.offer.id) is no longer published")
            }
        } else {
            reasons.append("Member \(record.peerMemberId) is no longer in the federation's registry")
        }
        var fields = baseFields(record)
        fields["decision"] = .string(reasons.isEmpty ? "agree" : "terminate")
        fields["reasons"] = .array(reasons.map { .string($0) })
        fields["purpose"] = record.purpose.map { .string($0) } ?? .null
        fields["ags"] = member?.ags.map { .string($0.digits) } ?? .null
        try context.audit.record(AuditEvent(kind: "negotiation.decision", fields: fields), in: tx)

        guard let providerPid = record.providerPid, let consumerPid = record.consumerPid else { return }
        if reasons.isEmpty, let member, let published {
            let agreement = Agreement(id: "urn:uuid:" + UUID().uuidString.lowercased(), accepting: published.offer,
                                      dataset: published.dataset, assigner: context.identity.participantId,
                                      assignee: member.participantId, at: now, purpose: record.purpose).normalized()
            let signature = try ContractSignature.sign(agreement, identity: context.identity)
            record.agreement = agreement
            record.providerSignature = signature
            try send(.agreement(ContractAgreementMessage(providerPid: providerPid, consumerPid: consumerPid, agreement: agreement,
                                                         signature: signature)), for: &record, in: tx)
        } else {
            record.reason = reasons.joined(separator: "; ")
            try send(.termination(ContractNegotiationTerminationMessage(providerPid: providerPid, consumerPid: consumerPid,
                                                                        code: "PolicyDenied", reason: reasons)),
                     for: &record, in: tx)
        }
    }

    /// The provider's check of a verification before it is applied: a countersignature, if present, must be the
    /// consumer's over exactly the agreement we sent. A plain DSP consumer sends none (the contract stays single-signed).
    func checkVerification(_ message: ContractAgreementVerificationMessage, record: NegotiationRecord) throws {
        guard let signature = message.signature, let agreement = record.agreement else { return }
        do {
            try ContractSignature.verify(signature, of: agreement, by: record.peerMemberId, trust: context.trust, at: context.clock())
        } catch {
            // A refused signature changes no state, but it is a decision the log keeps.
            var fields = baseFields(record)
            fields["agreementId"] = .string(agreement.id)
            fields["reason"] = .string(error.description)
            try context.audit.record(AuditEvent(kind: "negotiation.countersignature.refused", fields: fields))
            throw DSPFailure(.badRequest, shape: .negotiation(providerPid: message.providerPid, consumerPid: message.consumerPid),
                             code: "InvalidCountersignature", reasons: ["The consumer's countersignature is not accepted: \(error)"])
        }
    }

    /// Offers and agreements match when their rules are the same after normalisation (values as strings).
    static func sameRules(_ lhs: some Policy, _ rhs: some Policy) -> Bool {
        let left = lhs.normalized()
        let right = rhs.normalized()
        return left.permission == right.permission && left.prohibition == right.prohibition
            && left.obligation == right.obligation
    }
}
