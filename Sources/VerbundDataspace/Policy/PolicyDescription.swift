/// A policy in plain words for catalog listings, e.g. "use; only members a, b; at most 3 transfers; until 2027-01-01".
package enum PolicyDescription {
    package static func describe(_ policy: some Policy) -> String {
        var parts: [String] = []
        if policy.permission.isEmpty {
            parts.append("no permission")
        } else {
            parts.append(policy.permission.map(describe).joined(separator: " — or — "))
        }
        for rule in policy.prohibition { parts.append("prohibited: " + describe(rule)) }
        for rule in policy.obligation { parts.append("obligation (unsupported): " + describe(rule)) }
        return parts.joined(separator: "; ")
    }

    package static func describe(_ rule: Rule) -> String {
        let action = PolicyAction(rule.action)?.rawValue ?? "\(rule.action) (unsupported)"
        var parts = [action]
        parts += rule.constraint.map(describe)
        if !rule.duty.isEmpty { parts.append("with duties (unsupported)") }
        return parts.joined(separator: "; ")
    }

    package static func describe(_ constraint: Constraint) -> String {
        switch constraint {
        case .logical(let op, let children):
            let inner = children.map(describe)
            switch op {
            case .and, .andSequence: return "(" + inner.joined(separator: " and ") + ")"
            case .or: return "(" + inner.joined(separator: " or ") + ")"
            case .xone: return "(exactly one of: " + inner.joined(separator: ", ") + ")"
            }
        case .atomic(let atomic):
            guard case .success(let checked) = CheckedConstraint.check(atomic) else {
                return "unsupported constraint \(atomic.leftOperand) \(atomic.operator) "
                    + atomic.rightOperand.lexicalValues.joined(separator: ", ")
            }
            return describe(checked)
        }
    }

    static func describe(_ checked: CheckedConstraint) -> String {
        let negated = checked.op == .neq || checked.op == .isNoneOf
        switch (checked.operand, checked.value) {
        case (.dateTime, .instant(let date)):
            let text = XSDDateTime.format(date)
            let when = text.hasSuffix("T00:00:00Z") ? XSDDateTime.formatDay(date) : text
            switch checked.op {
            case .lt: return "until \(when)"
            case .lteq: return "until \(when) inclusive"
            case .gt: return "after \(when)"
            default: return "from \(when)"
            }
        case (.elapsedTime, .duration(let duration)):
            return "for \(duration) after agreement"
        case (.count, .limit(let limit)):
            let most = checked.op == .lt ? limit - 1 : limit
            return "at most \(most) transfer\(most == 1 ? "" : "s")"
        case (.requestsPerDay, .limit(let limit)):
            let most = checked.op == .lt ? limit - 1 : limit
            return "at most \(most) request\(most == 1 ? "" : "s") per day (UTC)"
        case (.purpose, .strings(let values)):
            return (negated ? "purpose not " : "purpose ") + values.joined(separator: " or ")
        case (.region, .strings(let prefixes)):
            return (negated ? "not for " : "only ") + GermanRegion.labels(prefixes)
        case (.member, .strings(let members)):
            return (negated ? "not for member" : "only member") + (members.count == 1 ? " " : "s ")
                + members.joined(separator: ", ")
        default:
            return "\(checked.operand.rawValue) \(checked.op.rawValue)"
        }
    }
}
