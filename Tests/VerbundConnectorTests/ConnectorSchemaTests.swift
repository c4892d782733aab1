import Foundation
import Testing
import VerbundTestSupport
import VerbundStore
@testable import VerbundConnector

private struct TestModule: ConnectorModule {
    var name: String
    var migrationVersions: ClosedRange<Int>
    var migrations: [Migration]
}

@Suite(.offCooperativePool) struct ConnectorSchemaTests {
    private func database(_ folder: TemporaryFolder) throws -> Database {
        try Database(path: folder.file("state.sqlite"))
    }

    @Test func modulesMigrateAcrossGapsAndOnlyOnce() throws {
        let folder = TemporaryFolder()
        let db = try database(folder)
        let catalog = TestModule(name: "catalog", migrationVersions: 10...19, migrations: [
            Migration(version: 10, name: "datasets", sql: "CREATE TABLE t_dataset (id TEXT PRIMARY KEY) STRICT;"),
        ])
        let modules: [any ConnectorModule] = [CoreModule(), catalog]
        let first = try ConnectorSchema.migrate(db, modules: modules, now: Date())
        #expect(first.contains(2) && first.contains(10))
        #expect(try ConnectorSchema.migrate(db, modules: modules, now: Date()).isEmpty)
        // A module adds a version later, below one already applied by another module: it is applied too.
        let negotiation = TestModule(name: "negotiation", migrationVersions: 20...29, migrations: [
            Migration(version: 20, name: "negotiations", sql: "CREATE TABLE t_negotiation (id TEXT PRIMARY KEY) STRICT;"),
        ])
        let catalog2 = TestModule(name: "catalog", migrationVersions: 10...19, migrations: catalog.migrations + [
            Migration(version: 11, name: "themes", sql: "ALTER TABLE t_dataset ADD COLUMN theme TEXT;"),
        ])
        #expect(try ConnectorSchema.migrate(db, modules: [CoreModule(), catalog, negotiation], now: Date()) == [20])
        #expect(try ConnectorSchema.migrate(db, modules: [CoreModule(), catalog2, negotiation], now: Date()) == [11])
        let versions = try db.read { tx -> [Int] in
            _ = try tx.query("SELECT theme FROM t_dataset")  // the column exists
            return try tx.query("SELECT version FROM connector_migration ORDER BY version").map { try $0.int("version") }
        }
        #expect(versions == [2, 3, 10, 11, 20])  // core 3: accounts (issue 12)
    }

    @Test func refusesMigrationsOutsideTheModuleRange() throws {
        let folder = TemporaryFolder()
        let db = try database(folder)
        let rogue = TestModule(name: "rogue", migrationVersions: 10...19, migrations: [
            Migration(version: 20, name: "x", sql: "CREATE TABLE x (a INTEGER);"),
        ])
        #expect(throws: ConnectorSchema.SchemaError.self) { try ConnectorSchema.migrate(db, modules: [rogue], now: Date()) }
        let twice = [
            TestModule(name: "a", migrationVersions: 10...19, migrations: [Migration(version: 12, name: "x", sql: "SELECT 1;")]),
            TestModule(name: "b", migrationVersions: 10...19, migrations: [Migration(version: 12, name: "y", sql: "SELECT 1;")]),
        ]
        #expect(throws: ConnectorSchema.SchemaError.self) { try ConnectorSchema.migrate(db, modules: twice, now: Date()) }
        let descending = TestModule(name: "c", migrationVersions: 10...19, migrations: [
            Migration(version: 12, name: "x", sql: "SELECT 1;"), Migration(version: 11, name: "y", sql: "SELECT 1;"),
        ])
        #expect(throws: ConnectorSchema.SchemaError.self) { try ConnectorSchema.migrate(db, modules: [descending], now: Date()) }
    }

    @Test func refusesADatabaseWithUnknownMigrations() throws {
        let folder = TemporaryFolder()
        let db = try database(folder)
        let extra = TestModule(name: "extra", migrationVersions: 40...49, migrations: [
            Migration(version: 40, name: "sth", sql: "CREATE TABLE t_sth (a INTEGER) STRICT;"),
        ])
        try ConnectorSchema.migrate(db, modules: [CoreModule(), extra], now: Date())
        #expect(throws: ConnectorSchema.SchemaError.self) { try ConnectorSchema.migrate(db, modules: [CoreModule()], now: Date()) }
    }

    @Test func aFailingMigrationIsRolledBackWhole() throws {
        let folder = TemporaryFolder()
        let db = try database(folder)
        let broken = TestModule(name: "broken", migrationVersions: 30...39, migrations: [
            Migration(version: 30, name: "half", sql: "CREATE TABLE t_half (a INTEGER) STRICT; CREATE TABLE nonsense syntax;"),
        ])
        #expect(throws: MigrationError.self) { try ConnectorSchema.migrate(db, modules: [CoreModule(), broken], now: Date()) }
        let leftovers = try db.read { tx -> Int in
            try tx.query("SELECT name FROM sqlite_master WHERE name = 't_half'").count
                + tx.query("SELECT 1 FROM connector_migration WHERE version = 30").count
        }
        #expect(leftovers == 0)
    }
}

@Suite(.offCooperativePool) struct ConnectorContextTests {
    @Test func aContextWithoutListenersRecordsAuditEventsInTheCallersTransaction() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let fixed = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let context = try federation.context("a", clock: { fixed })
        #expect(context.peers.peers.map(\.id) == ["b"])
        #expect(context.peers.member(participantId: "urn:verbund:testfed:b")?.id == "b")
        #expect(context.peers.member(endpoint: federation.members["b"]!.endpoint)?.id == "b")
        #expect(context.dspBasePath == "/dsp")
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try context.database.transaction { tx in
                try context.audit.record(AuditEvent(kind: "test.rolled-back"), in: tx)
                throw Abort()
            }
        }
        #expect(try context.audit.size() == 0)
        let entry = try context.audit.record(AuditEvent(kind: "test.kept", fields: ["peer": "b", "count": 2]))
        #expect(entry.index == 0)
        let text = String(decoding: entry.canonicalJSON, as: UTF8.self)
        let millis = Int64(fixed.timeIntervalSince1970 * 1000)
        #expect(text == #"{"at":\#(millis),"fields":{"count":2,"peer":"b"},"kind":"test.kept"}"#)
    }
}
