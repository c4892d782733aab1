import Dispatch
import Foundation
import Glibc
import Synchronization
import Testing
import VerbundTestSupport
@testable import VerbundStore

/// Concurrency and crash behaviour: what docs/design.md §5 "Nothing is lost" rests on.
@Suite(.offCooperativePool) struct DurabilityTests {
    private func makeItems(_ path: String) throws -> Database {
        let db = try Database(path: path)
        try db.migrate([DatabaseTests.itemTable])
        try db.transaction { tx in try tx.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER NOT NULL) STRICT") }
        return db
    }

    private func count(_ db: Database, _ pattern: String) throws -> Int {
        try db.read { tx in
            try tx.queryFirst("SELECT count(*) AS n FROM item WHERE name LIKE ?", [.text(pattern)])?.int("n") ?? -1
        }
    }

    @Test func concurrentTransactionsFromManyThreadsAndTwoConnections() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("c.sqlite")
        let first = try makeItems(path)
        try first.transaction { tx in try tx.execute("INSERT INTO counter (n) VALUES (0)") }
        // A second connection to the same file stands in for another process; the busy timeout
        // makes its BEGIN IMMEDIATE wait instead of failing.
        let second = try Database(path: path)
        let threads = 8
        let increments = 40
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let db = thread.isMultiple(of: 2) ? first : second
            for step in 0..<increments {
                do {
                    try db.transaction { tx in
                        let n = try tx.queryFirst("SELECT n FROM counter")?.int64("n") ?? -1
                        try tx.execute("UPDATE counter SET n = ?", [.integer(n + 1)])
                        try tx.execute("INSERT INTO item (name) VALUES (?)", [.text("t\(thread)-\(step)")])
                    }
                    _ = try db.read { tx in try tx.query("SELECT count(*) FROM item") }
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        #expect(failures.all.isEmpty)
        let n = try first.read { tx in try tx.queryFirst("SELECT n FROM counter")?.int64("n") }
        #expect(n == Int64(threads * increments))
        #expect(try count(second, "t%") == threads * increments)
    }

    @Test func crashImageHoldsCommittedAndNotUncommittedWork() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("live.sqlite")
        let db = try makeItems(path)
        for index in 0..<20 {
            try db.transaction { tx in try tx.execute("INSERT INTO item (name) VALUES (?)", [.text("committed-\(index)")]) }
        }
        let image = try TemporaryDirectory()
        try db.transaction { tx in
            // A tiny page cache makes SQLite spill uncommitted pages into the WAL file, the hard case.
            try tx.execute("PRAGMA cache_size = 5")
            for index in 0..<2000 {
                try tx.execute("INSERT INTO item (name, payload) VALUES (?, zeroblob(200))", [.text("pending-\(index)")])
            }
            // Copying the files now is what a power cut or kill -9 would leave on disk.
            for suffix in ["", "-wal"] {
                try FileManager.default.copyItem(atPath: path + suffix, toPath: image.path("crashed.sqlite" + suffix))
            }
        }
        let recovered = try Database(path: image.path("crashed.sqlite"))
        #expect(try count(recovered, "committed-%") == 20)
        #expect(try count(recovered, "pending-%") == 0)
        try recovered.transaction { tx in try tx.execute("INSERT INTO item (name) VALUES ('after-recovery')") }
        #expect(try count(db, "pending-%") == 2000)  // the live database committed it afterwards
    }

    @Test func killedWriterLosesOnlyUncommittedWork() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("killed.sqlite")
        try makeItems(path).close()
        // A separate process writes with the same settings, then dies by SIGKILL mid-transaction.
        let script = """
            import sqlite3, sys, time
            con = sqlite3.connect(sys.argv[1], isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=FULL"); con.execute("PRAGMA cache_size=5")
            for i in range(30):
                con.execute("BEGIN IMMEDIATE"); con.execute("INSERT INTO item (name) VALUES (?)", ("committed-%d" % i,)); con.execute("COMMIT")
            con.execute("BEGIN IMMEDIATE")
            for i in range(3000):
                con.execute("INSERT INTO item (name, payload) VALUES (?, zeroblob(200))", ("pending-%d" % i,))
            print("ready", flush=True)
            time.sleep(60)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("ready") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(String(decoding: seen, as: UTF8.self).contains("ready"))
        #expect(process.terminationReason == .uncaughtSignal)

        let db = try Database(path: path)
        #expect(try count(db, "committed-%") == 30)
        #expect(try count(db, "pending-%") == 0)
        let integrity = try db.read { tx in try tx.queryFirst("PRAGMA integrity_check")?[0] }
        #expect(integrity == .text("ok"))
    }
}

/// Collects errors from worker threads.
final class Failures: Sendable {
    private let messages = Mutex<[String]>([])
    func add(_ message: String) { messages.withLock { $0.append(message) } }
    var all: [String] { messages.withLock { $0 } }
}

