import Foundation
import Testing
import VerbundTestSupport
import VerbundCLI
import VerbundJSON
@testable import VerbundConnector
import VerbundDataspace

/// Maintainer, originator, planned availability, identifier and contributor ID as publish fields (issue 13): checked
/// (each bad value refused naming its field), stored, shown by the API, written to the harvest export per profile and
/// to the DSP catalog where DCAT has a term.
@Suite("Publish provenance", .offCooperativePool)
struct PublishProvenanceTests {
    static let availability = "http://publications.europa.eu/resource/authority/planned-availability/"

    @Test func theFieldsAreCheckedAndStored() throws {
        let record = try PublishMetadataTests.record {
            $0.maintainer = .init(name: " Kämmerei ", email: "kaemmerei@jena.example", homepage: "https://www.jena.example/kaemmerei")
            $0.originator = .init(name: "Stadtrat")
            $0.availability = "stable"
            $0.identifier = " HH-2026 "
            $0.contributorID = "http://dcat-ap.de/def/contributors/stadtJena"
        }
        let metadata = try #require(record.metadata)
        #expect(metadata.maintainer == .init(name: "Kämmerei", email: "kaemmerei@jena.example", homepage: "https://www.jena.example/kaemmerei"))
        #expect(metadata.originator == .init(name: "Stadtrat"))
        #expect(metadata.availability == Self.availability + "STABLE")
        #expect(metadata.identifier == "HH-2026")
        #expect(metadata.contributorID == "http://dcat-ap.de/def/contributors/stadtJena")
        #expect(try PublishMetadataTests.record { $0.availability = Self.availability + "TEMPORARY" }.metadata?.availability
                == Self.availability + "TEMPORARY")
        // Open sets PUBLIC.
        #expect(try PublishMetadataTests.record { $0.open = true }.metadata?.accessRights == DatasetPublication.publicAccess)
    }

    @Test(arguments: [
        ("availability", { @Sendable (p: inout DatasetPublication) in p.availability = "SOMETIMES" }),
        ("availability", { @Sendable (p: inout DatasetPublication) in p.availability = "http://example.org/planned-availability/STABLE" }),
        ("availability", { @Sendable (p: inout DatasetPublication) in p.availability = Self.availability }),
        ("identifier", { @Sendable (p: inout DatasetPublication) in p.identifier = "  " }),
        ("identifier", { @Sendable (p: inout DatasetPublication) in p.identifier = "a\nb" }),
        ("identifier", { @Sendable (p: inout DatasetPublication) in p.identifier = String(repeating: "x", count: 501) }),
        ("contributorID", { @Sendable (p: inout DatasetPublication) in p.contributorID = "https://example.org/me" }),
        ("contributorID", { @Sendable (p: inout DatasetPublication) in p.contributorID = "http://dcat-ap.de/def/contributors/" }),
        ("contributorID", { @Sendable (p: inout DatasetPublication) in p.contributorID = "http://dcat-ap.de/def/contributors/a b" }),
        ("contributorID", { @Sendable (p: inout DatasetPublication) in p.contributorID = "http://dcat-ap.de/def/contributors/x>" }),
        ("maintainer.name", { @Sendable (p: inout DatasetPublication) in p.maintainer = .init(name: " ") }),
        ("maintainer.name", { @Sendable (p: inout DatasetPublication) in p.maintainer = .init(name: "A\u{7}B") }),
        ("maintainer.email", { @Sendable (p: inout DatasetPublication) in p.maintainer = .init(name: "A", email: "a@b") }),
        ("maintainer.homepage", { @Sendable (p: inout DatasetPublication) in p.maintainer = .init(name: "A", homepage: "javascript:x") }),
        ("originator.name", { @Sendable (p: inout DatasetPublication) in p.originator = .init(name: String(repeating: "n", count: 201)) }),
        ("originator.email", { @Sendable (p: inout DatasetPublication) in p.originator = .init(name: "A", email: "<a@b.de>") }),
        ("originator.homepage", { @Sendable (p: inout DatasetPublication) in p.originator = .init(name: "A", homepage: "https://a.de/\"") }),
        ("open", { @Sendable (p: inout DatasetPublication) in
            p.open = true
            p.accessRights = "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC"
        }),
        ("open", { @Sendable (p: inout DatasetPublication) in
            p.open = true
            p.transparency = false
        }),
    ] as [(String, @Sendable (inout DatasetPublication) -> Void)])
    func badValuesAreRefusedNamingTheField(field: String, change: @Sendable (inout DatasetPublication) -> Void) {
        #expect {
            _ = try PublishMetadataTests.record(change)
        } throws: { error in
            guard case let .invalidField(name, _) = error as? CatalogPublishError else { return false }
            return name == field
        }
    }

    @Test func theGraphFollowsTheProfile() throws {
        let records = try DCATFixture.records()
        let v3 = try DCATExport.render(records, catalog: DCATFixture.catalog, profile: .v3, format: .turtle)
        let v2 = try DCATExport.render(records, catalog: DCATFixture.catalog, profile: .v2, format: .turtle)
        #expect(v3.contains("<http://data.europa.eu/930/custodian>") && v3.contains("<http://data.europa.eu/930/originator>"))
        #expect(!v3.contains("dcatde:maintainer") && !v3.contains("dcatde:originator"))
        #expect(v2.contains("dcatde:maintainer") && v2.contains("dcatde:originator"))
        for text in [v2, v3] {
            #expect(text.contains("foaf:mbox <mailto:kaemmerei@stadt.nuernberg.example>"))
            #expect(text.contains("foaf:homepage <https://www.nuernberg.de/internet/kaemmerei/>"))
            #expect(text.contains("\"HH-2026\""))
            #expect(text.contains("<\(Self.availability)STABLE>"))
            #expect(text.contains("dcat:downloadURL <https://opendata.nuernberg.example/open/urn:uuid:6f1c2b4e-8a1d-4c8e-9f27-3d5b0e7a9c11>"))
            #expect(text.components(separatedBy: "dcat:downloadURL").count == 2)
            #expect(text.components(separatedBy: "access-right/RESTRICTED>").count - 1 == 4, "the four datasets under contract")
        }
    }

    @Test("the API and the CLI take the fields; the DSP catalog carries identifier and availability")
    func throughTheAPIAndTheCLI() throws {
        let fixture = try FederationFixture(members: ["a"])
        let a = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { a.stop() }
        let config = fixture.members["a"]!.configurationFile
        let folder = TemporaryFolder("verbund-publish-provenance")
        let file = try CatalogHarness.dataFile(folder, "haushalt.csv", "bereich;ansatz\nSchulen;1\n")
        let published = try CatalogHarness.management(a, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "Haushalt", "description": "Ansätze", "id": "haushalt",
            "maintainer": ["name": "Kämmerei", "email": "kaemmerei@a.example"], "originator": ["name": "Stadtrat"],
            "availability": "AVAILABLE", "identifier": "HH-1", "contributorID": "http://dcat-ap.de/def/contributors/stadtA",
        ])
        #expect(published.status == 201, "\(published.body)")
        #expect(published.body["maintainer"]?["email"]?.stringValue == "kaemmerei@a.example")
        #expect(published.body["availability"]?.stringValue == Self.availability + "AVAILABLE")
        #expect(published.body["identifier"] == "HH-1" && published.body["open"] == false)
        let bad = try CatalogHarness.management(a, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "X", "description": "Y", "maintainer": ["name": "A", "phone": "1"],
        ])
        #expect(bad.status == 400 && bad.body["error"]?.stringValue?.contains("phone") == true, "\(bad.body)")
        let badAvailability = try CatalogHarness.management(a, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "X", "description": "Y", "availability": "NEVER",
        ])
        #expect(badAvailability.status == 400 && badAvailability.body["error"]?.stringValue?.contains("availability") == true)

        let dataset = try #require(try CatalogStore(database: a.context.database).dataset(id: "haushalt"))
        let dsp = try CatalogRendering.dataset(dataset.record, service: DataService(id: "svc", endpointURL: "https://a.example/dsp"),
                                                 inlineService: true)
        #expect(dsp.properties["dct:identifier"] == "HH-1")
        #expect(dsp.properties["http://data.europa.eu/r5r/availability"]?["@id"]?.stringValue == Self.availability + "AVAILABLE")

        func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
            let console = CapturedConsole()
            let status = VerbundCommandLine.main(arguments, console: console)
            return (status, console.standardOutput, console.standardError)
        }
        let cli = run(["datasets", "publish", "--config", config, "--file", file, "--title", "Haushalt 2", "--description", "Ansätze",
                       "--id", "haushalt-2", "--maintainer", "Kämmerei", "--maintainer-homepage", "https://a.example/k",
                       "--originator", "Rat", "--originator-email", "rat@a.example", "--availability", "experimental",
                       "--identifier", "HH-2", "--contributor-id", "http://dcat-ap.de/def/contributors/stadtA", "--open"])
        #expect(cli.status == 0, "\(cli.err)")
        #expect(cli.out.contains("/open/haushalt-2"), "\(cli.out)")
        let stored = try #require(try CatalogStore(database: a.context.database).dataset(id: "haushalt-2"))
        #expect(stored.open && stored.listed)
        #expect(stored.record.metadata?.maintainer == .init(name: "Kämmerei", homepage: "https://a.example/k"))
        #expect(stored.record.metadata?.originator == .init(name: "Rat", email: "rat@a.example"))
        #expect(stored.record.metadata?.availability == Self.availability + "EXPERIMENTAL")
        let orphan = run(["datasets", "publish", "--config", config, "--file", file, "--title", "X", "--description", "Y",
                          "--originator-email", "a@b.de"])
        #expect(orphan.status == 2 && orphan.err.contains("--originator"))
    }
}
