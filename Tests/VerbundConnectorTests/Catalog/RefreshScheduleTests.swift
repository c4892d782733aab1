import Foundation
import Testing
@testable import VerbundConnector

/// The refresh schedule and its intervals as values (docs/operator.md, "Files that change").
@Suite struct RefreshScheduleTests {
    let frequency = RefreshInterval.frequencies

    @Test func intervalsParseAndMapToEUFrequencies() throws {
        #expect(RefreshInterval("15m")?.seconds == 900)
        #expect(RefreshInterval("1h")?.seconds == 3600)
        #expect(RefreshInterval("1d")?.seconds == 86_400)
        #expect(RefreshInterval("30s")?.seconds == 30)
        #expect(RefreshInterval("15m")?.accrualPeriodicity == frequency + "UPDATE_CONT")
        #expect(RefreshInterval("1h")?.accrualPeriodicity == frequency + "HOURLY")
        #expect(RefreshInterval("6h")?.accrualPeriodicity == frequency + "HOURLY")
        #expect(RefreshInterval("1d")?.accrualPeriodicity == frequency + "DAILY")
        #expect(RefreshInterval("7d")?.accrualPeriodicity == frequency + "WEEKLY")
        #expect(RefreshInterval("60d")?.accrualPeriodicity == frequency + "MONTHLY")
        #expect(RefreshInterval("90m")?.description == "90m")
        #expect(RefreshInterval("120m")?.description == "2h")
        #expect(RefreshInterval(seconds: 86_400)?.description == "1d")
    }

    @Test(arguments: ["", "m", "0m", "-5m", "1.5h", "15", "15M", "1w", "١h", "+1h", " 1h", "367d", "99999999999999999999s"])
    func hostileIntervalsAreRefused(_ text: String) {
        #expect(RefreshInterval(text) == nil, "\(text)")
    }

    @Test func publicationRefusesABadIntervalBeforeReadingTheFile() throws {
        var publication = DatasetPublication(file: "/nonexistent/file.csv", title: "T", description: "D")
        publication.refreshEvery = "often"
        #expect(throws: CatalogPublishError.self) { _ = try publication.refreshInterval() }
        do {
            _ = try publication.record(publisher: .init(id: "urn:p", name: "P"), spatial: [], now: Date())
            Issue.record("published with a bad interval")
        } catch {
            #expect(error.description.contains("refreshEvery"), "\(error)")
        }
    }

    @Test func dueDatasetsAndTheNextWakeUp() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let schedule = RefreshSchedule([
            .init(id: "hourly", interval: RefreshInterval("1h")!, since: t0),
            .init(id: "quarter", interval: RefreshInterval("15m")!, since: t0.addingTimeInterval(-1000)),
            .init(id: "daily", interval: RefreshInterval("1d")!, since: t0.addingTimeInterval(-90_000)),
        ])
        // At t0: daily is 3600 s overdue, quarter 100 s overdue, hourly not yet.
        #expect(schedule.due(at: t0) == ["daily", "quarter"])
        // After refreshing those, quarter is next again in 900 s, hourly in 3600 s; capped at the longest pause.
        #expect(schedule.nextWake(after: t0) == t0.addingTimeInterval(RefreshSchedule.longestPause))
        let later = t0.addingTimeInterval(3599)
        #expect(schedule.due(at: later) == ["daily", "quarter"])
        #expect(schedule.due(at: t0.addingTimeInterval(3600)) == ["daily", "quarter", "hourly"])
        let short = RefreshSchedule([.init(id: "a", interval: RefreshInterval("2s")!, since: t0)])
        #expect(short.due(at: t0.addingTimeInterval(1.9)).isEmpty)
        #expect(short.nextWake(after: t0.addingTimeInterval(1)) == t0.addingTimeInterval(2))
        #expect(short.due(at: t0.addingTimeInterval(2)) == ["a"])
        #expect(short.nextWake(after: t0.addingTimeInterval(2)) == t0.addingTimeInterval(4))
        #expect(RefreshSchedule([]).due(at: t0).isEmpty)
        #expect(RefreshSchedule([]).nextWake(after: t0) == t0.addingTimeInterval(RefreshSchedule.longestPause))
    }
}
