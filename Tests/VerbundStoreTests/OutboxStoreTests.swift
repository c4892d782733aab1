import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundStore

@Suite(.offCooperativePool) struct OutboxStoreTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let peer = URL(string: "https://dsp.stadt-b.example:8443")!

    private func openStore(_ dir: TemporaryDirectory) throws -> (Database, OutboxStore) {
        let db = try Database.openStore(path: dir.path("state.sqlite"))
        return (db, OutboxStore(database: db))
    }

    private func enqueue(_ outbox: OutboxStore, _ db: Database, _ id: String, at time: Date) throws {
        try db.transaction { tx in
            try outbox.enqueue(in: tx, id: id, destination: peer, method: "POST", path: "/negotiations/\(id)",
                               body: Array("{\"id\":\"\(id)\"}".utf8), now: time)
        }
    }

    @Test func enqueuedMessageRoundTrips() throws {
        let dir = try TemporaryDirectory()
        let (db, outbox) = try openStore(dir)
        try enqueue(outbox, db, "m1", at: start)
        let due = try outbox.due(now: start, limit: 10)
        #expect(due == [OutboxMessage(id: "m1", destination: peer, method: "POST", path: "/negotiations/m1",
                                      body: Array("{\"id\":\"m1\"}".utf8), createdAt: start, nextAttemptAt: start)])
        #expect(try outbox.pendingCount() == 1)
    }

    @Test func messageCommitsOrVanishesWithTheStateChange() throws {
        struct PeerRejected: Error {}
        let dir = try TemporaryDirectory()
        let (db, outbox) = try openStore(dir)
        try db.transaction { tx in try tx.execute("CREATE TABLE negotiation (id TEXT PRIMARY KEY, state TEXT) STRICT") }
        #expect(throws: PeerRejected.self) {
            try db.transaction { tx in
                try tx.execute("INSERT INTO negotiation VALUES ('n1', 'AGREED')")
                try outbox.enqueue(in: tx, id: "m1", destination: peer, method: "POST", path: "/n1", body: [1],
                                   now: start)
                throw PeerRejected()
            }
        }
        #expect(try outbox.due(now: start, limit: 10).isEmpty)
        #expect(try db.read { tx in try tx.query("SELECT * FROM negotiation") }.isEmpty)
    }

    @Test func dueOrdersBySchedule() throws {
        let dir = try TemporaryDirectory()
        let (db, outbox) = try openStore(dir)
        try enqueue(outbox, db, "late", at: start.addingTimeInterval(10))
        try enqueue(outbox, db, "early", at: start)
        try enqueue(outbox, db, "middle", at: start.addingTimeInterval(5))
        #expect(try outbox.due(now: start.addingTimeInterval(-1), limit: 10).isEmpty)
        #expect(try outbox.due(now: start.addingTimeInterval(5), limit: 10).map(\.id) == ["early", "middle"])
        #expect(try outbox.due(now: start.addingTimeInterval(60), limit: 2).map(\.id) == ["early", "middle"])
        #expect(try outbox.due(now: start.addingTimeInterval(60), limit: 0).isEmpty)
    }

    @Test func failedDeliveryIsRetriedWithBackoffUntilDelivered() throws {
        let dir = try TemporaryDirectory()
        let (db, outbox) = try openStore(dir)
        try enqueue(outbox, db, "m1", at: start)
        let backoff = RetryBackoff.standard

        let first = try outbox.recordFailure(id: "m1", error: "connection refused", now: start, backoff: backoff, jitter: 0)
        #expect(first == start.addingTimeInterval(0.5))
        #expect(try outbox.due(now: start.addingTimeInterval(0.499), limit: 10).isEmpty)
        let retried = try #require(try outbox.due(now: first, limit: 10).first)
        #expect(retried.attempts == 1)
        #expect(retried.lastError == "connection refused")

        let second = try outbox.recordFailure(id: "m1", error: "503", now: first, backoff: backoff, jitter: 0)
        #expect(second == first.addingTimeInterval(1))
        let third = try outbox.recordFailure(id: "m1", error: "503", now: second, backoff: backoff, jitter: 1)
        #expect(third == second.addingTimeInterval(1))  // nominal 2 s, half taken by full jitter

        try outbox.markDelivered(id: "m1", at: third)
        #expect(try outbox.due(now: third.addingTimeInterval(3600), limit: 10).isEmpty)
        #expect(try outbox.message(id: "m1")?.deliveredAt == third)
        #expect(try outbox.pendingCount() == 0)
        // A late duplicate acknowledgement is harmless; a late failure report is refused.
        #expect(try db.transaction { tx in try outbox.markDelivered(id: "m1", at: third, in: tx) } == false)
        #expect(throws: OutboxError.alreadyDelivered(id: "m1")) {
            try outbox.reschedule(id: "m1", nextAttempt: third, lastError: "late")
        }
    }

    @Test func claimedMessagesAreLeasedUntilReportedOrExpired() throws {
        let dir = try TemporaryDirectory()
        let (db, outbox) = try openStore(dir)
        try enqueue(outbox, db, "a", at: start)
        try enqueue(outbox, db, "b", at: start)
        let claimed = try outbox.claimDue(now: start, limit: 10, lease: .seconds(30))
        #expect(claimed.map(\.id) == ["a", "b"])
        // Claimed messages are not handed out again while the lease runs.
        #expect(try outbox.claimDue(now: start.addingTimeInterval(29), limit: 10, lease: .seconds(30)).isEmpty)
        try outbox.markDelivered(id: "a", at: start.addingTimeInterval(1))
        // The dispatcher died before reporting on "b": it is due again when the lease ends, attempts unchanged.
        let again = try outbox.claimDue(now: start.addingTimeInterval(30), limit: 10, lease: .seconds(30))
        #expect(again.map(\.id) == ["b"])
        #expect(again.first?.attempts == 0)
        // A failure report replaces the lease with the backoff schedule.
        let next = try outbox.recordFailure(id: "b", error: "503", now: start.addingTimeInterval(31), jitter: 0)
        #expect(next == start.addingTimeInterval(31.5))
        #expect(try outbox.due(now: next, limit: 10).map(\.id) == ["b"])
    }

    @Test func unknownIdsAreReported() throws {
        let dir = try TemporaryDirectory()
        let (_, outbox) = try openStore(dir)
        #expect(throws: OutboxError.unknownMessage(id: "nope")) { try outbox.markDelivered(id: "nope", at: start) }
        #expect(throws: OutboxError.unknownMessage(id: "nope")) {
            try outbox.reschedule(id: "nope", nextAttempt: start, lastError: "x")
        }
        #expect(throws: OutboxError.unknownMessage(id: "nope")) {
            try outbox.recordFailure(id: "nope", error: "x", now: start, jitter: 0)
        }
    }

    @Test func pendingMessagesSurviveReopen() throws {
        let dir = try TemporaryDirectory()
        do {
            let (db, outbox) = try openStore(dir)
            try enqueue(outbox, db, "m1", at: start)
            try outbox.reschedule(id: "m1", nextAttempt: start.addingTimeInterval(30), lastError: "timeout")
            db.close()
        }
        let (_, outbox) = try openStore(dir)
        let message = try #require(try outbox.due(now: start.addingTimeInterval(30), limit: 1).first)
        #expect(message.attempts == 1)
        #expect(message.lastError == "timeout")
    }

    @Test func invalidMessagesAreRefused() throws {
        let dir = try TemporaryDirectory()
        let (db, outbox) = try openStore(dir)
        let cases: [(URL, String, String)] = [
            (URL(string: "ftp://peer.example")!, "POST", "/x"),
            (URL(string: "https:///nohost")!, "POST", "/x"),
            (peer, "post", "/x"),
            (peer, "", "/x"),
            (peer, "POST", "relative"),
            (peer, "POST", "/with space"),
        ]
        for (destination, method, path) in cases {
            #expect(throws: OutboxError.self) {
                try db.transaction { tx in
                    try outbox.enqueue(in: tx, id: "bad", destination: destination, method: method, path: path,
                                       body: [], now: start)
                }
            }
        }
        #expect(throws: OutboxError.self) {
            try db.transaction { tx in
                try outbox.enqueue(in: tx, id: "", destination: peer, method: "POST", path: "/", body: [], now: start)
            }
        }
        #expect(try outbox.pendingCount() == 0)
    }

    @Test func duplicateIdIsAConstraintViolation() throws {
        let dir = try TemporaryDirectory()
        let (db, outbox) = try openStore(dir)
        try enqueue(outbox, db, "m1", at: start)
        let error = #expect(throws: SQLiteError.self) { try enqueue(outbox, db, "m1", at: start) }
        #expect(error?.isConstraintViolation == true)
    }

    @Test func purgeRemovesOnlyOldDeliveredMessages() throws {
        let dir = try TemporaryDirectory()
        let (db, outbox) = try openStore(dir)
        try enqueue(outbox, db, "old", at: start)
        try enqueue(outbox, db, "recent", at: start)
        try enqueue(outbox, db, "pending", at: start)
        try outbox.markDelivered(id: "old", at: start)
        try outbox.markDelivered(id: "recent", at: start.addingTimeInterval(100))
        #expect(try outbox.purgeDelivered(before: start.addingTimeInterval(50)) == 1)
        #expect(try outbox.message(id: "old") == nil)
        #expect(try outbox.message(id: "recent") != nil)
        #expect(try outbox.pendingCount() == 1)
    }
}

@Suite(.offCooperativePool) struct RetryBackoffTests {
    @Test func growsExponentiallyUpToTheCap() {
        let backoff = RetryBackoff.standard
        let delays = (1...12).map { backoff.delay(forAttempt: $0) }
        #expect(delays.prefix(5) == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8)])
        #expect(backoff.delay(forAttempt: 10) == .seconds(256))
        #expect(backoff.delay(forAttempt: 11) == .seconds(300))  // 512 s capped at 5 min
        #expect(backoff.delay(forAttempt: 10_000) == .seconds(300))
        #expect(backoff.delay(forAttempt: .max) == .seconds(300))
    }

    @Test func attemptsBelowOneCountAsOne() {
        #expect(RetryBackoff.standard.delay(forAttempt: 0) == .milliseconds(500))
        #expect(RetryBackoff.standard.delay(forAttempt: -3) == .milliseconds(500))
    }

    @Test func jitterShrinksTheDelayWithinItsFraction() {
        let backoff = RetryBackoff.standard
        #expect(backoff.delay(forAttempt: 3, jitter: 0) == .seconds(2))
        #expect(backoff.delay(forAttempt: 3, jitter: 0.5) == .milliseconds(1500))
        #expect(backoff.delay(forAttempt: 3, jitter: 1) == .seconds(1))
        #expect(backoff.delay(forAttempt: 3, jitter: 7) == .seconds(1))  // clamped
        #expect(backoff.delay(forAttempt: 3, jitter: -1) == .seconds(2))
        #expect(backoff.delay(forAttempt: 3, jitter: .nan) == .seconds(2))
        let noJitter = RetryBackoff(jitterFraction: 0)
        #expect(noJitter.delay(forAttempt: 3, jitter: 1) == .seconds(2))
    }
}
