/// The left operands Verbund understands. ODRL terms may be written bare (`dateTime`), prefixed
/// (`odrl:dateTime`) or as full IRIs; Verbund's own profile terms are full IRIs.
package enum PolicyOperand: String, Sendable, Hashable, CaseIterable {
    case dateTime
    case elapsedTime
    case count
    case purpose
    case region = "https://w3id.org/verbund/odrl/region"
    case member = "https://w3id.org/verbund/odrl/member"
    /// Forwarded requests of one agreement per calendar day in UTC (API datasets; docs/policies.md,
    /// "Request budget and APIs").
    case requestsPerDay = "https://w3id.org/verbund/odrl/requestsPerDay"

    package init?(_ written: String) {
        let odrlTerm: String
        if written.hasPrefix("odrl:") {
            odrlTerm = String(written.dropFirst(5))
        } else if written.hasPrefix(DSPVocabulary.odrlNamespace) {
            odrlTerm = String(written.dropFirst(DSPVocabulary.odrlNamespace.count))
        } else {
            odrlTerm = written
        }
        guard let operand = PolicyOperand(rawValue: odrlTerm) else { return nil }
        self = operand
    }

    /// The operators that mean something for this operand (fail closed: others are refused at publish time).
    package var supportedOperators: [ConstraintOperator] {
        switch self {
        case .dateTime: return [.lt, .lteq, .gt, .gteq]
        case .elapsedTime: return [.lt, .lteq]
        case .count: return [.lt, .lteq]
        case .purpose: return [.eq, .neq, .isAnyOf, .isNoneOf]
        case .region: return [.eq, .isPartOf, .isAnyOf, .neq, .isNoneOf]
        case .member: return [.eq, .isAnyOf, .neq, .isNoneOf]
        case .requestsPerDay: return [.lt, .lteq]
        }
    }

    /// Whether a list of values is allowed as the right operand with `op`.
    func acceptsList(_ op: ConstraintOperator) -> Bool {
        switch op {
        case .isAnyOf, .isNoneOf, .isAllOf: return true
        case .isPartOf: return self == .region
        default: return false
        }
    }
}

/// The ODRL operators of the DSP 2025-1 schema enum.
package enum ConstraintOperator: String, Sendable, Hashable, CaseIterable {
    case eq, gt, gteq, lteq, lt, neq, isAnyOf, isNoneOf, isPartOf, hasPart, isA, isAllOf
    case termLteq = "term-lteq"

    package init?(_ written: String) {
        var term = written
        if term.hasPrefix("odrl:") { term = String(term.dropFirst(5)) }
        if term.hasPrefix(DSPVocabulary.odrlNamespace) { term = String(term.dropFirst(DSPVocabulary.odrlNamespace.count)) }
        guard let op = ConstraintOperator(rawValue: term) else { return nil }
        self = op
    }
}

/// The actions Verbund grants. ODRL's `use` is the only one: a data space contract here is about using a
/// dataset, and narrower or broader actions (`read`, `distribute`, …) would need enforcement Verbund lacks.
package enum PolicyAction: String, Sendable, Hashable {
    case use

    package init?(_ written: String) {
        switch written {
        case "use", "odrl:use", DSPVocabulary.odrlNamespace + "use": self = .use
        default: return nil
        }
    }
}
