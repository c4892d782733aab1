/// The outcome of an offline verification: a list of named checks, each passed, failed or a notice.
/// A verification succeeds only if no check failed; notices (e.g. "revoked since") are information.
package struct AuditReport: Sendable, Equatable {
    package enum Outcome: String, Sendable, Equatable {
        case passed, failed, notice
    }

    package struct Check: Sendable, Equatable {
        /// A stable, lowercase name (`root-hash`, `consumer-signature`) that scripts and auditors can refer to.
        package let name: String
        package let outcome: Outcome
        /// What was checked and, on failure, what was wrong.
        package let detail: String

        package init(name: String, outcome: Outcome, detail: String) {
            self.name = name
            self.outcome = outcome
            self.detail = detail
        }
    }

    package private(set) var checks: [Check] = []

    package init(checks: [Check] = []) {
        self.checks = checks
    }

    package mutating func pass(_ name: String, _ detail: String) { checks.append(Check(name: name, outcome: .passed, detail: detail)) }
    package mutating func fail(_ name: String, _ detail: String) { checks.append(Check(name: name, outcome: .failed, detail: detail)) }
    package mutating func notice(_ name: String, _ detail: String) { checks.append(Check(name: name, outcome: .notice, detail: detail)) }

    /// Passed or failed as one: `ok` adds a passed check with `detail`, otherwise a failed one with `failure`.
    package mutating func record(_ name: String, ok: Bool, _ detail: String, failure: @autoclosure () -> String) {
        if ok { pass(name, detail) } else { fail(name, failure()) }
    }

    package var failed: [Check] { checks.filter { $0.outcome == .failed } }
    package var succeeded: Bool { failed.isEmpty && !checks.isEmpty }

    /// The first failed check with this name, if any.
    package func failure(_ name: String) -> Check? { failed.first { $0.name == name } }
}
