/// Why a policy cannot be published or agreed: it uses something the evaluator does not enforce. Each case
/// names the exact part, with its position, so the data steward can fix the policy file.
package struct PolicyValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    package enum Problem: Error, Equatable, Sendable {
        case unsupportedAction(String)
        case unsupportedLeftOperand(String)
        case unknownOperator(String)
        case unsupportedOperator(operator: String, leftOperand: String)
        case invalidRightOperand(leftOperand: String, value: String, reason: String)
        case emptyLogicalConstraint(String)
        case unsupportedObligation
        case unsupportedDuty
        case noPermission
    }

    package let problem: Problem
    /// Where in the policy, e.g. `permission[0].constraint[1].and[0]`.
    package let path: String

    package init(_ problem: Problem, at path: String) {
        self.problem = problem
        self.path = path
    }

    package var description: String {
        let what: String
        switch problem {
        case .unsupportedAction(let action):
            what = "action \"\(action)\" is not supported; Verbund grants only \"use\""
        case .unsupportedLeftOperand(let operand):
            what = "leftOperand \"\(operand)\" is not supported; use one of "
                + PolicyOperand.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        case .unknownOperator(let op):
            what = "operator \"\(op)\" is not an ODRL operator of DSP 2025-1"
        case .unsupportedOperator(let op, let operand):
            let allowed = PolicyOperand(operand)?.supportedOperators.map(\.rawValue).joined(separator: ", ") ?? ""
            what = "operator \"\(op)\" is not supported for leftOperand \"\(operand)\"; use one of: \(allowed)"
        case .invalidRightOperand(let operand, let value, let reason):
            what = "rightOperand \"\(value)\" of \"\(operand)\" is invalid: \(reason)"
        case .emptyLogicalConstraint(let op):
            what = "logical constraint \"\(op)\" has no constraints"
        case .unsupportedObligation:
            what = "obligations are not supported: Verbund cannot check that a duty was fulfilled"
        case .unsupportedDuty:
            what = "duties are not supported: Verbund cannot check that a duty was fulfilled"
        case .noPermission:
            what = "the policy has no permission, so it would grant nothing"
        }
        return "\(path): \(what)"
    }
}
