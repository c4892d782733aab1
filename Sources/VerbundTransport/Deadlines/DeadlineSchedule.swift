/// Which armed deadlines have passed: a pure value (time is passed in) behind `SocketWatchdog`.
struct DeadlineSchedule<Key: Hashable & Sendable>: Sendable {
    private var deadlines: [Key: ContinuousClock.Instant] = [:]

    var isEmpty: Bool { deadlines.isEmpty }
    var count: Int { deadlines.count }

    /// The earliest armed deadline, when to look again.
    var next: ContinuousClock.Instant? { deadlines.values.min() }

    mutating func arm(_ key: Key, at deadline: ContinuousClock.Instant) {
        deadlines[key] = deadline
    }

    /// Removes `key`; false when it was not armed (it expired already, or never was).
    @discardableResult
    mutating func disarm(_ key: Key) -> Bool {
        deadlines.removeValue(forKey: key) != nil
    }

    /// Removes and returns every key whose deadline is at or before `now`.
    mutating func expire(at now: ContinuousClock.Instant) -> [Key] {
        let due = deadlines.filter { $0.value <= now }.map(\.key)
        for key in due { deadlines.removeValue(forKey: key) }
        return due
    }
}
