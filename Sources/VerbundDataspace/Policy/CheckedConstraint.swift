import Foundation

/// An atomic constraint whose operand, operator and value Verbund understands, parsed once. Validation and
/// evaluation both go through `CheckedConstraint.check`, so what passes validation is exactly what the
/// evaluator can decide, and anything else is denied (fail closed).
struct CheckedConstraint: Sendable {
    enum Value: Sendable {
        case instant(Date)
        case duration(ISO8601Duration)
        case limit(Int)
        case strings([String])
    }

    let operand: PolicyOperand
    let op: ConstraintOperator
    let value: Value

    static func check(_ atomic: Constraint.AtomicConstraint) -> Result<CheckedConstraint, PolicyValidationError.Problem> {
        guard let operand = PolicyOperand(atomic.leftOperand) else {
            return .failure(.unsupportedLeftOperand(atomic.leftOperand))
        }
        guard let op = ConstraintOperator(atomic.operator) else {
            return .failure(.unknownOperator(atomic.operator))
        }
        guard operand.supportedOperators.contains(op) else {
            return .failure(.unsupportedOperator(operator: atomic.operator, leftOperand: atomic.leftOperand))
        }
        let values = atomic.rightOperand.lexicalValues
        let shown = values.joined(separator: ", ")
        func invalid(_ reason: String) -> Result<CheckedConstraint, PolicyValidationError.Problem> {
            .failure(.invalidRightOperand(leftOperand: atomic.leftOperand, value: shown, reason: reason))
        }
        if case .list = atomic.rightOperand, !operand.acceptsList(op) {
            return invalid("operator \(op.rawValue) takes a single value, not a list")
        }
        guard !values.isEmpty else { return invalid("no value given") }

        switch operand {
        case .dateTime:
            guard values.count == 1, let date = XSDDateTime.parse(values[0]) else {
                return invalid("expected an xsd:dateTime such as 2027-01-01T00:00:00Z")
            }
            return .success(CheckedConstraint(operand: operand, op: op, value: .instant(date)))
        case .elapsedTime:
            do {
                let duration = try ISO8601Duration(values[0])
                return .success(CheckedConstraint(operand: operand, op: op, value: .duration(duration)))
            } catch {
                return invalid(error.description)
            }
        case .count:
            guard let limit = Int(values[0]), limit >= 0 else {
                return invalid("expected a whole number of transfers, 0 or more")
            }
            return .success(CheckedConstraint(operand: operand, op: op, value: .limit(limit)))
        case .requestsPerDay:
            guard values.count == 1, let limit = Int(values[0]), limit >= 0 else {
                return invalid("expected a whole number of requests per day, 0 or more")
            }
            return .success(CheckedConstraint(operand: operand, op: op, value: .limit(limit)))
        case .region:
            guard values.allSatisfy(GermanRegion.isPrefix) else {
                return invalid("expected AGS prefixes of 1 to 8 digits, e.g. \"16\" for Thüringen")
            }
            return .success(CheckedConstraint(operand: operand, op: op, value: .strings(values)))
        case .purpose, .member:
            guard values.allSatisfy({ !$0.isEmpty }) else { return invalid("empty value") }
            return .success(CheckedConstraint(operand: operand, op: op, value: .strings(values)))
        }
    }
}
