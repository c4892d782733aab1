import Synchronization
import VerbundHTTP

/// The daemon's `MemberWriteBudget` behind a lock, with its metric and log line: asked before a member's request or
/// update makes the connector write a record (a refused registry's audit entry, a new negotiation or transfer).
package final class MemberWrites: Sendable {
    /// Counter: records not written because a member was over its budget, labels `member` and `kind`.
    package static let exceededMetric = "verbund_member_write_budget_exceeded_total"

    private let budget: Mutex<MemberWriteBudget>
    private let metrics: MetricsRegistry
    private let logger: StructuredLogger

    init(limits: MemberWriteBudget.Limits = .init(), metrics: MetricsRegistry, logger: StructuredLogger) {
        budget = Mutex(MemberWriteBudget(limits: limits))
        self.metrics = metrics
        self.logger = logger
        metrics.counter(Self.exceededMetric, help: "Records a member tried to make this connector write beyond its budget, by member and kind.")
    }

    /// Whether `member` may make us write one more record of `kind` now; counts and (once per episode) logs when not.
    func allow(_ member: String, _ kind: MemberWriteBudget.Kind) -> Bool {
        let decision = budget.withLock { $0.spend(member, kind, now: .now) }
        guard case let .overBudget(first) = decision else { return true }
        metrics.increment(Self.exceededMetric, labels: ["member": member, "kind": kind.rawValue])
        if first {
            logger.warning("member.write-budget.exceeded", [
                "member": .string(member), "kind": .string(kind.rawValue),
                "limitPerMinute": .int(budget.withLock { $0.limits.perMinute[kind] ?? 0 }),
                "advice": "the member sends more than a connector should; further records of this kind are refused for now",
            ])
        }
        return false
    }

    /// For the top of a DSP route that creates a record: throws a 429 DSP error (`shape`) when `member` is over budget.
    /// The sender's outbox retries 429 later (RFC 6585 §4), so a legitimate burst is delayed, not lost.
    func admit(_ member: String, _ kind: MemberWriteBudget.Kind, shape: DSPErrorShape) throws(DSPFailure) {
        guard allow(member, kind) else {
            throw DSPFailure(HTTPStatus(code: 429, reasonPhrase: "Too Many Requests"), shape: shape, code: "429",
                             reasons: ["too many new \(kind.rawValue) processes from member '\(member)' in the last minute; try again later"])
        }
    }
}
