import Foundation
import VerbundDataspace

/// The way back from a published policy to the policy builder's fields, so the words the publish preview shows
/// (`ConsolePolicyWords`) can also describe a policy already published — on the public transparency page, in German
/// and English. Pure.
///
/// Only a policy the builder could have written is read: one `use` permission without duties, no prohibition or
/// obligation, and atomic constraints of the five kinds the builder offers with its operators (members and regions
/// `eq`/`isAnyOf`, a `dateTime` from midnight `gteq` and until midnight `lt`, `count` `lteq`/`lt`, purposes
/// `eq`/`isAnyOf`), each kind at most once. Anything else gives `nil`, and the caller shows the technical words
/// (`PolicyDescription`) instead: a sentence that leaves out a condition would mislead.
extension ConsolePublishForm {
    package init?(policy: some Policy) {
        self.init()
        guard policy.prohibition.isEmpty, policy.obligation.isEmpty, policy.permission.count == 1,
              let rule = policy.permission.first, PolicyAction(rule.action) == .use, rule.duty.isEmpty else { return nil }
        var seen: Set<String> = []
        for constraint in rule.constraint {
            guard case let .atomic(atomic) = constraint, let operand = PolicyOperand(atomic.leftOperand),
                  let op = ConstraintOperator(atomic.operator) else { return nil }
            let values = atomic.rightOperand.lexicalValues
            // A value with a comma could not be typed into the builder's comma-separated fields.
            guard !values.isEmpty, values.allSatisfy({ !$0.isEmpty && !$0.contains(",") }) else { return nil }
            let key: String
            switch (operand, op) {
            case (.member, .eq), (.member, .isAnyOf):
                key = "members"
                members = values.joined(separator: ", ")
            case (.region, .eq), (.region, .isAnyOf):
                key = "regions"
                regions = values.joined(separator: ", ")
            case (.purpose, .eq), (.purpose, .isAnyOf):
                key = "purposes"
                purposes = values.joined(separator: ", ")
            case (.dateTime, .gteq):
                guard values.count == 1, let day = Self.midnight(values[0]) else { return nil }
                key = "validFrom"
                validFrom = XSDDateTime.formatDay(day)
            case (.dateTime, .lt):
                // "until the day, inclusive" is written as "before the next midnight".
                guard values.count == 1, let next = Self.midnight(values[0]) else { return nil }
                key = "validUntil"
                validUntil = XSDDateTime.formatDay(next.addingTimeInterval(-86_400))
            case (.count, .lteq), (.count, .lt):
                guard values.count == 1, values[0].utf8.count <= 9, let limit = Int(values[0]) else { return nil }
                let most = op == .lt ? limit - 1 : limit
                guard most >= 0 else { return nil }
                key = "count"
                count = String(most)
            default:
                return nil
            }
            guard seen.insert(key).inserted else { return nil }
        }
        if let from = Self.day(validFrom), let until = Self.day(validUntil), until < from { return nil }
    }

    /// The instant of an `xsd:dateTime` text when it is a midnight in UTC (a day the builder's date fields can hold).
    private static func midnight(_ text: String) -> Date? {
        guard let date = XSDDateTime.parse(text), XSDDateTime.format(date).hasSuffix("T00:00:00Z"),
              day(XSDDateTime.formatDay(date)) != nil else { return nil }
        return date
    }
}
