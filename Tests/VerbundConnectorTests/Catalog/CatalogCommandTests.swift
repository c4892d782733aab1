import Foundation
import Testing
import VerbundTestSupport
@testable import VerbundCLI
import VerbundConnector
import VerbundDataspace

/// `verbund datasets …` and `verbund catalog` end to end against running connectors (in-process, real listeners).
@Suite("Catalog commands", .offCooperativePool)
struct CatalogCommandTests {
    @Test("publish, list, browse a peer, search the federated catalog, remove; refusals exit 1, wrong usage 2")
    func endToEnd() throws {
        let fixture = try FederationFixture(members: ["a", "b", "c"])
        let a = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { a.stop() }
        let b = try fixture.start("b", modules: [CatalogModule(crawls: false)])
        defer { b.stop() }
        let c = try fixture.start("c", modules: [CatalogModule(crawls: false)])
        defer { c.stop() }
        let config = { (id: String) in fixture.members[id]!.configurationFile }
        let folder = TemporaryFolder("verbund-catalog-cli")
        let data = try CatalogHarness.dataFile(folder, "parken.csv", "haus;frei\nMitte;12\n")
        let policy = try CatalogHarness.dataFile(folder, "policy.json", """
            {"permission":[{"action":"use","constraint":[{"leftOperand":"count","operator":"lteq","rightOperand":5}]}]}
            """)
        let bad = try CatalogHarness.dataFile(folder, "bad.json", """
            {"permission":[{"action":"use","constraint":[{"leftOperand":"spatial","operator":"eq","rightOperand":"DE"}]}]}
            """)

        func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
            let console = CapturedConsole()
            let status = VerbundCommandLine.main(arguments, console: console)
            return (status, console.standardOutput, console.standardError)
        }

        let published = run(["datasets", "publish", "--config", config("a"), "--file", data, "--title", "Parkhäuser", "--description", "Testdaten",
                             "--keyword", "Verkehr", "--keyword", "Parken", "--id", "parken", "--policy", policy,
                             "--license", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"])
        #expect(published.status == 0, "\(published.err)")
        #expect(published.out.contains("published parken: Parkhäuser"))
        #expect(published.out.contains("offer    use; at most 5 transfers"))
        #expect(run(["datasets", "publish", "--config", config("b"), "--file", data, "--title", "Kitaplätze", "--description", "Testdaten"]).status == 0)

        let refused = run(["datasets", "publish", "--config", config("a"), "--file", data, "--title", "X", "--description", "Testdaten", "--policy", bad])
        #expect(refused.status == 1)
        #expect(refused.err.contains("\"spatial\""))
        let missing = run(["datasets", "publish", "--config", config("a"), "--file", folder.file("fehlt.csv"), "--title", "X", "--description", "Testdaten"])
        #expect(missing.status == 1)
        #expect(missing.err.contains("no such file"))
        let duplicate = run(["datasets", "publish", "--config", config("a"), "--file", data, "--title", "X", "--description", "Testdaten", "--id", "parken"])
        #expect(duplicate.status == 1)
        #expect(duplicate.err.contains("already published"))
        #expect(run(["datasets", "publish", "--config", config("a"), "--file", data]).status == 2)
        #expect(run(["datasets", "publish", "--config", config("a"), "--file", data, "--title", "X", "--description", "Testdaten", "--policy", folder.file("none.json")]).status == 1)

        let listed = run(["datasets", "list", "--config", config("a"), "--json"])
        #expect(listed.status == 0)
        let summaries = try ManagementJSON.decoder().decode([PublishedDatasetSummary].self, from: Data(listed.out.utf8))
        #expect(summaries.map(\.id) == ["parken"])
        #expect(run(["datasets", "list", "--config", config("a")]).out.contains("parken  Parkhäuser"))

        let peer = run(["catalog", "--peer", "a", "--config", config("b")])
        #expect(peer.status == 0, "\(peer.err)")
        #expect(peer.out.contains("Stadt a (a)  Parkhäuser"))
        #expect(peer.out.contains("use; at most 5 transfers"))

        let federated = run(["catalog", "--all", "--crawl", "--search", "park", "--config", config("c"), "--json"])
        #expect(federated.status == 0, "\(federated.err)")
        let listing = try ManagementJSON.decoder().decode(CatalogListing.self, from: Data(federated.out.utf8))
        #expect(listing.datasets.map(\.id) == ["parken"])
        let everything = run(["catalog", "--config", config("c")])
        #expect(everything.out.contains("Stadt b (b)  Kitaplätze"))
        let nothing = run(["catalog", "--search", "wetter", "--config", config("c")]).out
        #expect(nothing.hasPrefix("No datasets found in the federated catalog, last crawled "), "\(nothing)")
        #expect(nothing.contains("Run `verbund catalog --crawl`"))
        #expect(run(["catalog", "--peer", "a", "--search", "wetter", "--config", config("b")]).out == "No datasets found.")
        let wordless = run(["catalog", "--peer", "a", "--search", "!!", "--config", config("b")])
        #expect(wordless.status == 1 && wordless.err.contains("search needs at least one letter or digit"), "\(wordless.err)")

        // Narrowing the federated catalog: by member, by whole keyword (any case), by count.
        let ofB = run(["catalog", "--member", "b", "--config", config("c"), "--json"])
        #expect(try ManagementJSON.decoder().decode(CatalogListing.self, from: Data(ofB.out.utf8)).datasets.map(\.provider) == ["b"])
        let tagged = run(["catalog", "--keyword", "verkehr", "--config", config("c"), "--json"])
        #expect(try ManagementJSON.decoder().decode(CatalogListing.self, from: Data(tagged.out.utf8)).datasets.map(\.id) == ["parken"])
        let partial = run(["catalog", "--keyword", "verk", "--config", config("c"), "--json"])  // a keyword is whole
        #expect(try ManagementJSON.decoder().decode(CatalogListing.self, from: Data(partial.out.utf8)).datasets.isEmpty)
        let one = run(["catalog", "--limit", "1", "--config", config("c"), "--json"])
        #expect(try ManagementJSON.decoder().decode(CatalogListing.self, from: Data(one.out.utf8)).datasets.count == 1)
        let badLimit = run(["catalog", "--limit", "0", "--config", config("c")])
        #expect(badLimit.status == 2)
        #expect(badLimit.err.contains("--limit takes a whole number from 1 to 10000"))
        #expect(run(["catalog", "--peer", "a", "--member", "b", "--config", config("c")]).status == 2)

        #expect(run(["catalog", "--peer", "a", "--all", "--config", config("b")]).status == 2)
        #expect(run(["catalog", "--peer", "nobody", "--config", config("b")]).status == 1)
        #expect(run(["datasets", "remove", "parken", "--config", config("a")]).status == 0)
        #expect(run(["datasets", "remove", "parken", "--config", config("a")]).status == 1)
        #expect(run(["datasets", "remove", "--config", config("a")]).status == 2)
        #expect(run(["datasets", "list", "--config", config("a")]).out.contains("no datasets published"))
    }

    @Test("an empty federated catalog that was never crawled says how to crawl")
    func neverCrawled() {
        let lines = CatalogCommands.lines(CatalogListing(datasets: []), live: false)
        #expect(lines == ["No datasets found: the federated catalog has not been crawled yet. "
            + "Run `verbund catalog --crawl` to crawl every member now."])
        let now = Date()
        let old = CatalogCommands.lines(CatalogListing(datasets: [], lastCrawl: now.addingTimeInterval(-3 * 3600)), live: false, now: now)
        #expect(old.first?.contains("last crawled 3 h ago") == true)
    }
}
