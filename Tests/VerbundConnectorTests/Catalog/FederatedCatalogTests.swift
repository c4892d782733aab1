import Foundation
import Testing
import VerbundTestSupport
import VerbundConnector
import VerbundDataspace

/// The federated catalog cache on its own: replace per member, full-text search, failures and dropped members.
@Suite("Federated catalog cache", .offCooperativePool)
struct FederatedCatalogTests {
    static func dataset(_ id: String, _ title: String, keywords: [String] = []) throws -> Dataset {
        try CatalogRendering.dataset(CatalogHarness.record(id, title: title, keywords: keywords),
                                     service: DataService(id: "s", endpointURL: "https://x.example/dsp"), inlineService: false)
    }

    @Test("a member's part is replaced as a whole, searched with FTS5, kept on failure and dropped when inactive")
    func cache() throws {
        let fixture = try FederationFixture(members: ["a"])
        let running = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { running.stop() }
        let cache = FederatedCatalog(database: running.context.database)
        let names: (String) -> String = { "Stadt \($0)" }
        try cache.replace(memberId: "jena", providerName: "Stadt Jena", participantId: "urn:verbund:t:jena",
                          datasets: [try Self.dataset("j1", "Parkhäuser", keywords: ["Verkehr"]), try Self.dataset("j2", "Schulen")],
                          at: Date())
        try cache.replace(memberId: "gera", providerName: "Stadt Gera", participantId: "urn:verbund:t:gera",
                          datasets: [try Self.dataset("g1", "Parkplätze")], at: Date())
        #expect(try cache.entries(names: names).map(\.id) == ["g1", "j1", "j2"])
        #expect(try cache.entries(search: "park", names: names).map(\.id) == ["g1", "j1"])
        #expect(try cache.entries(search: "verkehr", names: names).map(\.id) == ["j1"])
        #expect(try cache.entries(search: "jena", names: names).map(\.id) == ["j1", "j2"])
        #expect(try cache.entries(search: "\"OR*", names: names).isEmpty)
        #expect(try cache.entries(search: "park", member: "gera", names: names).map(\.providerName) == ["Stadt gera"])

        // A new crawl of jena replaces all of jena's rows, including the full-text index.
        try cache.replace(memberId: "jena", providerName: "Stadt Jena", participantId: "urn:verbund:t:jena",
                          datasets: [try Self.dataset("j3", "Wetter")], at: Date())
        #expect(try cache.entries(names: names).map(\.id) == ["g1", "j3"])
        #expect(try cache.entries(search: "schulen", names: names).isEmpty)

        try cache.recordFailure(memberId: "gera", error: "connection refused", at: Date())
        #expect(try cache.entries(member: "gera", names: names).count == 1)
        #expect(try cache.states().first { $0.member == "gera" }?.lastError == "connection refused")

        #expect(try cache.dropMembers(except: ["jena"]) == ["gera"])
        #expect(try cache.entries(names: names).map(\.id) == ["j3"])
        #expect(try cache.states().map(\.member) == ["jena"])
    }
}
