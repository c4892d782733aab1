import Foundation
import Testing
import VerbundCLI
import VerbundDataspace
import VerbundStore
import VerbundTrust
@testable import VerbundConnector

/// Nothing lost: a provider (`verbund serve`) killed with SIGKILL in the middle of a negotiation and restarted finishes
/// it; both sides end with the same dual-signed contract.
@Suite struct NegotiationRestartTests {
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

        // The provider holds its decision open (written, not committed) until it is killed.
        try? FileManager.default.removeItem(atPath: portFile)
        let holding = try ServeDaemon(configurationFile: files.configurationFile, logFile: files.folder + "/serve-2.log",
                                      environment: ["VERBUND_TEST_NEGOTIATION_HOLD_MS": "30000"])
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
        try holding.waitForEvent("negotiation.request.holding")
        holding.killHard()
        #expect(holding.process.terminationReason == .uncaughtSignal)
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
