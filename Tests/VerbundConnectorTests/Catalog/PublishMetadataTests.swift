import Foundation
import Testing
import VerbundTestSupport
import VerbundCLI
import VerbundJSON
@testable import VerbundConnector
import VerbundDataspace

/// Publishing with the richer DCAT-AP.de metadata: several themes, a licence from the dcat-ap.de vocabulary, a contact
/// point, a landing page, English title and description; every bad value refused naming its field, unknown body
/// fields refused naming them.
@Suite("Publish metadata", .offCooperativePool)
struct PublishMetadataTests {
    static let theme = "http://publications.europa.eu/resource/authority/data-theme/"
    static let publisher = DatasetRecord.Publisher(id: "urn:verbund:t:a", name: "Stadt A")

    static func record(_ change: (inout DatasetPublication) -> Void) throws(CatalogPublishError) -> DatasetRecord {
        var publication = DatasetPublication(file: "/srv/x.csv", title: "Parken", description: "Belegung",
                                             theme: theme + "TRAN", license: "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
                                             id: "parken")
        change(&publication)
        return try publication.record(publisher: publisher, spatial: [], now: Date(timeIntervalSince1970: 0),
                                      digest: { _ throws(CatalogPublishError) in (1, String(repeating: "a", count: 64)) })
    }

    @Test func richMetadataIsKeptAndThemesAreDeduplicated() throws {
        let record = try Self.record {
            $0.themes = [Self.theme + "ENVI", Self.theme + "TRAN"]
            $0.titleEnglish = "Parking"
            $0.descriptionEnglish = "  "
            $0.landingPage = "https://www.example.de/parken"
            $0.contactPoint = .init(name: " Tiefbauamt ", email: "tiefbau@example.de", phone: "+49 3641 49-0")
        }
        #expect(record.themes == [Self.theme + "TRAN", Self.theme + "ENVI"])
        #expect(record.metadata == DatasetMetadata(
            titleEnglish: "Parking", contactPoint: .init(name: "Tiefbauamt", email: "tiefbau@example.de", phone: "+49 3641 49-0"),
            landingPage: "https://www.example.de/parken"))
        #expect(try Self.record { _ in }.metadata == nil)
    }

    @Test(arguments: [
        ("license", { @Sendable (p: inout DatasetPublication) in p.license = "https://creativecommons.org/licenses/by/4.0/" }),
        ("license", { @Sendable (p: inout DatasetPublication) in p.license = "http://dcat-ap.de/def/licenses/dl-by-de/2.0\n" }),
        ("themes", { @Sendable (p: inout DatasetPublication) in p.themes = ["http://example.org/theme/TRAN"] }),
        ("themes", { @Sendable (p: inout DatasetPublication) in p.themes = [Self.theme + "tran"] }),
        ("themes", { @Sendable (p: inout DatasetPublication) in p.themes = [Self.theme] }),
        ("contactPoint", { @Sendable (p: inout DatasetPublication) in p.contactPoint = .init(name: "Amt", phone: "+49 1") }),
        ("contactPoint.name", { @Sendable (p: inout DatasetPublication) in p.contactPoint = .init(name: " ", email: "a@b.de") }),
        ("contactPoint.email", { @Sendable (p: inout DatasetPublication) in p.contactPoint = .init(name: "Amt", email: "a@b") }),
        ("contactPoint.email", { @Sendable (p: inout DatasetPublication) in p.contactPoint = .init(name: "Amt", email: "a b@c.de") }),
        ("contactPoint.email", { @Sendable (p: inout DatasetPublication) in p.contactPoint = .init(name: "Amt", email: "<a@c.de>") }),
        ("contactPoint.phone", { @Sendable (p: inout DatasetPublication) in p.contactPoint = .init(name: "Amt", email: "a@b.de", phone: "call me") }),
        ("contactPoint.url", { @Sendable (p: inout DatasetPublication) in p.contactPoint = .init(name: "Amt", url: "javascript:alert(1)") }),
        ("landingPage", { @Sendable (p: inout DatasetPublication) in p.landingPage = "ftp://example.de/x" }),
        ("landingPage", { @Sendable (p: inout DatasetPublication) in p.landingPage = "https://example.de/a b" }),
        ("landingPage", { @Sendable (p: inout DatasetPublication) in p.landingPage = "https://example.de/\">" }),
        ("titleEnglish", { @Sendable (p: inout DatasetPublication) in p.titleEnglish = String(repeating: "x", count: 10_001) }),
    ] as [(String, @Sendable (inout DatasetPublication) -> Void)])
    func badMetadataIsRefusedNamingTheField(field: String, change: @Sendable (inout DatasetPublication) -> Void) {
        #expect {
            _ = try Self.record(change)
        } throws: { error in
            guard case let .invalidField(name, _) = error as? CatalogPublishError else { return false }
            return name == field
        }
    }

    @Test("the API takes the metadata, refuses unknown fields by name, and the export carries it")
    func throughTheAPI() throws {
        let fixture = try FederationFixture(members: ["a"])
        let a = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { a.stop() }
        let folder = TemporaryFolder("verbund-publish-metadata")
        let file = try CatalogHarness.dataFile(folder, "parken.csv", "haus;frei\nMitte;12\n")
        let unknown = try CatalogHarness.management(a, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "X", "description": "Testdaten", "temporalCoverage": "2026", "contactpoint": ["name": "Amt"],
        ])
        #expect(unknown.status == 400)
        let message = unknown.body["error"]?.stringValue ?? ""
        #expect(message.contains("\"temporalCoverage\"") && message.contains("\"contactpoint\""), "\(message)")
        let published = try CatalogHarness.management(a, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "Parken", "description": "Belegung", "id": "parken",
            "theme": .string(Self.theme + "TRAN"), "themes": [.string(Self.theme + "ENVI")],
            "license": "http://dcat-ap.de/def/licenses/cc-by/4.0", "landingPage": "https://www.example.de/parken",
            "contactPoint": ["name": "Tiefbauamt", "email": "tiefbau@example.de", "url": "https://www.example.de/kontakt"],
        ])
        #expect(published.status == 201, "\(published.body)")
        let refused = try CatalogHarness.management(a, .post, "/api/catalog/datasets", json: [
            "file": .string(file), "title": "Y", "description": "Testdaten", "license": "https://example.org/my-licence",
        ])
        #expect(refused.status == 400)
        #expect(refused.body["error"]?.stringValue?.contains("licence vocabulary") == true)

        let console = CapturedConsole()
        #expect(VerbundCommandLine.main(["datasets", "export", "--config", fixture.members["a"]!.configurationFile], console: console) == 0)
        let turtle = console.standardOutput
        #expect(turtle.contains("vcard:hasEmail <mailto:tiefbau@example.de>"))
        #expect(turtle.contains("vcard:hasURL <https://www.example.de/kontakt>"))
        #expect(turtle.contains("dcat:landingPage <https://www.example.de/parken>"))
        #expect(turtle.contains("dcat:theme <\(Self.theme)TRAN>") && turtle.contains("<\(Self.theme)ENVI>"))
    }

    @Test("the CLI flags: several themes, contact point; a contact without a name is a usage error")
    func cliFlags() throws {
        let fixture = try FederationFixture(members: ["a"])
        let a = try fixture.start("a", modules: [CatalogModule(crawls: false)])
        defer { a.stop() }
        let config = fixture.members["a"]!.configurationFile
        let folder = TemporaryFolder("verbund-publish-flags")
        let file = try CatalogHarness.dataFile(folder, "luft.csv", "station;no2\nA;12\n")
        func run(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
            let console = CapturedConsole()
            let status = VerbundCommandLine.main(arguments, console: console)
            return (status, console.standardOutput, console.standardError)
        }
        let published = run(["datasets", "publish", "--config", config, "--file", file, "--title", "Luft", "--description", "Testdaten", "--id", "luft",
                             "--theme", Self.theme + "ENVI", "--theme", Self.theme + "HEAL", "--title-en", "Air",
                             "--contact-name", "Umweltamt", "--contact-email", "umwelt@example.de",
                             "--landing-page", "https://www.example.de/luft"])
        #expect(published.status == 0, "\(published.err)")
        let stored = try #require(try CatalogStore(database: a.context.database).dataset(id: "luft")).record
        #expect(stored.themes == [Self.theme + "ENVI", Self.theme + "HEAL"])
        #expect(stored.metadata?.contactPoint == .init(name: "Umweltamt", email: "umwelt@example.de"))
        #expect(stored.metadata?.titleEnglish == "Air")
        let orphan = run(["datasets", "publish", "--config", config, "--file", file, "--title", "X", "--description", "Testdaten", "--contact-email", "a@b.de"])
        #expect(orphan.status == 2)
        #expect(orphan.err.contains("--contact-name"))
        let badTheme = run(["datasets", "publish", "--config", config, "--file", file, "--title", "X", "--description", "Testdaten", "--theme", "https://example.org/Verkehr"])
        #expect(badTheme.status == 1)
        #expect(badTheme.err.contains("EU data theme"))
    }
}
