/// Account secrets verified recently, so a request does not pay PBKDF2 (600 000 iterations, a good fraction of a
/// second) every time: a pure value, time passed in, bounded in size and age.
///
/// An entry is keyed by SHA-256 over `name NUL secret` — the secret itself is never kept — and remembers the stored
/// hash text it was verified against. `ManagementAuthentication` trusts an entry only while the account's row still
/// holds that same hash text, so `accounts reset` and `accounts remove` take effect on the next request, and a role
/// change too (the role is read from the row each time). Only successes enter; failures cannot fill it.
package struct VerifiedSecrets: Sendable {
    package struct Entry: Sendable, Equatable {
        package let name: String
        package let storedHash: String
        package let verifiedAt: ContinuousClock.Instant
    }

    package let capacity: Int
    package let lifetime: Duration
    private var entries: [[UInt8]: Entry] = [:]

    /// 256 entries of at most 10 minutes: after that a secret is checked with PBKDF2 again.
    package init(capacity: Int = 256, lifetime: Duration = .seconds(600)) {
        self.capacity = max(1, capacity)
        self.lifetime = lifetime
    }

    package var count: Int { entries.count }

    /// The entry for `digest` when it is younger than `lifetime`; an older one is dropped.
    package mutating func lookup(_ digest: [UInt8], now: ContinuousClock.Instant) -> Entry? {
        guard let entry = entries[digest] else { return nil }
        guard now - entry.verifiedAt < lifetime else {
            entries[digest] = nil
            return nil
        }
        return entry
    }

    /// Remembers a verified secret; when full, expired entries go first, then the oldest.
    package mutating func insert(_ digest: [UInt8], _ entry: Entry) {
        if entries[digest] == nil, entries.count >= capacity {
            entries = entries.filter { entry.verifiedAt - $0.value.verifiedAt < lifetime }
            while entries.count >= capacity, let oldest = entries.min(by: { $0.value.verifiedAt < $1.value.verifiedAt }) {
                entries[oldest.key] = nil
            }
        }
        entries[digest] = entry
    }

    package mutating func forget(_ digest: [UInt8]) { entries[digest] = nil }
}
