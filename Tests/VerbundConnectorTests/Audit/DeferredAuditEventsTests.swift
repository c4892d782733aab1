import Foundation
import Testing
import VerbundAudit
import VerbundStore
@testable import VerbundConnector

/// `AuditTrail.recordSoon`: entries that ride on the next transaction's commit, or get one of their own soon after.
@Suite struct DeferredAuditEventsTests {
    private struct Trail {
        let folder = TemporaryFolder("verbund-deferred-audit")
        let database: Database
        let trail: AuditTrail

        init(delay: Duration) throws {
            database = try Database.openStore(path: folder.file("state.sqlite"))
            trail = AuditTrail(database: database, clock: { Date(timeIntervalSince1970: 1_800_000_000) },
                               deferred: DeferredAuditEvents(delay: delay))
            try database.transaction { tx in try tx.executeScript("CREATE TABLE side (n INTEGER NOT NULL) STRICT;") }
        }

        /// Entries in the log, read without flushing.
        func committedKinds() throws -> [String] {
            try database.read { tx in
                try trail.log.entries(0..<(try trail.log.size(in: tx)), in: tx).map { try $0.value()["kind"]?.stringValue ?? "" }
            }
        }

        func sideRows() throws -> Int {
            try database.read { tx in try tx.queryFirst("SELECT count(*) AS n FROM side")?.int("n") ?? 0 }
        }
    }

    @Test func waitingEventsShareTheNextTransactionsCommitWithTheirWrites() throws {
        let bed = try Trail(delay: .seconds(600))
        defer { bed.database.close() }
        bed.trail.recordSoon(AuditEvent(kind: "first")) { tx in try tx.execute("INSERT INTO side VALUES (1)") }
        bed.trail.recordSoon(AuditEvent(kind: "second"))
        #expect(try bed.committedKinds().isEmpty)
        #expect(bed.trail.deferred.count == 2)

        let commitsBefore = bed.database.groupCommits
        try bed.trail.transaction { tx in try bed.trail.record(AuditEvent(kind: "cause"), in: tx) }
        // One commit carried both waiting events (in the order they came, before the transaction's own) and their write.
        #expect(bed.database.groupCommits == commitsBefore + 1)
        #expect(try bed.committedKinds() == ["first", "second", "cause"])
        #expect(try bed.sideRows() == 1)
        #expect(bed.trail.deferred.count == 0)
    }

    @Test func aFailedTransactionLeavesTheEventsWaitingAndNothingHalfWritten() throws {
        let bed = try Trail(delay: .seconds(600))
        defer { bed.database.close() }
        struct Refused: Error {}
        bed.trail.recordSoon(AuditEvent(kind: "kept")) { tx in try tx.execute("INSERT INTO side VALUES (1)") }
        #expect(throws: Refused.self) {
            try bed.trail.transaction { _ in throw Refused() }
        }
        #expect(try bed.committedKinds().isEmpty)
        #expect(try bed.sideRows() == 0)
        #expect(bed.trail.deferred.count == 1)
        // Readers flush first: the size counts it, and it is written once.
        #expect(try bed.trail.size() == 1)
        #expect(try bed.committedKinds() == ["kept"])
        #expect(try bed.sideRows() == 1)
    }

    @Test func anEventThatCannotBeWrittenIsDroppedAndBlocksNothing() throws {
        let bed = try Trail(delay: .seconds(600))
        defer { bed.database.close() }
        struct Broken: Error {}
        bed.trail.recordSoon(AuditEvent(kind: "broken")) { tx in
            try tx.execute("INSERT INTO side VALUES (7)")
            throw Broken()
        }
        bed.trail.recordSoon(AuditEvent(kind: "fine")) { tx in try tx.execute("INSERT INTO side VALUES (1)") }
        try bed.trail.transaction { tx in try bed.trail.record(AuditEvent(kind: "cause"), in: tx) }
        // The broken one's half-done write is taken back; the others and the cause commit.
        #expect(try bed.committedKinds() == ["fine", "cause"])
        #expect(try bed.sideRows() == 1)
        #expect(bed.trail.deferred.count == 0)
        try bed.trail.transaction { tx in try bed.trail.record(AuditEvent(kind: "next"), in: tx) }
        #expect(try bed.committedKinds() == ["fine", "cause", "next"])
    }

    @Test func withoutAnotherTransactionTheEventsAreWrittenAfterTheDelay() throws {
        let bed = try Trail(delay: .milliseconds(30))
        defer { bed.database.close() }
        bed.trail.recordSoon(AuditEvent(kind: "alone"))
        #expect(try eventually(5) { try bed.committedKinds() == ["alone"] })
        #expect(bed.trail.deferred.count == 0)
        // Later events schedule a new flush.
        bed.trail.recordSoon(AuditEvent(kind: "later"))
        #expect(try eventually(5) { try bed.committedKinds() == ["alone", "later"] })
    }
}
