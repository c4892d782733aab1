import Foundation

/// Exponential backoff for outbox redelivery, as a pure function of the attempt number.
///
/// The nominal delay before retry number `n` (n = 1 after the first failure) is
/// `min(cap, base · factor^(n−1))`: with the defaults 0.5 s, 1 s, 2 s, 4 s, … up to 5 min.
/// Jitter spreads retries of many messages that failed together (a peer restart) so they do not
/// hit the peer in lockstep: the caller passes a number `u` in [0, 1] (random in production,
/// fixed in tests) and the delay shrinks by up to `jitterFraction`: `delay · (1 − jitterFraction · u)`.
package struct RetryBackoff: Sendable, Equatable {
    package var base: Duration
    package var factor: Double
    package var cap: Duration
    /// Largest share of the nominal delay that jitter may take away, in [0, 1].
    package var jitterFraction: Double

    package init(base: Duration = .milliseconds(500), factor: Double = 2, cap: Duration = .seconds(300),
                jitterFraction: Double = 0.5) {
        self.base = base
        self.factor = factor
        self.cap = cap
        self.jitterFraction = jitterFraction
    }

    /// The Verbund default: base 0.5 s, factor 2, cap 5 min, up to 50 % jitter.
    package static let standard = RetryBackoff()

    /// The delay before retry number `attempt` (1-based; values below 1 count as 1), with jitter
    /// `unit` in [0, 1] (clamped; NaN counts as 0).
    package func delay(forAttempt attempt: Int, jitter unit: Double = 0) -> Duration {
        let capSeconds = cap.inSeconds
        let exponent = Double(max(attempt, 1) - 1)
        // pow may overflow to +inf for large attempts; min with the cap handles that.
        let nominal = min(capSeconds, base.inSeconds * pow(max(factor, 1), exponent))
        let u = unit.isNaN ? 0 : min(max(unit, 0), 1)
        let fraction = min(max(jitterFraction, 0), 1)
        let seconds = nominal * (1 - fraction * u)
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
