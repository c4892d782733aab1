/// What an ODRL Offer and Agreement have in common: their rules. The evaluator and validator work on this.
package protocol Policy: Sendable {
    var id: String { get }
    var permission: [Rule] { get set }
    var prohibition: [Rule] { get set }
    var obligation: [Rule] { get set }
}

extension Policy {
    /// The policy with JSON numbers already turned into strings (at decode) and `dateTime` operands rewritten to
    /// `YYYY-MM-DDThh:mm:ssZ` in UTC, as Verbund emits them before signing or publishing (docs/design.md §14
    /// "ODRL values on the wire"). Values that do not parse are left as written; validation names them.
    package func normalized() -> Self {
        var copy = self
        copy.permission = permission.map { $0.normalized() }
        copy.prohibition = prohibition.map { $0.normalized() }
        copy.obligation = obligation.map { $0.normalized() }
        return copy
    }
}

extension Rule {
    func normalized() -> Rule {
        Rule(action: action, constraint: constraint.map { $0.normalized() }, duty: duty.map { $0.normalized() })
    }
}

extension Constraint {
    func normalized() -> Constraint {
        switch self {
        case .logical(let op, let constraints):
            return .logical(op, constraints.map { $0.normalized() })
        case .atomic(var atomic):
            if PolicyOperand(atomic.leftOperand) == .dateTime {
                atomic.rightOperand = atomic.rightOperand.normalizedDateTime()
            }
            return .atomic(atomic)
        }
    }
}

extension RightOperand {
    static let xsdDateTime = "xsd:dateTime"
    static let dateTypes: Set<String> = [
        "xsd:dateTime", "xsd:date", "http://www.w3.org/2001/XMLSchema#dateTime",
        "http://www.w3.org/2001/XMLSchema#date",
    ]

    func normalizedDateTime() -> RightOperand {
        switch self {
        case .string(let text):
            return XSDDateTime.parse(text).map { .string(XSDDateTime.format($0)) } ?? self
        case .typed(let value, let type):
            guard type == nil || RightOperand.dateTypes.contains(type!), let date = XSDDateTime.parse(value) else {
                return self
            }
            return .typed(value: XSDDateTime.format(date), type: RightOperand.xsdDateTime)
        case .reference:
            return self
        case .list(let items):
            return .list(items.map { $0.normalizedDateTime() })
        }
    }
}
