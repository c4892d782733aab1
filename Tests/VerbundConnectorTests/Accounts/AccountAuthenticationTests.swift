import Foundation
import Testing
import VerbundTestSupport
import VerbundStore
import VerbundTrust
@testable import VerbundConnector

/// How a management request proves who it is (issue 12), as values: the two wire forms, the bounded memory of
/// verified secrets, and that an unknown account costs what a wrong secret costs.
@Suite(.offCooperativePool) struct AccountAuthenticationTests {
    private func store(_ folder: TemporaryFolder, iterations: Int = 1000) throws -> AccountStore {
        let db = try Database(path: folder.file("state.sqlite"))
        _ = try ConnectorSchema.migrate(db, modules: [CoreModule()], now: Date())
        return AccountStore(database: db, iterations: iterations)
    }

    @Test func credentialsParse() {
        #expect(ManagementCredential.parse(nil) == .none)
        #expect(ManagementCredential.parse("Bearer abc") == .bearer("abc"))
        #expect(ManagementCredential.parse("bearer  abc") == .bearer("abc"))
        let basic = "Basic " + Data("pruefer:ge:heim".utf8).base64EncodedString()
        // The first colon separates: account names hold none, secrets may.
        #expect(ManagementCredential.parse(basic) == .account(name: "pruefer", secret: "ge:heim"))
        #expect(ManagementCredential.parse("BASIC " + Data(":".utf8).base64EncodedString()) == .account(name: "", secret: ""))
        for hostile in ["Bearer", "Basic", "Basic ***", "Basic " + Data("kein-doppelpunkt".utf8).base64EncodedString(),
                        "Basic " + Data([0xff, 0x3a, 0xfe]).base64EncodedString(), "Token abc",
                        "Bearer " + String(repeating: "a", count: ManagementCredential.maxFieldBytes)] {
            guard case .malformed = ManagementCredential.parse(hostile) else {
                Issue.record("'\(hostile.prefix(40))' parsed as a credential")
                continue
            }
        }
    }

    @Test func verifiedSecretsAreBoundedInSizeAndAge() {
        var memory = VerifiedSecrets(capacity: 3, lifetime: .seconds(60))
        let t0 = ContinuousClock.now
        for index in 0..<5 {
            memory.insert([UInt8(index)], .init(name: "k\(index)", storedHash: "h", verifiedAt: t0 + .seconds(index)))
        }
        #expect(memory.count == 3)
        // The oldest went first.
        #expect(memory.lookup([0], now: t0 + .seconds(5)) == nil)
        #expect(memory.lookup([1], now: t0 + .seconds(5)) == nil)
        #expect(memory.lookup([4], now: t0 + .seconds(5))?.name == "k4")
        // Too old: forgotten on lookup.
        #expect(memory.lookup([2], now: t0 + .seconds(62)) == nil)
        #expect(memory.count == 2)
        #expect(memory.lookup([4], now: t0 + .seconds(63))?.name == "k4")
        memory.forget([4])
        #expect(memory.lookup([4], now: t0 + .seconds(63)) == nil)
    }

    @Test func aVerifiedSecretIsRememberedUntilTheAccountChanges() throws {
        let folder = TemporaryFolder()
        let accounts = try store(folder)
        let token = ManagementToken(value: String(repeating: "c", count: 64))
        let authentication = ManagementAuthentication(token: token, accounts: accounts)
        _ = try accounts.add("stewardin", role: .steward, secret: "das-geheimnis-1", now: Date())
        let field = "Basic " + Data("stewardin:das-geheimnis-1".utf8).base64EncodedString()
        let steward = ManagementCaller(name: "stewardin", role: .steward, credential: .account)
        #expect(authentication.authenticate(field) == .authenticated(steward))
        #expect(authentication.rememberedSecrets == 1)
        #expect(authentication.authenticate(field) == .authenticated(steward))
        // Wrong secrets and unknown accounts are not remembered.
        #expect(authentication.authenticate("Basic " + Data("stewardin:falsch-falsch".utf8).base64EncodedString()) == .wrongAccount)
        #expect(authentication.authenticate("Basic " + Data("niemand:das-geheimnis-1".utf8).base64EncodedString()) == .wrongAccount)
        #expect(authentication.rememberedSecrets == 1)
        // A role change shows on the next request.
        try accounts.database.transaction { tx in _ = try tx.execute("UPDATE connector_account SET role = 'viewer'") }
        #expect(authentication.authenticate(field) == .authenticated(ManagementCaller(name: "stewardin", role: .viewer, credential: .account)))
        // A reset makes the remembered secret worthless at once.
        try accounts.reset("stewardin", secret: "das-geheimnis-2", now: Date())
        #expect(authentication.authenticate(field) == .wrongAccount)
        // The token file and its errors.
        #expect(authentication.authenticate("Bearer " + token.value) == .authenticated(.tokenFile))
        #expect(authentication.authenticate("Bearer " + String(repeating: "d", count: 64)) == .wrongToken)
        #expect(authentication.authenticate(nil) == .missing)
        // The token file's name is no account name anyone can take.
        #expect(throws: AccountError.self) { try accounts.add(ManagementToken.fileName, role: .viewer, secret: "lang-genug-geheim", now: Date()) }
    }

    /// With the default 600 000 iterations, the first request pays PBKDF2 and the next hundred together cost less.
    @Test func aRememberedSecretSkipsPBKDF2() throws {
        let folder = TemporaryFolder()
        let accounts = try store(folder, iterations: SecretHash.defaultIterations)
        _ = try accounts.add("betrieb", role: .operator, secret: "ein-langes-geheimnis", now: Date())
        let authentication = ManagementAuthentication(token: ManagementToken(value: String(repeating: "e", count: 64)),
                                                      accounts: accounts)
        let field = "Basic " + Data("betrieb:ein-langes-geheimnis".utf8).base64EncodedString()
        let clock = ContinuousClock()
        var outcomes: [ManagementAuthentication.Outcome] = []
        let first = clock.measure { outcomes.append(authentication.authenticate(field)) }
        let next = clock.measure { for _ in 0..<100 { outcomes.append(authentication.authenticate(field)) } }
        #expect(outcomes.count == 101)
        #expect(outcomes.allSatisfy { $0 == .authenticated(ManagementCaller(name: "betrieb", role: .operator, credential: .account)) })
        #expect(next < first, "100 remembered checks took \(next), the first one with PBKDF2 \(first)")
    }

    /// An unknown account costs a full PBKDF2 like a wrong secret, so response times do not tell which names exist.
    @Test func anUnknownAccountTakesAsLongAsAWrongSecret() throws {
        let folder = TemporaryFolder()
        let iterations = 200_000
        let accounts = try store(folder, iterations: iterations)
        _ = try accounts.add("vorhanden", role: .viewer, secret: "das-richtige-geheimnis", now: Date())
        let clock = ContinuousClock()
        // The fastest of three derivations; an early answer for unknown names would take microseconds, far below a fifth.
        let derive = (0..<3).map { _ in
            clock.measure {
                _ = try? SecretHash.derive(secret: Array("x".utf8), salt: [UInt8](repeating: 1, count: 16), iterations: iterations, length: 32)
            }
        }.min()!
        var wrong = Duration.zero
        var unknown = Duration.zero
        for _ in 0..<3 {
            var answers: [Account?] = []
            wrong += try clock.measure { answers.append(try accounts.authenticate("vorhanden", secret: "ein-falsches-geheimnis")) }
            unknown += try clock.measure { answers.append(try accounts.authenticate("unbekannt", secret: "ein-falsches-geheimnis")) }
            #expect(answers == [nil, nil])
        }
        #expect(wrong / 3 > derive / 5, "a wrong secret took \(wrong / 3), one PBKDF2 \(derive)")
        #expect(unknown / 3 > derive / 5, "an unknown account took \(unknown / 3), one PBKDF2 \(derive)")
        let ratio = Double(unknown.components.attoseconds / 1_000_000 + unknown.components.seconds * 1_000_000_000_000)
            / Double(wrong.components.attoseconds / 1_000_000 + wrong.components.seconds * 1_000_000_000_000)
        #expect(ratio > 0.33 && ratio < 3, "unknown/wrong = \(ratio)")
    }
}
