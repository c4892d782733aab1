/// A token bucket (a pure value; time is passed in): holds at most `capacity` tokens, earns `capacity` every `period`,
/// and `take` spends one when there is one. Used to bound how often someone can make the connector do or write
/// something: failed management logins, records a member's requests create.
struct TokenBucket: Sendable, Equatable {
    let capacity: Double
    let period: Duration
    private(set) var tokens: Double
    private var updatedAt: ContinuousClock.Instant?

    /// Starts full.
    init(capacity: Int, per period: Duration) {
        self.capacity = Double(max(capacity, 0))
        self.period = period
        tokens = Double(max(capacity, 0))
    }

    /// Whether a token is there now (spends nothing).
    mutating func hasToken(now: ContinuousClock.Instant) -> Bool {
        refill(now)
        return tokens >= 1
    }

    /// Spends a token if there is one; false when the bucket is empty.
    mutating func take(now: ContinuousClock.Instant) -> Bool {
        refill(now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Whether the bucket is full again (nothing to remember about its owner).
    mutating func isFull(now: ContinuousClock.Instant) -> Bool {
        refill(now)
        return tokens >= capacity
    }

    private mutating func refill(_ now: ContinuousClock.Instant) {
        defer { updatedAt = max(updatedAt ?? now, now) }
        guard let updatedAt, now > updatedAt, period > .zero else { return }
        tokens = min(capacity, tokens + capacity * ((now - updatedAt) / period))
    }
}
