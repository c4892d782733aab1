import Foundation
import VerbundDataspace
import VerbundFederation

/// Which offers a member may see in the catalog: those it could successfully negotiate now. Each constraint is
/// evaluated with `PolicyEvaluator` at the negotiation phase for that member (region by AGS prefix, member list,
/// validity window); `count` and `elapsedTime` always hold there.
///
/// `purpose` is stated only in the contract request, so it cannot be known when the catalog is served: a permission
/// constrained by purpose is shown (the purpose is checked at negotiation), a prohibition constrained by purpose does
/// not hide the offer (another purpose could avoid it). A constraint Verbund does not understand hides the offer (fail
/// closed; such offers are refused at publish time anyway).
package struct OfferEligibility: Sendable {
    package let member: Member
    package let now: Date

    package init(member: Member, now: Date) {
        self.member = member
        self.now = now
    }

    /// The offers of `record` shown to the member, in order; empty means the dataset is hidden.
    package func visibleOffers(of record: DatasetRecord) -> [Offer] {
        record.offers.filter(isVisible)
    }

    package func isVisible(_ offer: Offer) -> Bool {
        guard PolicyValidator.problems(in: offer.normalized()).isEmpty else { return false }
        for rule in offer.prohibition where rule.constraint.allSatisfy({ mayHold($0, inProhibition: true) }) {
            return false
        }
        return offer.permission.contains { rule in rule.constraint.allSatisfy { mayHold($0, inProhibition: false) } }
    }

    private var context: EvaluationContext {
        EvaluationContext(memberID: member.id, participantID: member.participantId, ags: member.ags?.digits, now: now,
                          phase: .negotiation)
    }

    /// Whether the constraint can hold for this member at negotiation; `purpose` is open (see the type's comment).
    private func mayHold(_ constraint: Constraint, inProhibition: Bool) -> Bool {
        switch constraint {
        case let .logical(op, children):
            let holding = children.filter { mayHold($0, inProhibition: inProhibition) }.count
            switch op {
            case .and, .andSequence: return !children.isEmpty && holding == children.count
            // With open purpose constraints "exactly one" cannot be decided here; any holding alternative shows it.
            case .or, .xone: return holding > 0
            }
        case let .atomic(atomic):
            if PolicyOperand(atomic.leftOperand) == .purpose { return !inProhibition }
            let single = Offer(id: "eligibility", permission: [Rule(action: "use", constraint: [constraint])])
            return PolicyEvaluator.evaluate(single, in: context).isPermitted
        }
    }
}
