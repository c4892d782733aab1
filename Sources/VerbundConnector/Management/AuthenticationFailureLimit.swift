import Synchronization

/// Bounds failed logins to the management API (a pure value; time is passed in): after `maxFailures` wrong or missing
/// tokens within `window`, wrong credentials are refused without being logged (and without slow checks) until the
/// bucket has refilled, so what failures may write to the log or cost is bounded.
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
        /// Refuse without logging; `firstOfEpisode` says whether to log that the lockout began.
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

/// The one failure limit of a management listener, shared by the API's `Authorization` check (`ManagementMount`) and
/// the console's login form (`ConsoleRoutes`): guessing secrets through either counts against the same bound.
final class AuthenticationFailures: Sendable {
    let limit: Mutex<AuthenticationFailureLimit>

    init(settings: AuthenticationFailureLimit.Settings = .init()) {
        limit = Mutex(AuthenticationFailureLimit(settings: settings))
    }

    func decide(now: ContinuousClock.Instant) -> AuthenticationFailureLimit.Decision { limit.withLock { $0.decide(now: now) } }
    func failed(now: ContinuousClock.Instant) { limit.withLock { $0.failed(now: now) } }
}
