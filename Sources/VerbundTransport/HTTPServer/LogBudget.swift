/// How many records of one kind may be written per window: a stranger opening thousands of connections must not turn
/// each refusal into a log line. A pure value; the caller passes the time in.
///
/// Within a window the first `perWindow` records pass; the rest are counted, and the first record of the next window
/// carries how many were suppressed, so nothing is lost from the totals.
struct LogBudget: Sendable {
    let perWindow: Int
    let window: Duration
    private var windowStart: ContinuousClock.Instant?
    private var written = 0
    private var suppressed = 0

    init(perWindow: Int = 10, window: Duration = .seconds(10)) {
        self.perWindow = max(1, perWindow)
        self.window = window
    }

    enum Verdict: Sendable, Equatable {
        /// Write the record; `suppressed` records were dropped since the last one written.
        case write(suppressed: Int)
        case drop
    }

    mutating func admit(at now: ContinuousClock.Instant) -> Verdict {
        if let start = windowStart, now - start < window {
            guard written < perWindow else {
                suppressed += 1
                return .drop
            }
        } else {
            windowStart = now
            written = 0
        }
        written += 1
        defer { suppressed = 0 }
        return .write(suppressed: suppressed)
    }
}
