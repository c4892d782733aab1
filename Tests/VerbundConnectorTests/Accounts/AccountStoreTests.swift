import Foundation
import Testing
import VerbundTestSupport
import VerbundStore
import VerbundTrust
@testable import VerbundConnector

/// Accounts in the state database (core migration 3): hashed secrets, unique names, hostile names refused.
@Suite(.offCooperativePool) struct AccountStoreTests {
    private func store(_ folder: TemporaryFolder) throws -> AccountStore {
        let db = try Database(path: folder.file("state.sqlite"))
        _ = try ConnectorSchema.migrate(db, modules: [CoreModule()], now: Date())
        return AccountStore(database: db, iterations: 1000)
    }

    @Test func addListAuthenticateResetRemove() throws {
        let folder = TemporaryFolder()
        let accounts = try store(folder)
        let secret = try AccountStore.generateSecret()
        #expect(secret.utf8.count == 48)
        #expect(try accounts.add("kaemmerei.meier", role: .steward, secret: secret, now: Date()) == Account(name: "kaemmerei.meier", role: .steward))
        _ = try accounts.add("pruefer", role: .auditor, secret: "noch-ein-geheimnis", now: Date())
        #expect(try accounts.list() == [Account(name: "kaemmerei.meier", role: .steward), Account(name: "pruefer", role: .auditor)])
        #expect(try accounts.authenticate("kaemmerei.meier", secret: secret) == Account(name: "kaemmerei.meier", role: .steward))
        #expect(try accounts.authenticate("kaemmerei.meier", secret: secret + "x") == nil)
        #expect(try accounts.authenticate("niemand", secret: secret) == nil)
        // The secret is nowhere in the database, only its PBKDF2 hash.
        let stored = try accounts.database.read { tx in try tx.query("SELECT secret_hash FROM connector_account").map { try $0.string("secret_hash") } }
        #expect(stored.allSatisfy { $0.hasPrefix("pbkdf2-sha256$1000$") && !$0.contains(secret) })
        #expect(throws: AccountError.self) { try accounts.add("pruefer", role: .viewer, secret: "anderes-geheimnis", now: Date()) }

        try accounts.reset("kaemmerei.meier", secret: "ein-neues-geheimnis", now: Date())
        #expect(try accounts.authenticate("kaemmerei.meier", secret: secret) == nil)
        #expect(try accounts.authenticate("kaemmerei.meier", secret: "ein-neues-geheimnis")?.role == .steward)
        try accounts.remove("kaemmerei.meier")
        #expect(try accounts.authenticate("kaemmerei.meier", secret: "ein-neues-geheimnis") == nil)
        #expect(throws: AccountError.self) { try accounts.remove("kaemmerei.meier") }
        #expect(throws: AccountError.self) { try accounts.reset("niemand", secret: "ein-neues-geheimnis", now: Date()) }
    }

    @Test func hostileNamesAndSecretsAreRefused() throws {
        let folder = TemporaryFolder()
        let accounts = try store(folder)
        for name in ["", "Gross", "a b", "a/b", "a\nb", "ä", String(repeating: "a", count: 65), "x'; DROP TABLE connector_account;--"] {
            #expect(throws: AccountError.self, "\(name)") { try accounts.add(name, role: .viewer, secret: "lang-genuges-geheimnis", now: Date()) }
            #expect(try accounts.authenticate(name, secret: "lang-genuges-geheimnis") == nil)
        }
        #expect(throws: AccountError.self) { try accounts.add("kurz", role: .viewer, secret: "zu-kurz", now: Date()) }
        #expect(throws: AccountError.self) { try accounts.add("lang", role: .viewer, secret: String(repeating: "x", count: 1025), now: Date()) }
        #expect(try accounts.list().isEmpty)
        // A tampered hash never authenticates.
        _ = try accounts.add("viewer", role: .viewer, secret: "lang-genuges-geheimnis", now: Date())
        try accounts.database.transaction { tx in _ = try tx.execute("UPDATE connector_account SET secret_hash = 'pbkdf2-sha256$99999999$00$00'") }
        #expect(try accounts.authenticate("viewer", secret: "lang-genuges-geheimnis") == nil)
    }
}
