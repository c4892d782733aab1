import Foundation
import VerbundDataspace
import VerbundFederation
import VerbundStore

/// The provider's usage control for transfers and data requests (docs/design.md §15: "the consumer is never trusted to police
/// itself"): a FINALIZED agreement this connector gave, whose assignee is the member asking, who is active now, and
/// whose policy holds now (`PolicyEvaluator`, phase `.transfer` or `.dataRequest`).
struct TransferPolicy: Sendable {
    let contracts: any ContractLookup

    enum Decision {
        case permit(ContractRecord)
        /// Reasons a person can read.
        case deny([String])
    }

    /// - Parameter transfer: the provider process being decided on (left out of the `count` of other uses); nil for a
    ///   new request.
    /// - Parameter requestsToday: for a request to an API dataset, the agreement's requests admitted today before this
    ///   one (`UpstreamRequestTable`); nil where requests are not counted (a `requestsPerDay` constraint then denies).
    func decide(agreementId: String, memberId: String, phase: EvaluationContext.Phase, transfer: String? = nil,
                requestsToday: Int? = nil, context: ConnectorContext, in tx: Transaction) throws -> Decision {
        guard let contract = try contracts.contract(agreementId: agreementId, in: tx) else {
            return .deny(["There is no finalized agreement \(agreementId) with this connector"])
        }
        guard contract.role == .provider else {
            return .deny(["Agreement \(agreementId) was given by member \(contract.peerMemberId), not by this connector"])
        }
        guard let member = context.trust.registry.member(id: memberId) else {
            return .deny(["Member \(memberId) is not listed in the federation registry"])
        }
        let agreement = contract.agreement
        guard contract.peerMemberId == member.id,
              agreement.assignee == member.participantId || agreement.assignee == member.id else {
            return .deny(["Agreement \(agreementId) was made with \(agreement.assignee), not with member \(member.id)"])
        }
        guard member.status == .active else {
            let why = member.statusReason.map { " (\($0))" } ?? ""
            return .deny(["Member \(member.id) is \(member.status.rawValue) in the federation\(why)"])
        }
        let completed = try TransferTable.usedCount(agreementId: agreementId, excluding: transfer, in: tx)
        let evaluation = EvaluationContext(
            memberID: member.id, participantID: member.participantId, ags: member.ags?.digits, purpose: contract.purpose,
            now: context.clock(), agreementTimestamp: agreement.agreedAt ?? contract.finalizedAt,
            completedTransfers: completed, phase: phase, requestsToday: requestsToday)
        switch PolicyEvaluator.evaluate(agreement, in: evaluation) {
        case .permit: return .permit(contract)
        case let .deny(reasons): return .deny(reasons)
        }
    }
}
