import Foundation

/// Registry times are whole seconds so that the canonical JSON (RFC 3339 without fractions) round-trips exactly.
enum RegistryClock {
    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
