import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundStore

@Suite(.offCooperativePool) struct DatabaseTests {
    static let itemTable = Migration(version: 1, name: "items", sql: """
        CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, payload BLOB) STRICT;
        CREATE TABLE tag (item_id INTEGER NOT NULL REFERENCES item (id), label TEXT NOT NULL) STRICT;
        """)

    private func openItems(_ dir: TemporaryDirectory, _ name: String = "items.sqlite") throws -> Database {
        let db = try Database(path: dir.path(name))
        try db.migrate([Self.itemTable])
        return db
    }

    @Test func openMigrateReopen() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("state.sqlite")
        do {
            let db = try Database.openStore(path: path)
            #expect(try db.schemaVersion() == StoreSchema.currentVersion)
            #expect(StoreSchemaVersion.current == StoreSchema.currentVersion)
            try db.transaction { tx in
                try tx.execute("""
                    INSERT INTO outbox (id, destination, method, path, body, created_at_ms, next_attempt_at_ms)
                    VALUES ('m1', 'https://a.example', 'POST', '/x', x'00', 1, 1)
                    """)
            }
            db.close()
        }
        let reopened = try Database(path: path)
        let result = try reopened.migrate(StoreSchema.migrations)
        #expect(result == MigrationResult(from: StoreSchema.currentVersion, to: StoreSchema.currentVersion))
        let count = try reopened.read { tx in try tx.queryFirst("SELECT count(*) AS n FROM outbox")?.int("n") }
        #expect(count == 1)
    }

    @Test func connectionSettingsAreDurable() throws {
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        let settings = try db.read { tx in
            [try tx.queryFirst("PRAGMA journal_mode")?[0], try tx.queryFirst("PRAGMA synchronous")?[0],
             try tx.queryFirst("PRAGMA foreign_keys")?[0]]
        }
        #expect(settings == [.text("wal"), .integer(2), .integer(1)])  // synchronous 2 = FULL
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path("items.sqlite"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func migrationsApplyInOrderAndOnlyOnce() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("m.sqlite"))
        let first = try db.migrate([Self.itemTable])
        #expect(first == MigrationResult(from: 0, to: 1))
        let second = Migration(version: 2, name: "notes", sql: "CREATE TABLE note (text TEXT) STRICT;")
        #expect(try db.migrate([Self.itemTable, second]) == MigrationResult(from: 1, to: 2))
        #expect(try db.migrate([Self.itemTable, second]) == MigrationResult(from: 2, to: 2))
    }

    @Test func failingMigrationRollsBackWholeScript() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("m.sqlite"))
        try db.migrate([Self.itemTable])
        let broken = Migration(version: 2, name: "broken", sql: """
            CREATE TABLE half (x INTEGER);
            CREATE TABLE oops (x INTEGR PRIMARY KEY) STRICT;
            """)
        let error = #expect(throws: MigrationError.self) { try db.migrate([Self.itemTable, broken]) }
        guard case .failed(let version, _, let underlying)? = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(version == 2)
        #expect(underlying.sql?.contains("CREATE TABLE oops") == true)
        #expect(try db.schemaVersion() == 1)
        let half = try db.read { tx in try tx.queryFirst("SELECT name FROM sqlite_schema WHERE name = 'half'") }
        #expect(half == nil)
    }

    @Test func migrationListMustBeContiguous() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("m.sqlite"))
        let gap = Migration(version: 3, name: "gap", sql: "SELECT 1;")
        #expect(throws: MigrationError.self) { try db.migrate([Self.itemTable, gap]) }
        #expect(try db.schemaVersion() == 0)
    }

    @Test func newerDatabaseIsRefused() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("m.sqlite"))
        try db.migrate([Self.itemTable, Migration(version: 2, name: "two", sql: "SELECT 1;")])
        #expect(throws: MigrationError.databaseNewer(found: 2, supported: 1)) { try db.migrate([Self.itemTable]) }
    }

    @Test func rollbackOnThrowLeavesNothing() throws {
        struct Abort: Error {}
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        #expect(throws: Abort.self) {
            try db.transaction { tx in
                try tx.execute("INSERT INTO item (name) VALUES (?)", ["kept?"])
                try tx.execute("INSERT INTO tag (item_id, label) VALUES (?, ?)", [.integer(tx.lastInsertRowID), "x"])
                throw Abort()
            }
        }
        let counts = try db.read { tx in
            [try tx.queryFirst("SELECT count(*) AS n FROM item")?.int("n"),
             try tx.queryFirst("SELECT count(*) AS n FROM tag")?.int("n")]
        }
        #expect(counts == [0, 0])
        // The connection is usable again afterwards.
        try db.transaction { tx in try tx.execute("INSERT INTO item (name) VALUES ('after')") }
    }

    @Test func constraintViolationNamesTheSQL() throws {
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        try db.transaction { tx in try tx.execute("INSERT INTO item (name) VALUES ('a')") }
        let error = #expect(throws: SQLiteError.self) {
            try db.transaction { tx in try tx.execute("INSERT INTO item (name) VALUES (?)", ["a"]) }
        }
        #expect(error?.isConstraintViolation == true)
        #expect(error?.extendedResultCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(error?.sql == "INSERT INTO item (name) VALUES (?)")
        #expect(error?.message.contains("UNIQUE constraint failed: item.name") == true)
        #expect(error?.description.contains("INSERT INTO item") == true)
    }

    @Test func foreignKeysAreEnforced() throws {
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        let error = #expect(throws: SQLiteError.self) {
            try db.transaction { tx in try tx.execute("INSERT INTO tag (item_id, label) VALUES (99, 'orphan')") }
        }
        #expect(error?.extendedResultCode == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
    }

    @Test func badSQLIsRejectedWithContext() throws {
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        let syntax = #expect(throws: SQLiteError.self) { try db.read { tx in try tx.query("SELEKT 1") } }
        #expect(syntax?.sql == "SELEKT 1")
        #expect(syntax?.operation == "preparing a statement")
        let two = #expect(throws: SQLiteError.self) { try db.read { tx in try tx.query("SELECT 1; SELECT 2") } }
        #expect(two?.message.contains("more than one") == true)
        let count = #expect(throws: SQLiteError.self) { try db.read { tx in try tx.query("SELECT ?", [1, 2]) } }
        #expect(count?.message.contains("takes 1 parameters but 2") == true)
        // Double-quoted strings are identifiers only, so a typo is an error rather than a string constant.
        #expect(throws: SQLiteError.self) { try db.read { tx in try tx.query("SELECT \"nosuchcolumn\" FROM item") } }
    }

    @Test func readRefusesWrites() throws {
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        #expect(throws: SQLiteError.self) {
            try db.read { tx in try tx.execute("INSERT INTO item (name) VALUES ('no')") }
        }
        try db.transaction { tx in try tx.execute("INSERT INTO item (name) VALUES ('yes')") }
    }

    @Test func transactionCannotEscapeItsClosure() throws {
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        final class Box: @unchecked Sendable { var tx: Transaction? }
        let box = Box()
        try db.transaction { tx in box.tx = tx }
        let error = #expect(throws: SQLiteError.self) { try box.tx?.execute("INSERT INTO item (name) VALUES ('x')") }
        #expect(error?.resultCode == 21)  // SQLITE_MISUSE
        final class StatementBox: @unchecked Sendable { var statement: Statement? }
        let kept = StatementBox()
        try db.transaction { tx in kept.statement = try tx.prepare("INSERT INTO item (name) VALUES ('late')") }
        #expect(throws: SQLiteError.self) { try kept.statement?.run() }
        #expect(try db.read { tx in try tx.query("SELECT * FROM item").count } == 0)
        #expect(throws: SQLiteError.self) { try db.transaction { tx in try tx.execute("COMMIT") } }
    }

    @Test func nestedTransactionIsRefusedNotDeadlocked() throws {
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        let error = #expect(throws: SQLiteError.self) {
            try db.transaction { tx in
                try tx.execute("INSERT INTO item (name) VALUES ('outer')")
                return try db.read { inner in try inner.query("SELECT * FROM item").count }
            }
        }
        #expect(error?.message.contains("inside another transaction") == true)
        // The outer transaction rolled back and the database is usable.
        #expect(try db.read { tx in try tx.query("SELECT * FROM item").count } == 0)
    }

    @Test func closedDatabaseRefusesWork() throws {
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        db.close()
        #expect(throws: SQLiteError.self) { try db.read { _ in 1 } }
    }

    @Test func valuesRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("v.sqlite"))
        let values: [SQLiteValue] = [
            .null, .integer(.min), .integer(.max), .real(-0.25), .text(""), .text("Zürich\u{0}ß 🏙"),
            .blob([]), .blob([0, 1, 255]),
        ]
        let row = try db.read { tx in try tx.queryFirst("SELECT ?, ?, ?, ?, ?, ?, ?, ?", values) }
        #expect(row?.values == values)
    }

    @Test func rowAccessorsCheckTypes() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("v.sqlite"))
        let row = try #require(try db.read { tx in try tx.queryFirst("SELECT 1 AS n, 'x' AS s, NULL AS z") })
        #expect(try row.int64("n") == 1)
        #expect(try row.string("s") == "x")
        #expect(try row.optionalString("z") == nil)
        #expect(throws: SQLiteError.self) { try row.string("n") }
        #expect(throws: SQLiteError.self) { try row.int64("z") }
        #expect(throws: SQLiteError.self) { try row.int64("missing") }
    }

    @Test func statementStreamsRows() throws {
        let dir = try TemporaryDirectory()
        let db = try openItems(dir)
        let total = try db.transaction { tx in
            let insert = try tx.prepare("INSERT INTO item (name) VALUES (?)")
            for index in 0..<100 { try insert.run([.text("n\(index)")]) }
            let select = try tx.prepare("SELECT id FROM item ORDER BY id")
            try select.bind([])
            var sum: Int64 = 0
            while try select.step() { sum += select.value(at: 0).integerValue ?? 0 }
            return sum
        }
        #expect(total == 5050)
    }

    @Test func notADatabaseIsReported() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("junk.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: SQLiteError.self) { try Database(path: path) }
        #expect(error?.resultCode == 26)  // SQLITE_NOTADB
        #expect(error?.advice != nil)
    }

    @Test func missingDirectoryIsReported() throws {
        let dir = try TemporaryDirectory()
        let error = #expect(throws: SQLiteError.self) { try Database(path: dir.path("no/such/dir/x.sqlite")) }
        #expect(error?.description.contains("no/such/dir") == true)
    }
}
