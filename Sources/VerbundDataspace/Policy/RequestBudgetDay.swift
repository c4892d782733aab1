import Foundation

/// The day a `requestsPerDay` budget counts: the calendar day in UTC that contains an instant, from 00:00:00 UTC
/// inclusive to the next 00:00:00 UTC exclusive. A fixed calendar day (not a sliding 24 h window) lets a consumer
/// know when the budget renews and an auditor recount a day from the log's timestamps alone.
package struct RequestBudgetDay: Sendable, Hashable {
    /// 00:00:00 UTC of the day.
    package let start: Date

    package init(containing instant: Date) {
        let seconds = instant.timeIntervalSince1970
        start = Date(timeIntervalSince1970: (seconds / 86_400).rounded(.down) * 86_400)
    }

    /// 00:00:00 UTC of the next day: when the budget renews.
    package var end: Date { start.addingTimeInterval(86_400) }

    package func contains(_ instant: Date) -> Bool { instant >= start && instant < end }
}
