import Foundation

/// Decides whether a consumer may `use` a dataset under a policy (ODRL 2.2 §2: a permission grants the action
/// when all its constraints are satisfied; a prohibition whose constraints are satisfied forbids it).
///
/// Fail closed: a permission with an unsupported action, constraint or duty grants nothing; a prohibition or
/// obligation the evaluator does not understand denies. A policy that passed `PolicyValidator` is never
/// decided by these rules, only by its constraints.
package enum PolicyEvaluator {
    package static func evaluate(_ policy: some Policy, in context: EvaluationContext) -> PolicyDecision {
        var reasons: [String] = []
        if !policy.obligation.isEmpty {
            reasons.append("The policy has obligations, which Verbund cannot enforce")
        }
        for rule in policy.prohibition {
            let applies = PolicyAction(rule.action) == nil || rule.duty.isEmpty == false
                || rule.constraint.allSatisfy { outcome(of: $0, in: context, unknownHolds: true).holds }
            if applies {
                reasons.append("Prohibited: " + PolicyDescription.describe(rule))
            }
        }
        var permitted = false
        var permissionReasons: [String] = []
        for rule in policy.permission {
            var ruleReasons: [String] = []
            if PolicyAction(rule.action) == nil {
                ruleReasons.append("Action \"\(rule.action)\" is not supported; Verbund grants only \"use\"")
            }
            if !rule.duty.isEmpty {
                ruleReasons.append("The permission carries duties, which Verbund cannot enforce")
            }
            for constraint in rule.constraint {
                let result = outcome(of: constraint, in: context, unknownHolds: false)
                if !result.holds { ruleReasons += result.reasons }
            }
            if ruleReasons.isEmpty {
                permitted = true
            } else {
                permissionReasons += ruleReasons
            }
        }
        if policy.permission.isEmpty {
            reasons.append("The policy grants no permission")
        } else if !permitted {
            reasons += permissionReasons
        }
        var unique: [String] = []
        for reason in reasons where !unique.contains(reason) { unique.append(reason) }
        return unique.isEmpty ? .permit : .deny(reasons: unique)
    }

    struct Outcome {
        var holds: Bool
        var reasons: [String]
    }

    static func outcome(of constraint: Constraint, in context: EvaluationContext, unknownHolds: Bool) -> Outcome {
        switch constraint {
        case .atomic(let atomic):
            switch CheckedConstraint.check(atomic) {
            case .failure(let problem):
                let text = PolicyValidationError(problem, at: "constraint").description
                return Outcome(holds: unknownHolds, reasons: ["Unsupported \(text)"])
            case .success(let checked):
                return outcome(of: checked, in: context)
            }
        case .logical(let op, let children):
            let results = children.map { outcome(of: $0, in: context, unknownHolds: unknownHolds) }
            let holding = results.filter(\.holds).count
            switch op {
            case .and, .andSequence:
                // ODRL 2.2: andSequence is `and` evaluated in order; with pure checks the result is the same.
                let holds = !children.isEmpty && holding == results.count
                return Outcome(holds: holds, reasons: children.isEmpty
                    ? ["An empty \"\(op.rawValue)\" constraint is never satisfied"]
                    : results.flatMap(\.reasons))
            case .or:
                return Outcome(holds: holding > 0, reasons: holding > 0 ? [] :
                    ["None of the alternatives holds: " + results.flatMap(\.reasons).joined(separator: "; ")])
            case .xone:
                if holding == 1 { return Outcome(holds: true, reasons: []) }
                return Outcome(holds: false, reasons: holding == 0
                    ? ["None of the exclusive alternatives holds: "
                        + results.flatMap(\.reasons).joined(separator: "; ")]
                    : ["\(holding) of the exclusive alternatives hold, but exactly one must"])
            }
        }
    }

    static func outcome(of checked: CheckedConstraint, in context: EvaluationContext) -> Outcome {
        let pass = Outcome(holds: true, reasons: [])
        func fail(_ reason: String) -> Outcome { Outcome(holds: false, reasons: [reason]) }

        switch (checked.operand, checked.value) {
        case (.dateTime, .instant(let limit)):
            guard compare(context.now.timeIntervalSince1970, checked.op, limit.timeIntervalSince1970) else {
                let when = XSDDateTime.format(limit), now = XSDDateTime.format(context.now)
                switch checked.op {
                case .lt, .lteq: return fail("Use of this dataset ended at \(when); it is now \(now)")
                default: return fail("Use of this dataset begins after \(when); it is now \(now)")
                }
            }
            return pass

        case (.elapsedTime, .duration(let duration)):
            if context.phase == .negotiation { return pass }
            guard let start = context.agreementTimestamp else {
                return fail("The agreement has no timestamp, so its usage period of \(duration) cannot be checked")
            }
            let elapsed = context.now.timeIntervalSince(start)
            guard compare(elapsed, checked.op, duration.seconds) else {
                return fail("The usage period of \(duration) after the agreement of "
                    + "\(XSDDateTime.format(start)) has ended")
            }
            return pass

        case (.count, .limit(let limit)):
            if context.phase == .negotiation { return pass }
            // The transfer being evaluated is the next use: completed + 1 must stay within the limit.
            let use = context.completedTransfers + 1
            guard compare(Double(use), checked.op, Double(limit)) else {
                let most = checked.op == .lt ? limit - 1 : limit
                return fail("At most \(most) transfer\(most == 1 ? "" : "s") are allowed under this contract; "
                    + "\(context.completedTransfers) used already")
            }
            return pass

        case (.requestsPerDay, .limit(let limit)):
            // Only forwarded requests spend the budget; negotiating and starting a transfer do not.
            if context.phase != .dataRequest { return pass }
            guard let made = context.requestsToday else {
                return fail("This dataset allows a number of requests per day, but the requests made today "
                    + "are not counted here, so none is allowed")
            }
            let request = made + 1
            guard compare(Double(request), checked.op, Double(limit)) else {
                let most = checked.op == .lt ? limit - 1 : limit
                return fail("At most \(most) request\(most == 1 ? "" : "s") per day (UTC) are allowed under "
                    + "this contract; \(made) made today, the budget renews at 00:00 UTC")
            }
            return pass

        case (.purpose, .strings(let allowed)):
            guard let purpose = context.purpose, !purpose.isEmpty else {
                return fail("This dataset requires a stated purpose; none was given")
            }
            let listed = allowed.contains { Purpose.matches($0, purpose) }
            let shown = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
            switch checked.op {
            case .neq, .isNoneOf:
                return listed ? fail("Purpose \"\(purpose)\" is excluded for this dataset") : pass
            default:
                return listed ? pass : fail("Purpose \"\(purpose)\" is not allowed; allowed: \(shown)")
            }

        case (.region, .strings(let prefixes)):
            guard let ags = context.ags, !ags.isEmpty else {
                return fail("Dataset is limited by region, but no AGS is known for member \(context.memberID)")
            }
            let inside = prefixes.contains { ags.hasPrefix($0) }
            switch checked.op {
            case .neq, .isNoneOf:
                return inside
                    ? fail("Dataset is not available to \(GermanRegion.labels(prefixes)); your AGS \(ags) is in it")
                    : pass
            default:
                return inside
                    ? pass
                    : fail("Dataset is limited to \(GermanRegion.labels(prefixes)); your AGS \(ags) is not in it")
            }

        case (.member, .strings(let members)):
            let listed = members.contains(context.memberID) || members.contains(context.participantID)
            let shown = members.joined(separator: ", ")
            switch checked.op {
            case .neq, .isNoneOf:
                return listed ? fail("Dataset is not available to member \(context.memberID)") : pass
            default:
                return listed ? pass
                    : fail("Dataset is limited to member\(members.count == 1 ? "" : "s") \(shown); "
                        + "you are \(context.memberID)")
            }

        default:
            return fail("Constraint on \(checked.operand.rawValue) could not be evaluated")
        }
    }

    static func compare(_ left: Double, _ op: ConstraintOperator, _ right: Double) -> Bool {
        switch op {
        case .lt: return left < right
        case .lteq: return left <= right
        case .gt: return left > right
        case .gteq: return left >= right
        case .eq: return left == right
        case .neq: return left != right
        default: return false
        }
    }
}
