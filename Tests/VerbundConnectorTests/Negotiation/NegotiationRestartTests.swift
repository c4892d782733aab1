import Foundation
import Testing
import VerbundTestSupport
import VerbundCLI
import VerbundDataspace
import VerbundStore
import VerbundTrust
@testable import VerbundConnector

/// Nothing lost: a provider (`verbund serve`) killed with SIGKILL in the middle of a negotiation and restarted finishes
/// it; both sides end with the same dual-signed contract.
@Suite(.offCooperativePool) struct NegotiationRestartTests {
    @Test func providerKilledMidNegotiationFinishesAfterRestart() throws {
        let federation = try FederationFixture(members: ["a", "b"])
        let files = federation.members["a"]!
        let dataDirectory = files.folder + "/data"
        let portFile = dataDirectory + "/" + Connector.managementPortFileName

        // First start creates the database; then the catalog gets an offer.
        let first = try ServeDaemon(configurationFile: files.configurationFile, logFile: files.folder + "/serve-1.log")
        try first.waitForEvent("connector.started")
        first.stop()
        let offer = Offer(id: "urn:uuid:offer-restart", permission: [Rule(action: "use")])
        try CatalogSeed.publish(DatasetRecord(id: "urn:dataset:restart", title: "Restart", offers: [offer]),
                                databasePath: dataDirectory + "/" + Connector.databaseFileName)

        // The provider is held inside its decision (written, not committed) by a trigger this test puts into its
        // database: production code has no hook for it. The trigger's query runs for minutes inside the transaction.
        let databasePath = dataDirectory + "/" + Connector.databaseFileName
        try CrashHold.install(databasePath: databasePath)
        try? FileManager.default.removeItem(atPath: portFile)
        let holding = try ServeDaemon(configurationFile: files.configurationFile, logFile: files.folder + "/serve-2.log")
        try holding.waitForEvent("connector.started")
        let wire = WireRecorder()
        let dataset = Dataset(id: "urn:dataset:restart", hasPolicy: [offer],
                              distribution: [Distribution(format: "HttpData-PULL", accessService: .reference("urn:uuid:service"))])
        let b = try NegotiationTestbed.retryingBind {
            try federation.start("b", modules: [NegotiationModule(offers: RegisteredOffers(),
                                                                  datasets: StaticDatasets(datasets: [dataset.id: dataset]),
                                                                  tap: wire.tap("b"))])
        }
        defer { b.stop() }
        let bed = try NegotiationTestbed(members: [])
        let started = try bed.negotiate(b, peer: "a", dataset: "urn:dataset:restart", purpose: "Test")
        try CrashHold.waitUntilHeld(databasePath: databasePath)
        holding.killHard()
        #expect(holding.process.terminationReason == .uncaughtSignal)
        // Nothing of the uncommitted decision survived; the hold goes before the restart.
        #expect(try CrashHold.remove(databasePath: databasePath) == 0)
        // The consumer's attempt failed with the connection, so its request is queued again and it is back in INITIAL.
        #expect(b.log.waitFor("outbox.retry", timeout: 10) != nil)
        let during = try #require(try bed.report(b, started.id))
        #expect(during.state == "INITIAL" && during.awaiting == "ContractRequestMessage")

        // Restarted, the provider gets the request again from the consumer's outbox and finishes the negotiation.
        try? FileManager.default.removeItem(atPath: portFile)
        let restarted = try ServeDaemon(configurationFile: files.configurationFile, logFile: files.folder + "/serve-3.log")
        defer { restarted.stop() }
        try restarted.waitForEvent("connector.started")
        let consumer = try bed.waitUntilFinished(b, started.id, timeout: 30)
        #expect(consumer.state == "FINALIZED" && consumer.signing == "dual")
        let agreementId = try #require(consumer.agreementId)
        let providerPid = try #require(consumer.providerPid)

        let client = try ManagementClient(configurationFile: files.configurationFile)
        let deadline = Date().addingTimeInterval(15)
        var provider = try client.get("/api/negotiations/" + providerPid, as: NegotiationReport.self)
        while provider.state != "FINALIZED", Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            provider = try client.get("/api/negotiations/" + providerPid, as: NegotiationReport.self)
        }
        #expect(provider.state == "FINALIZED" && provider.agreementId == agreementId && provider.purpose == "Test")
        // The killed attempt left nothing behind: one negotiation at the provider.
        let all = try client.get("/api/negotiations", as: [String: [NegotiationReport]].self)["negotiations"] ?? []
        #expect(all.count == 1)

        // Both stored contracts verify (ours and joserfc) and are the same.
        let root = try #require(try Certificate.all(pemFile: federation.adminFolder.rootCertificate).first)
        let fromProvider = String(decoding: try client.send(.get, "/api/contracts/\(agreementId)/export").body, as: UTF8.self)
        let fromConsumer = String(decoding: try b.management("/api/contracts/\(agreementId)/export").body, as: UTF8.self)
        #expect(fromProvider == fromConsumer)
        let contract = try client.get("/api/contracts/" + agreementId, as: ContractReport.self)
        #expect(try ContractVerifier.verifyOurs(fromProvider, root: root, agreement: contract.agreement).count == 2)
        if let python = try ContractVerifier.verifyWithJoserfc(fromConsumer) {
            #expect(python.status == 0 && python.output.contains("verified 2"), "joserfc: \(python.output)")
        }
        let problems = try DSPValidation.failures(wire.bodies.map(\.body))
        #expect(problems.isEmpty, "\(problems)")
    }
}

/// The crash test's seam, outside the production code: a SQLite trigger on the provider's `negotiation` table whose
/// query keeps the inserting transaction open (and the database's write lock held) for minutes, so the daemon can be
/// killed with its decision written but not committed.
enum CrashHold {
    static func install(databasePath: String) throws {
        let database = try Database(path: databasePath)
        defer { database.close() }
        try database.transaction { tx in
            try tx.executeScript("""
                CREATE TRIGGER crash_test_hold AFTER INSERT ON negotiation BEGIN
                    SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c LIMIT 100000000000);
                END;
                """)
        }
    }

    /// Waits (bounded) until another process has held the write lock for 300 ms without a break: the daemon's own
    /// writes take milliseconds, so only the held decision does that.
    static func waitUntilHeld(databasePath: String, timeout: Double = 15) throws {
        let probe = try Database(path: databasePath, configuration: .init(busyTimeout: .zero))
        defer { probe.close() }
        let deadline = Date().addingTimeInterval(timeout)
        var heldSince: Date?
        while Date() < deadline {
            let held = (try? probe.transaction { _ in }) == nil
            if held {
                let since = heldSince ?? Date()
                heldSince = since
                if Date().timeIntervalSince(since) >= 0.3 { return }
            } else {
                heldSince = nil
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw FixtureError("the provider never held its decision open within \(timeout) s")
    }

    /// Drops the trigger of a stopped daemon's database; returns how many negotiations the database holds.
    static func remove(databasePath: String) throws -> Int {
        let database = try Database(path: databasePath)
        defer { database.close() }
        return try database.transaction { tx in
            try tx.executeScript("DROP TRIGGER crash_test_hold;")
            return try tx.queryFirst("SELECT COUNT(*) AS n FROM negotiation")?.int("n") ?? -1
        }
    }
}
