import Foundation

/// The facts a policy is evaluated against. The caller supplies all of them, the time included, so that a
/// decision can be reproduced later (e.g. by an auditor replaying a log entry).
package struct EvaluationContext: Sendable, Hashable {
    /// When in a contract's life the evaluation happens. At negotiation nothing has been used yet, so
    /// usage limits (`count`, `elapsedTime`) hold; they are enforced on every transfer and data request.
    package enum Phase: String, Sendable, Hashable, CaseIterable {
        case negotiation, transfer, dataRequest
    }

    package var memberID: String
    package var participantID: String
    /// The consumer city's official municipality key (Amtlicher Gemeindeschlüssel, 8 digits).
    package var ags: String?
    /// The purpose the consumer stated; the caller records it with the decision.
    package var purpose: String?
    package var now: Date
    /// When the agreement was made; `elapsedTime` is measured from it.
    package var agreementTimestamp: Date?
    /// Uses of the agreement already made, the one being evaluated not included: the provider counts transfers that
    /// completed, still run, or ever sent data (docs/policies.md, "What one use is").
    package var completedTransfers: Int
    package var phase: Phase
    /// Requests of the agreement forwarded since 00:00 UTC of `now`'s day, the one being evaluated not included;
    /// nil when the caller does not count them (then a `requestsPerDay` constraint denies a data request).
    package var requestsToday: Int?

    package init(
        memberID: String, participantID: String, ags: String? = nil, purpose: String? = nil, now: Date,
        agreementTimestamp: Date? = nil, completedTransfers: Int = 0, phase: Phase, requestsToday: Int? = nil
    ) {
        self.memberID = memberID
        self.participantID = participantID
        self.ags = ags
        self.purpose = purpose
        self.now = now
        self.agreementTimestamp = agreementTimestamp
        self.completedTransfers = completedTransfers
        self.phase = phase
        self.requestsToday = requestsToday
    }
}

/// The outcome of evaluating a policy.
package enum PolicyDecision: Sendable, Hashable {
    case permit
    /// Reasons a person can read, one per failed condition.
    case deny(reasons: [String])

    package var isPermitted: Bool { self == .permit }
}
