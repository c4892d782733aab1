import Foundation
import Testing
import VerbundTestSupport
import VerbundCLI
import VerbundConnector
import VerbundDataspace

/// `verbund datasets export` end to end: datasets published through the CLI and the running connector, exported in
/// each syntax and profile, and each export checked by pyshacl with the official shapes (0 violations) and parsed by
/// rdflib through the format's media type.
@Suite("Dataset export command", .offCooperativePool)
struct DatasetExportCommandTests {
    func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
        let console = CapturedConsole()
        let status = VerbundCommandLine.main(arguments, console: console)
        return (status, console.standardOutput, console.standardError)
    }

    @Test("publish through the connector, export Turtle, RDF/XML and JSON-LD for 3.0 and 2.0: no violations")
    func exportsWhatWasPublished() throws {
        let fixture = try FederationFixture(members: ["a"])
        let a = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { a.stop() }
        let config = fixture.members["a"]!.configurationFile
        let folder = TemporaryFolder("verbund-dcat-export")
        let data = try CatalogHarness.dataFile(folder, "parken.csv", "haus;frei\nMitte;12\n")
        let published = run(["datasets", "publish", "--config", config, "--file", data, "--title", "Parkhäuser \"Mitte\"",
                             "--description", "Freie Plätze\nje Parkhaus", "--keyword", "Verkehr", "--keyword", "Rad/Fuß",
                             "--id", "parken",
                             "--theme", "http://publications.europa.eu/resource/authority/data-theme/TRAN",
                             "--license", "http://dcat-ap.de/def/licenses/dl-by-de/2.0", "--refresh-every", "1h"])
        #expect(published.status == 0, "\(published.err)")
        let second = run(["datasets", "publish", "--config", config, "--file", data, "--title", "Kitaplätze",
                          "--description", "Freie Kitaplätze", "--license", "http://dcat-ap.de/def/licenses/cc-by/4.0"])
        #expect(second.status == 0, "\(second.err)")

        let contributor = "http://dcat-ap.de/def/contributors/stadtNuernberg"
        for profile in DCATAPDEProfile.allCases {
            var files: [String: String] = [:]
            for format in DCATFormat.allCases {
                let output = folder.file("catalog-\(profile.rawValue).\(format.fileExtension)")
                let exported = run(["datasets", "export", "--config", config, "--format", format.rawValue,
                                    "--profile", profile == .v3 ? "dcat-ap-de-3" : "dcat-ap-de-2", "--output", output,
                                    "--contributor-id", contributor, "--homepage", "https://a.example/opendata"])
                #expect(exported.status == 0, "\(exported.err)")
                #expect(exported.out.contains("wrote 2 datasets as DCAT-AP.de \(profile.rawValue) \(format.mediaType)"))
                let text = try String(contentsOfFile: output, encoding: .utf8)
                #expect(text.contains("/catalog/datasets/parken"))
                files["catalog.\(format.fileExtension)"] = text
            }
            guard let result = try DCATShapesTests.validate(files, profile: profile) else { continue }
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.components(separatedBy: ", 0 violations,").count == 4, "\(result.output)")
        }
        let stdout = run(["datasets", "export", "--config", config])
        #expect(stdout.status == 0)
        #expect(stdout.out.hasPrefix("@prefix rdf: "))
        #expect(stdout.out.contains("dcat:accessService"))
        #expect(stdout.out.contains("\"Rad-Fuß\"@de") && !stdout.out.contains("Rad/Fuß"))
        #expect(stdout.err.contains("keyword Rad/Fuß of parken written as Rad-Fuß"), "\(stdout.err)")
        let json = run(["datasets", "export", "--config", config, "--format", "jsonld", "--json"])
        #expect(json.status == 0, "\(json.err)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(summary["datasets"] as? Int == 2 && summary["mediaType"] as? String == "application/ld+json")
        #expect((summary["keywordChanges"] as? [[String: Any]])?.first?["written"] as? String == "Rad-Fuß")
        let document = try #require((summary["document"] as? String)?.data(using: .utf8))
        #expect((try JSONSerialization.jsonObject(with: document) as? [String: Any])?["@graph"] != nil)
    }

    @Test("wrong format, profile or IRI is a usage error (2); a missing database is refused (1)")
    func refusals() throws {
        let fixture = try FederationFixture(members: ["a"])
        let config = fixture.members["a"]!.configurationFile
        #expect(run(["datasets", "export", "--config", config, "--format", "n3"]).status == 2)
        #expect(run(["datasets", "export", "--config", config, "--profile", "1.0"]).status == 2)
        #expect(run(["datasets", "export", "--config", config, "--homepage", "not an iri"]).status == 2)
        let missing = run(["datasets", "export", "--config", config])
        #expect(missing.status == 1)
        #expect(missing.err.contains("no database at"))
    }
}
