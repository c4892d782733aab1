/// Publish-time check of a policy (docs/design.md §6 "Fail closed"): every action, operand, operator and value must
/// be one the evaluator enforces, or the offer cannot be published and an agreement on it is refused.
package enum PolicyValidator {
    /// Throws the first unsupported part, named with its position in the policy.
    package static func validate(_ policy: some Policy) throws(PolicyValidationError) {
        if let first = problems(in: policy).first { throw first }
    }

    /// All unsupported parts, in document order.
    package static func problems(in policy: some Policy) -> [PolicyValidationError] {
        var found: [PolicyValidationError] = []
        if policy.permission.isEmpty { found.append(PolicyValidationError(.noPermission, at: "permission")) }
        for (index, rule) in policy.permission.enumerated() {
            found += problems(in: rule, at: "permission[\(index)]")
        }
        for (index, rule) in policy.prohibition.enumerated() {
            found += problems(in: rule, at: "prohibition[\(index)]")
        }
        for index in policy.obligation.indices {
            found.append(PolicyValidationError(.unsupportedObligation, at: "obligation[\(index)]"))
        }
        return found
    }

    static func problems(in rule: Rule, at path: String) -> [PolicyValidationError] {
        var found: [PolicyValidationError] = []
        if PolicyAction(rule.action) == nil {
            found.append(PolicyValidationError(.unsupportedAction(rule.action), at: "\(path).action"))
        }
        for (index, constraint) in rule.constraint.enumerated() {
            found += problems(in: constraint, at: "\(path).constraint[\(index)]")
        }
        for index in rule.duty.indices {
            found.append(PolicyValidationError(.unsupportedDuty, at: "\(path).duty[\(index)]"))
        }
        return found
    }

    static func problems(in constraint: Constraint, at path: String) -> [PolicyValidationError] {
        switch constraint {
        case .atomic(let atomic):
            if case .failure(let problem) = CheckedConstraint.check(atomic) {
                return [PolicyValidationError(problem, at: path)]
            }
            return []
        case .logical(let op, let children):
            if children.isEmpty {
                return [PolicyValidationError(.emptyLogicalConstraint(op.rawValue), at: path)]
            }
            return children.enumerated().flatMap { index, child in
                problems(in: child, at: "\(path).\(op.rawValue)[\(index)]")
            }
        }
    }
}
