/// An ODRL 2.2 constraint as profiled by DSP 2025-1: atomic (`leftOperand`, `operator`, `rightOperand`) or
/// logical (`and`, `or`, `xone`, `andSequence` over other constraints).
package indirect enum Constraint: Sendable, Hashable {
    case atomic(AtomicConstraint)
    case logical(LogicalOperator, [Constraint])

    /// A comparison of a left operand with a right operand. Operand and operator are kept as written so
    /// that validation can name what it does not support instead of failing to decode.
    package struct AtomicConstraint: Sendable, Hashable {
        package var leftOperand: String
        package var `operator`: String
        package var rightOperand: RightOperand

        package init(leftOperand: String, operator: String, rightOperand: RightOperand) {
            self.leftOperand = leftOperand
            self.operator = `operator`
            self.rightOperand = rightOperand
        }
    }

    /// ODRL 2.2 §2.5.2 logical constraint operands.
    package enum LogicalOperator: String, Sendable, Hashable, CaseIterable {
        case and, or, xone, andSequence
    }

    package static func atomic(_ leftOperand: String, _ op: String, _ rightOperand: RightOperand) -> Constraint {
        .atomic(AtomicConstraint(leftOperand: leftOperand, operator: op, rightOperand: rightOperand))
    }
}

extension Constraint: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        let logical = LogicalOperator.allCases.filter { keyed.contains(JSONKey($0.rawValue)) }
        if logical.count > 1 {
            throw DSPMessageError.invalidValue(
                field: "constraint", reason: "has more than one of and/or/xone/andSequence")
        }
        if let op = logical.first {
            self = .logical(op, try keyed.decode([Constraint].self, forKey: JSONKey(op.rawValue)))
            return
        }
        guard keyed.contains("leftOperand"), keyed.contains("operator"), keyed.contains("rightOperand") else {
            throw DSPMessageError.invalidValue(
                field: "constraint",
                reason: "needs leftOperand, operator and rightOperand, or one of and/or/xone/andSequence")
        }
        self = .atomic(AtomicConstraint(
            leftOperand: try keyed.string("leftOperand"),
            operator: try keyed.string("operator"),
            rightOperand: try keyed.decode(RightOperand.self, forKey: "rightOperand")))
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        switch self {
        case .atomic(let atomic):
            try keyed.encode(atomic.leftOperand, forKey: "leftOperand")
            try keyed.encode(atomic.operator, forKey: "operator")
            try keyed.encode(atomic.rightOperand, forKey: "rightOperand")
        case .logical(let op, let constraints):
            try keyed.encode(constraints, forKey: JSONKey(op.rawValue))
        }
    }
}
