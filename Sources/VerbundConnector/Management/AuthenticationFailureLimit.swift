/// Bounds failed logins to the management API (a pure value; time is passed in): after `maxFailures` wrong or missing
/// tokens within `window`, requests to protected routes answer 429 without looking at the token until the bucket has
/// refilled — guessing gets no feedback, and what failures may write to the log is bounded too.
struct AuthenticationFailureLimit: Sendable {
    struct Settings: Sendable, Equatable {
        var maxFailures: Int
        var window: Duration

        init(maxFailures: Int = 20, window: Duration = .seconds(60)) {
            self.maxFailures = maxFailures
            self.window = window
        }
    }

    private var bucket: TokenBucket
    /// Whether the current lockout was already said (one log line per episode).
    private var lockoutNoticed = false

    init(settings: Settings = Settings()) {
        bucket = TokenBucket(capacity: settings.maxFailures, per: settings.window)
    }

    enum Decision: Equatable, Sendable {
        /// Check the token.
        case check
        /// Answer 429; `firstOfEpisode` says whether to log it.
        case locked(firstOfEpisode: Bool)
    }

    mutating func decide(now: ContinuousClock.Instant) -> Decision {
        if bucket.hasToken(now: now) {
            lockoutNoticed = false
            return .check
        }
        defer { lockoutNoticed = true }
        return .locked(firstOfEpisode: !lockoutNoticed)
    }

    /// A request carried no valid token.
    mutating func failed(now: ContinuousClock.Instant) {
        _ = bucket.take(now: now)
    }
}
