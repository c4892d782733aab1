/// The outcome of an offline verification: a list of named checks, each passed, failed or a notice.
/// A verification succeeds only if no check failed; notices (e.g. "revoked since") are information.
public struct AuditReport: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        case passed, failed, notice
    }

    public struct Check: Sendable, Equatable {
        /// A stable, lowercase name (`root-hash`, `consumer-signature`) that scripts and auditors can refer to.
        public let name: String
        public let outcome: Outcome
        /// What was checked and, on failure, what was wrong.
        public let detail: String

        public init(name: String, outcome: Outcome, detail: String) {
            self.name = name
            self.outcome = outcome
            self.detail = detail
        }
    }

    public private(set) var checks: [Check] = []

    public init(checks: [Check] = []) {
        self.checks = checks
    }

    public mutating func pass(_ name: String, _ detail: String) { checks.append(Check(name: name, outcome: .passed, detail: detail)) }
    public mutating func fail(_ name: String, _ detail: String) { checks.append(Check(name: name, outcome: .failed, detail: detail)) }
    public mutating func notice(_ name: String, _ detail: String) { checks.append(Check(name: name, outcome: .notice, detail: detail)) }

    /// Passed or failed as one: `ok` adds a passed check with `detail`, otherwise a failed one with `failure`.
    public mutating func record(_ name: String, ok: Bool, _ detail: String, failure: @autoclosure () -> String) {
        if ok { pass(name, detail) } else { fail(name, failure()) }
    }

    public var failed: [Check] { checks.filter { $0.outcome == .failed } }
    public var succeeded: Bool { failed.isEmpty && !checks.isEmpty }

    /// The first failed check with this name, if any.
    public func failure(_ name: String) -> Check? { failed.first { $0.name == name } }
}
