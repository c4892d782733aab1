import Foundation

/// Write transactions that share one SQLite transaction and therefore one `COMMIT` and one `fsync` (group commit).
///
/// Each member ran its closure in a savepoint of the open transaction and waits here until the member that commits
/// says how it went: no member returns before the commit that makes its changes durable, so "acknowledged means on
/// disk" holds for each of them as it did with a commit each. A failed commit fails every member — none of their
/// changes are on disk.
package final class CommitGroup: @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var outcome: Result<Void, SQLiteError>?

    /// When the group's transaction began (`BEGIN IMMEDIATE`) and how many members joined; only touched under the
    /// database's writer lock.
    let opened: ContinuousClock.Instant
    var members = 0

    init(opened: ContinuousClock.Instant) {
        self.opened = opened
    }

    /// The commit's outcome, for every waiting member.
    func finish(_ result: Result<Void, SQLiteError>) {
        condition.lock()
        outcome = result
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the group's commit; throws its error.
    func wait() throws(SQLiteError) {
        condition.lock()
        while outcome == nil { condition.wait() }
        let result = outcome
        condition.unlock()
        if case let .failure(error)? = result { throw error }
    }

    /// When a group stops waiting for more members and commits: bounded in size and age, so a steady stream of writers
    /// cannot keep the first member waiting.
    package struct Limits: Sendable {
        package var maxMembers: Int
        package var maxAge: Duration

        package init(maxMembers: Int = 64, maxAge: Duration = .milliseconds(5)) {
            self.maxMembers = maxMembers
            self.maxAge = maxAge
        }

        /// Whether the member that just joined commits now: nobody else is waiting to join, or the group is full or old.
        package func commitsNow(members: Int, opened: ContinuousClock.Instant, now: ContinuousClock.Instant, waiting: Int) -> Bool {
            waiting == 0 || members >= maxMembers || now - opened >= maxAge
        }
    }
}
