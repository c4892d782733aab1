import Foundation
import VerbundDataspace
import VerbundFederation
import VerbundStore

extension NegotiationEngine {
    /// Starts a negotiation as consumer for `offer` of `dataset` at member `peer`: stores it and enqueues the initial
    /// request (its state becomes REQUESTED when the provider acknowledges). `caller` is the management account that
    /// asked, named in the audit entry.
    func startConsuming(peer: String, dataset: String, offer: Offer, purpose: String?,
                        by caller: ManagementCaller? = nil) throws -> NegotiationRecord {
        let now = context.clock()
        let pid = "urn:uuid:" + UUID().uuidString.lowercased()
        var record = NegotiationRecord(
            localPid: pid, role: .consumer, peerMemberId: peer, machine: ContractNegotiationMachine(role: .consumer, localPid: pid),
            dataset: dataset, offer: offer.targeting(dataset), purpose: purpose, createdAt: now, updatedAt: now)
        let callback = Self.trimmingSlashes(context.configuration.endpoint) + Self.callbackPath
        let request = ContractRequestMessage(consumerPid: pid, offer: record.offer, callbackAddress: callback, purpose: purpose)
        return try context.database.transaction { tx -> NegotiationRecord in
            try NegotiationTable.insert(record, in: tx)
            try context.audit.record(AuditEvent(kind: "negotiation.started", fields: baseFields(record).merging([
                "purpose": purpose.map { .string($0) } ?? .null,
            ].merging(caller.auditFields) { old, _ in old }) { $1 }), in: tx)
            try send(.request(request), for: &record, in: tx)
            try NegotiationTable.update(record, in: tx)
            return record
        }
    }

    /// `POST <callback>/negotiations/offers`: a provider's initial offer. Verbund consumers negotiate only what they
    /// asked for, so the negotiation is recorded (201, OFFERED) and terminated with that reason in the same step.
    func receiveInitialOffer(_ offer: ContractOfferMessage, bytes: [UInt8], from member: Member) throws -> ContractNegotiation {
        tap?.record(.received, bytes)
        return try context.database.transaction { tx -> ContractNegotiation in
            if let existing = try NegotiationTable.find(role: .consumer, peer: member.id, peerPid: offer.providerPid, in: tx) {
                guard existing.machine.lastMessage == .offer(offer) else {
                    throw DSPFailure(.badRequest, shape: .negotiation(providerPid: offer.providerPid, consumerPid: existing.localPid),
                                     code: "DuplicateProviderPid", reasons: ["providerPid \(offer.providerPid) already names a negotiation"])
                }
                return try acknowledgement(existing)
            }
            let now = context.clock()
            let pid = "urn:uuid:" + UUID().uuidString.lowercased()
            var record = NegotiationRecord(
                localPid: pid, role: .consumer, peerMemberId: member.id,
                machine: ContractNegotiationMachine(role: .consumer, localPid: pid), dataset: offer.offer.target ?? "",
                offer: offer.offer, callbackAddress: offer.callbackAddress, createdAt: now, updatedAt: now)
            let step: ContractNegotiationMachine.Step
            switch record.machine.apply(.offer(offer), from: .provider) {
            case let .success(applied): step = applied
            case let .failure(error):
                throw DSPFailure(.badRequest, shape: .negotiation(providerPid: offer.providerPid, consumerPid: offer.consumerPid ?? ""),
                                 code: "InvalidTransition", reasons: [error.description])
            }
            try NegotiationTable.insert(record, in: tx)
            try stateChanged(&record, step: step, by: .offer(offer), from: .provider, in: tx)
            try NegotiationTable.update(record, in: tx)
            return try acknowledgement(record)
        }
    }

    /// The consumer's check of a received agreement (AGREED): it must be what we asked for — our target, the offer's
    /// rules, us as assignee, the provider as assigner — and a provider signature, if present, must verify against the
    /// federation. Then we countersign and verify; otherwise we terminate with the reasons.
    func verifyAgreement(_ record: inout NegotiationRecord, in tx: Transaction) throws {
        guard case let .agreement(message)? = record.machine.lastMessage,
              let providerPid = record.providerPid, let consumerPid = record.consumerPid else { return }
        let agreement = message.agreement
        record.providerSignature = nil
        var problems: [String] = []
        if let other = try NegotiationTable.find(agreementId: agreement.id, in: tx), other.localPid != record.localPid {
            // Agreement ids name contracts; one id for two negotiations would make them ambiguous.
            problems.append("The agreement id \(agreement.id) already names another contract")
        } else {
            record.agreement = agreement
        }
        let provider = context.peers.member(id: record.peerMemberId)
        if agreement.target != record.dataset {
            problems.append("The agreement is for dataset \(agreement.target), but \(record.dataset) was requested")
        }
        if !Self.sameRules(agreement, record.offer) {
            problems.append("The agreement's rules differ from offer \(record.offer.id)")
        }
        if agreement.assignee != context.identity.participantId {
            problems.append("The agreement's assignee is \(agreement.assignee), not this connector (\(context.identity.participantId))")
        }
        if agreement.assigner != provider?.participantId {
            problems.append("The agreement's assigner is \(agreement.assigner), not the provider \(provider?.participantId ?? record.peerMemberId)")
        }
        switch (record.purpose, agreement.purpose) {
        case let (stated?, signed?) where !Purpose.matches(stated, signed):
            problems.append("The agreement's purpose is \"\(signed)\", but \"\(stated)\" was stated")
        case (nil, let signed?):
            problems.append("The agreement names the purpose \"\(signed)\", but none was stated")
        default:
            // A plain DSP provider puts no purpose into its agreement; the contract then names none.
            break
        }
        if agreement.agreedAt == nil {
            problems.append("The agreement has no valid timestamp")
        }
        if let signature = message.signature {
            do {
                // Against the agreement as the provider sent it: it may sign its own JSON text of it.
                try ContractSignature.verify(signature, of: try ContractSignature.jsonValue(of: agreement, received: message.receivedAgreement),
                                             by: record.peerMemberId, trust: context.trust, at: context.clock())
                record.providerSignature = signature
            } catch {
                problems.append("The provider's signature is not accepted: \(error)")
            }
        }
        var fields = baseFields(record)
        fields["agreementId"] = .string(agreement.id)
        fields["providerSigned"] = .bool(record.providerSignature != nil)
        fields["problems"] = .array(problems.map { .string($0) })
        try context.audit.record(AuditEvent(kind: "negotiation.agreement.checked", fields: fields), in: tx)
        if problems.isEmpty {
            let payload = try ContractSignature.countersignedPayload(providerSignature: record.providerSignature, agreement: agreement,
                                                                     received: message.receivedAgreement)
            let countersignature = try ContractSignature.sign(payload: payload, identity: context.identity)
            record.consumerSignature = countersignature
            try send(.verification(ContractAgreementVerificationMessage(providerPid: providerPid, consumerPid: consumerPid,
                                                                        signature: countersignature)), for: &record, in: tx)
        } else {
            record.reason = problems.joined(separator: "; ")
            try send(.termination(ContractNegotiationTerminationMessage(providerPid: providerPid, consumerPid: consumerPid,
                                                                        code: "AgreementRejected", reason: problems)),
                     for: &record, in: tx)
        }
    }
}
