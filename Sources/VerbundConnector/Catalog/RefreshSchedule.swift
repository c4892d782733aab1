import Foundation

/// How often a file dataset is refreshed from its source: `--refresh-every 15m|1h|1d` (any whole number of seconds,
/// minutes, hours or days: `30s`, `15m`, `6h`, `1d`, from 1 second to 366 days).
package struct RefreshInterval: Sendable, Hashable, Codable, CustomStringConvertible {
    package let seconds: Int64

    package static let frequencies = "http://publications.europa.eu/resource/authority/frequency/"

    package init?(seconds: Int64) {
        guard (1...366 * 86_400).contains(seconds) else { return nil }
        self.seconds = seconds
    }

    /// `15m`, `1h`, `1d`, `30s`; nil for anything else.
    package init?(_ text: String) {
        let digits = text.utf8.dropLast()
        guard let unit = text.last, !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ (0x30...0x39).contains($0) }),
              let count = Int64(String(decoding: digits, as: UTF8.self)), count > 0 else {
            return nil
        }
        let factors: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        guard let factor = factors[unit], count <= 366 * 86_400 / factor else { return nil }
        self.init(seconds: count * factor)
    }

    package var description: String {
        for (unit, factor) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds % factor == 0 {
            return "\(seconds / factor)\(unit)"
        }
        return "\(seconds)s"
    }

    /// The EU frequency (`dct:accrualPeriodicity`, Publications Office authority table "frequency") that says at
    /// least as often as the interval: under an hour `UPDATE_CONT` (continuously updated), under a day `HOURLY`,
    /// under a week `DAILY`, under a month (31 days) `WEEKLY`, else `MONTHLY`. So 15m → UPDATE_CONT, 1h → HOURLY,
    /// 1d → DAILY.
    package var accrualPeriodicity: String {
        let name: String
        switch seconds {
        case ..<3600: name = "UPDATE_CONT"
        case ..<86_400: name = "HOURLY"
        case ..<(7 * 86_400): name = "DAILY"
        case ..<(31 * 86_400): name = "WEEKLY"
        default: name = "MONTHLY"
        }
        return Self.frequencies + name
    }
}

/// Which datasets are due for a refresh and when to look next: a value, given the scheduled datasets and the time.
/// A dataset is due when its interval has passed since its last refresh attempt (successful or not; a failing source
/// is retried at the same pace, not in a loop), or since its publication when it was never refreshed.
package struct RefreshSchedule: Sendable, Hashable {
    package struct Entry: Sendable, Hashable {
        package var id: String
        package var interval: RefreshInterval
        /// The last refresh attempt, or the publication when there was none.
        package var since: Date

        package init(id: String, interval: RefreshInterval, since: Date) {
            self.id = id
            self.interval = interval
            self.since = since
        }

        var dueAt: Date { since.addingTimeInterval(Double(interval.seconds)) }
    }

    /// The longest the refresher sleeps without looking again (so a dataset published meanwhile is not overlooked).
    package static let longestPause: TimeInterval = 60

    package var entries: [Entry]

    package init(_ entries: [Entry]) { self.entries = entries }

    /// The datasets due at `now`, most overdue first (ties by id).
    package func due(at now: Date) -> [String] {
        entries.filter { $0.dueAt <= now }.sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }.map(\.id)
    }

    /// When to look next after the due datasets at `now` were refreshed (their `since` becomes `now`): the earliest
    /// due time, at most `longestPause` ahead.
    package func nextWake(after now: Date) -> Date {
        let next = entries.map { $0.dueAt <= now ? now.addingTimeInterval(Double($0.interval.seconds)) : $0.dueAt }.min()
        return min(next ?? .distantFuture, now.addingTimeInterval(Self.longestPause))
    }
}
