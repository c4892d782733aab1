import Foundation
import Testing
@testable import VerbundDataspace

/// The DCAT-AP.de graph as a value: absolute IRIs for relative DSP ids, what differs between the profiles, and the
/// format a harvester's `Accept` field gets.
struct DCATAPDEGraphTests {
    typealias NS = RDFNamespace
    static let catalog = DCATCatalogDescription(
        title: "Offene Daten Jena", description: "Datensätze der Stadt Jena.",
        publisher: .init(id: "urn:verbund:thueringen:jena", name: "Stadt Jena"),
        contributorID: "http://dcat-ap.de/def/contributors/example", endpoint: "https://jena.example/dsp/")
    static let key = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16053000"
    static let record = DatasetRecord(
        id: "jena-parkhaus-belegung", title: "Parkhäuser", description: "Belegung", keywords: ["Verkehr"],
        themes: ["http://publications.europa.eu/resource/authority/data-theme/TRAN"],
        license: "http://dcat-ap.de/def/licenses/dl-by-de/2.0", byteSize: 1234, mediaType: "text/csv",
        spatial: [key], accrualPeriodicity: "http://publications.europa.eu/resource/authority/frequency/DAILY")

    @Test func relativeIdsBecomeAbsoluteIRIsAndAbsoluteOnesStay() {
        let graph = DCATAPDEGraph(catalog: Self.catalog, profile: .v3).graph([Self.record, DatasetRecord(id: "urn:uuid:1", title: "U")])
        let catalogNode = RDFTerm.iri("https://jena.example/dsp/catalog")
        #expect(graph.objects(catalogNode, NS.dcat + "dataset") == [
            .iri("https://jena.example/dsp/catalog/datasets/jena-parkhaus-belegung"), .iri("urn:uuid:1"),
        ])
        let subjects = graph.triples.map(\.subject)
        #expect(subjects.allSatisfy { if case .iri(let iri) = $0 { DCATIRI.isAbsolute(iri) } else { true } })
        #expect(graph.objects(.iri("urn:uuid:1"), NS.dcat + "distribution") == [.iri("urn:uuid:1#distribution")])
    }

    @Test func theDistributionIsReachedThroughTheDataService() {
        let graph = DCATAPDEGraph(catalog: Self.catalog, profile: .v3).graph([Self.record])
        let distribution = RDFTerm.iri("https://jena.example/dsp/catalog/datasets/jena-parkhaus-belegung#distribution")
        let service = RDFTerm.iri("https://jena.example/dsp/")
        #expect(graph.objects(distribution, NS.dcat + "accessURL") == [service])
        #expect(graph.objects(distribution, NS.dcat + "accessService") == [service])
        #expect(graph.objects(service, NS.rdf + "type") == [.iri(NS.dcat + "DataService")])
        #expect(!graph.objects(service, NS.dct + "title").isEmpty && !graph.objects(service, NS.dct + "publisher").isEmpty)
        let dataset = RDFTerm.iri("https://jena.example/dsp/catalog/datasets/jena-parkhaus-belegung")
        #expect(graph.objects(dataset, NS.dct + "accrualPeriodicity")
                == [.iri("http://publications.europa.eu/resource/authority/frequency/DAILY")])
    }

    @Test func geocodingAndByteSizeFollowTheDeclaredProfile() {
        let dataset = RDFTerm.iri("https://jena.example/dsp/catalog/datasets/jena-parkhaus-belegung")
        let distribution = RDFTerm.iri("https://jena.example/dsp/catalog/datasets/jena-parkhaus-belegung#distribution")
        let v3 = DCATAPDEGraph(catalog: Self.catalog, profile: .v3).graph([Self.record])
        #expect(v3.objects(dataset, NS.dct + "spatial") == [.iri(Self.key)])
        #expect(v3.objects(dataset, NS.dcatde + "politicalGeocodingURI").isEmpty)
        #expect(v3.objects(distribution, NS.dcat + "byteSize") == [.typed("1234", NS.xsd + "nonNegativeInteger")])
        #expect(v3.objects(.iri("https://jena.example/dsp/catalog"), NS.dct + "conformsTo") == [.iri("http://dcat-ap.de/def/dcatde/3.0")])
        let v2 = DCATAPDEGraph(catalog: Self.catalog, profile: .v2).graph([Self.record])
        #expect(v2.objects(dataset, NS.dct + "spatial").isEmpty)
        #expect(v2.objects(dataset, NS.dcatde + "politicalGeocodingURI") == [.iri(Self.key)])
        #expect(v2.objects(dataset, NS.dcatde + "politicalGeocodingLevelURI")
                == [.iri("http://dcat-ap.de/def/politicalGeocoding/Level/municipality")])
        #expect(v2.objects(distribution, NS.dcat + "byteSize") == [.typed("1234", NS.xsd + "decimal")])
    }

    @Test func twoIdsThatReduceAlikeKeepTheirOwnContactPoints() throws {
        var first = DatasetRecord(id: "a-b", title: "A")
        first.metadata = DatasetMetadata(contactPoint: .init(name: "Eins", email: "eins@example.org"))
        var second = DatasetRecord(id: "a_b", title: "B")
        second.metadata = DatasetMetadata(contactPoint: .init(name: "Zwei", email: "zwei@example.org"))
        let graph = DCATAPDEGraph(catalog: Self.catalog, profile: .v3).graph([first, second])
        let contacts = ["a-b", "a_b"].map {
            graph.objects(.iri("https://jena.example/dsp/catalog/datasets/" + $0), NS.dcat + "contactPoint")
        }
        #expect(contacts[0].count == 1 && contacts[1].count == 1 && contacts[0] != contacts[1])
        #expect(graph.objects(try #require(contacts[1].first), NS.vcard + "fn") == [.text("Zwei")])
    }

    @Test(arguments: [
        (nil, DCATFormat.turtle), ("", .turtle), ("*/*", .turtle), ("text/turtle", .turtle),
        ("application/rdf+xml", .rdfxml), ("application/ld+json", .jsonld),
        ("application/ld+json;q=0.5, application/rdf+xml;q=0.9, */*;q=0.1", .rdfxml),
        ("text/html, application/xhtml+xml, */*;q=0.8", .turtle), ("APPLICATION/LD+JSON", .jsonld),
        ("application/*", .rdfxml), ("application/rdf+xml;q=1, */*", .rdfxml),
    ] as [(String?, DCATFormat)])
    func acceptPicksTheFormat(accept: String?, format: DCATFormat) {
        #expect(DCATFormat.negotiate(accept: accept) == format)
    }

    @Test(arguments: ["text/html", "application/json", "text/turtle;q=0", "text/turtle;q=x", ",,,"])
    func acceptWithoutAnRDFSyntaxIsRefused(accept: String) {
        #expect(DCATFormat.negotiate(accept: accept) == nil)
    }

    @Test func namesOfFormatsAndProfiles() {
        #expect(DCATFormat(name: "ttl") == .turtle && DCATFormat(name: "RDFXML") == .rdfxml && DCATFormat(name: "json-ld") == .jsonld)
        #expect(DCATFormat(name: "n3") == nil)
        #expect(DCATAPDEProfile(name: "dcat-ap-de-3") == .v3 && DCATAPDEProfile(name: "2.0") == .v2)
        #expect(DCATAPDEProfile(name: "1.0") == nil)
    }
}
