import Foundation

/// Runs the refresh schedules of the published datasets (`--refresh-every`) on its own `WorkerThread`: each round
/// reads the scheduled datasets, refreshes those the `RefreshSchedule` says are due, and sleeps until the next is due
/// (at most `RefreshSchedule.longestPause`). A failing refresh keeps the last good version; `DatasetRefresh` records
/// why (status, metric, log) and the dataset is tried again one interval later.
final class DatasetRefresher: Sendable {
    private let context: ConnectorContext
    private let refresh: DatasetRefresh
    private let thread = WorkerThread(name: "verbund.catalog-refresh")

    init(context: ConnectorContext, snapshots: SnapshotStore) {
        self.context = context
        self.refresh = DatasetRefresh(context: context, snapshots: snapshots)
    }

    /// The schedule as stored now.
    func schedule() throws -> RefreshSchedule {
        // Only the scheduled rows, without decoding their records (a catalog may hold many datasets).
        try context.database.read { tx in
            RefreshSchedule(try tx.query("""
                SELECT id, refresh_every_s, coalesce(refresh_attempt_ms, published_at_ms) AS since_ms FROM catalog_dataset
                WHERE refresh_every_s IS NOT NULL
                """).compactMap { row in
                guard let every = RefreshInterval(seconds: try row.int64("refresh_every_s")) else { return nil }
                return RefreshSchedule.Entry(id: try row.string("id"), interval: every,
                                             since: Date(timeIntervalSince1970: Double(try row.int64("since_ms")) / 1000))
            })
        }
    }

    func start() {
        thread.start { [self] in
            while !thread.isStopping {
                let now = context.clock()
                var wake = now.addingTimeInterval(RefreshSchedule.longestPause)
                do {
                    let schedule = try schedule()
                    for id in schedule.due(at: now) where !thread.isStopping {
                        _ = try? refresh.refresh(id: id)  // a failure is recorded and logged by `refresh`
                    }
                    wake = schedule.nextWake(after: now)
                } catch {
                    context.logger.error("catalog.refresh.schedule-failed", ["error": .error(error)])
                }
                let seconds = max(0.05, wake.timeIntervalSince(context.clock()))
                thread.pause(.milliseconds(Int64(seconds * 1000)))
            }
        }
    }

    /// A dataset was published or changed its schedule: look again now.
    func wake() { thread.wake() }

    func stop() { thread.stop() }
}
