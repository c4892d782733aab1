import Foundation
import Synchronization
import Testing
import VerbundTestSupport
@testable import VerbundStore

/// Group commit (`Database`, `CommitGroup`): writers that meet at the writer lock share one commit, nobody returns
/// before the commit that holds its changes, readers never see a group before its commit, and a member that throws
/// takes back only its own changes.
@Suite(.offCooperativePool) struct CommitGroupTests {
    static let items = Migration(version: 1, name: "items", sql: "CREATE TABLE item (name TEXT PRIMARY KEY) STRICT;")

    static func names(_ db: Database) throws -> Set<String> {
        Set(try db.read { tx in try tx.query("SELECT name FROM item").map { try $0.string("name") } })
    }

    @Test func aWaitingWriterJoinsTheOpenGroupAndReadersSeeNeitherBeforeItsCommit() throws {
        let dir = try TemporaryDirectory()
        // A group that never gets too old: the test decides when B arrives, however slow the machine.
        var configuration = Database.Configuration()
        configuration.commitGroups = CommitGroup.Limits(maxMembers: 64, maxAge: .seconds(60))
        let db = try Database(path: dir.path("group.sqlite"), configuration: configuration)
        try db.migrate([Self.items])
        let commitsBefore = db.groupCommits
        let events = Mutex<[String]>([])
        let aInside = DispatchSemaphore(value: 0)
        let readDone = DispatchSemaphore(value: 0)
        let seenDuringGroup = Mutex<Set<String>?>(nil)

        let a = Thread {
            try? db.transaction { tx in
                try tx.execute("INSERT INTO item (name) VALUES ('a')")
                aInside.signal()
                // Stay in the closure until B waits for the writer lock: A then leaves the group open for B.
                while db.waitingWriterCount == 0 { usleep(1000) }
            }
            events.withLock { $0.append("a returned") }
        }
        a.start()
        aInside.wait()
        let b = Thread {
            try? db.transaction { tx in
                try tx.execute("INSERT INTO item (name) VALUES ('b')")
                // A's row is in the open group, not committed: a reader on another thread must not see it.
                Thread {
                    seenDuringGroup.withLock { $0 = try? Self.names(db) }
                    readDone.signal()
                }.start()
                readDone.wait()
            }
            events.withLock { $0.append("b returned") }
        }
        b.start()
        while events.withLock({ $0.count }) < 2 { usleep(1000) }

        #expect(seenDuringGroup.withLock { $0 } == [])
        #expect(try Self.names(db) == ["a", "b"])
        // One commit for both transactions, and A returned only after it (B committed, A was waiting for it).
        #expect(db.groupCommits - commitsBefore == 1)
        #expect(events.withLock { $0 }.count == 2)
    }

    @Test func aThrowingMemberTakesBackOnlyItsOwnChangesUnderContention() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("many.sqlite"))
        try db.migrate([Self.items])
        struct Refused: Error {}
        let threads = 8, perThread = 60
        let done = DispatchGroup()
        let leaked = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        // A reader running all the while never sees a row of a transaction that threw.
        let reader = Thread {
            while !stop.load(ordering: .relaxed) {
                if let seen = try? Self.names(db), seen.contains(where: { $0.hasSuffix("-x") }) {
                    leaked.add(1, ordering: .relaxed)
                }
            }
        }
        reader.start()
        for t in 0..<threads {
            done.enter()
            Thread {
                for i in 0..<perThread {
                    let fails = i % 5 == 0
                    _ = try? db.transaction { tx in
                        try tx.execute("INSERT INTO item (name) VALUES (?)", [.text("\(t)-\(i)" + (fails ? "-x" : ""))])
                        if fails { throw Refused() }
                    }
                }
                done.leave()
            }.start()
        }
        done.wait()
        stop.store(true, ordering: .relaxed)
        let names = try Self.names(db)
        #expect(names.count == threads * perThread * 4 / 5)
        #expect(!names.contains { $0.hasSuffix("-x") })
        #expect(leaked.load(ordering: .relaxed) == 0)
        // Closing and reopening keeps exactly what was acknowledged.
        db.close()
        let reopened = try Database(path: dir.path("many.sqlite"))
        #expect(try Self.names(reopened) == names)
    }

    @Test func limitsCommitWhenNobodyWaitsOrTheGroupIsFullOrOld() {
        let limits = CommitGroup.Limits(maxMembers: 4, maxAge: .milliseconds(5))
        let start = ContinuousClock.now
        #expect(limits.commitsNow(members: 1, opened: start, now: start, waiting: 0))
        #expect(!limits.commitsNow(members: 1, opened: start, now: start, waiting: 2))
        #expect(limits.commitsNow(members: 4, opened: start, now: start, waiting: 2))
        #expect(limits.commitsNow(members: 2, opened: start, now: start + .milliseconds(5), waiting: 2))
    }
}
