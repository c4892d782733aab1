/// An ODRL 2.2 rule (permission, prohibition or duty): an action with optional constraints and duties.
/// DSP 2025-1 types `action` as a string; rules inside a policy carry no `target` of their own.
package struct Rule: Sendable, Hashable {
    package var action: String
    package var constraint: [Constraint]
    package var duty: [Rule]

    package init(action: String, constraint: [Constraint] = [], duty: [Rule] = []) {
        self.action = action
        self.constraint = constraint
        self.duty = duty
    }
}

extension Rule: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.container(keyedBy: JSONKey.self)
        action = try keyed.string("action")
        constraint = try keyed.decodeIfPresent([Constraint].self, forKey: "constraint") ?? []
        duty = try keyed.decodeIfPresent([Rule].self, forKey: "duty") ?? []
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: JSONKey.self)
        try keyed.encode(action, forKey: "action")
        if !constraint.isEmpty { try keyed.encode(constraint, forKey: "constraint") }
        if !duty.isEmpty { try keyed.encode(duty, forKey: "duty") }
    }
}
