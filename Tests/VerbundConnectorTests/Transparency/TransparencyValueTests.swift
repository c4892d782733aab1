import Foundation
import Testing
import VerbundDataspace
@testable import VerbundConnector

/// The public listener's pure parts as values: language choice, the base of links, the harvest query, the report's
/// aggregation and filtering, the page's escaping, the configuration's checks, and the new publish fields.
@Suite struct TransparencyValueTests {
    @Test func theLanguageComesFromTheQueryThenAcceptLanguageElseGerman() {
        #expect(TransparencyLanguage.choose(query: nil, acceptLanguage: nil) == .german)
        #expect(TransparencyLanguage.choose(query: "en", acceptLanguage: "de") == .english)
        #expect(TransparencyLanguage.choose(query: "DE", acceptLanguage: "en") == .german)
        #expect(TransparencyLanguage.choose(query: "fr", acceptLanguage: "en-US,en;q=0.8") == .english)
        #expect(TransparencyLanguage.choose(query: nil, acceptLanguage: "fr, en;q=0.5, de;q=0.9") == .german)
        #expect(TransparencyLanguage.choose(query: nil, acceptLanguage: "en;q=0, fr") == .german)
        #expect(TransparencyLanguage.choose(query: nil, acceptLanguage: String(repeating: "xx;q=1,", count: 10_000) + "en") == .german)
        #expect(TransparencyLanguage.choose(query: nil, acceptLanguage: "en;q=abc") == .german)
    }

    @Test func linksUseTheConfiguredBaseOrAPlainHost() {
        #expect(PublicBase.url(configured: "https://t.example/verbund/", tls: false, host: "evil") == "https://t.example/verbund")
        #expect(PublicBase.url(configured: nil, tls: true, host: "t.example:8443") == "https://t.example:8443")
        #expect(PublicBase.url(configured: nil, tls: false, host: "[::1]:80") == "http://[::1]:80")
        for hostile in ["", "a/b", "a b", "a\"b", "x.example/<script>", "ä.example", "a@b", String(repeating: "a", count: 300), "a?b"] {
            #expect(PublicBase.url(configured: nil, tls: false, host: hostile) == nil, "\(hostile)")
        }
        #expect(PublicBase.url(configured: nil, tls: false, host: nil) == nil)
    }

    @Test func theHarvestQueryIsReadOrRefusedWithItsStatus() {
        let plain = CatalogHarvestRoutes.query(accept: nil, fixed: nil, profile: nil, page: nil)
        #expect(plain == .success(.init(format: .turtle, profile: .v3, page: 1)))
        #expect(CatalogHarvestRoutes.query(accept: "application/ld+json", fixed: nil, profile: "dcat-ap-de-2", page: "3")
                == .success(.init(format: .jsonld, profile: .v2, page: 3)))
        #expect(CatalogHarvestRoutes.query(accept: "text/html", fixed: .rdfxml, profile: nil, page: nil)
                == .success(.init(format: .rdfxml, profile: .v3, page: 1)))
        for (accept, profile, page, status) in [("text/html", nil, nil, 406), (nil, "dcat-ap-de-9", nil, 400),
                                                 (nil, nil, "0", 400), (nil, nil, "-1", 400), (nil, nil, "1e3", 400),
                                                 (nil, nil, "1234567890", 400)] as [(String?, String?, String?, Int)] {
            guard case .failure(let refusal) = CatalogHarvestRoutes.query(accept: accept, fixed: nil, profile: profile, page: page) else {
                Issue.record("accepted \(String(describing: accept)) \(String(describing: profile)) \(String(describing: page))")
                continue
            }
            #expect(refusal.status.code == status)
        }
    }

    static let day = Date(timeIntervalSince1970: 1_780_000_000)

    static func report() -> TransparencyReport {
        var report = TransparencyReport(member: .init(id: "jena", name: "Stadt Jena"), generatedAt: day)
        report.datasets = [
            .init(id: "parken", title: "Parken\u{7}", description: nil, themes: [], license: nil, accessRights: nil,
                  terms: ["use"], published: day),
        ]
        report.addContract(dataset: "parken", partner: "erfurt", purpose: "Statistik", finalizedAt: day)
        report.addContract(dataset: "parken", partner: "erfurt", purpose: "Planung", finalizedAt: day.addingTimeInterval(-86_400))
        report.addContract(dataset: "parken", partner: "erfurt", purpose: "Statistik", finalizedAt: day)
        report.addContract(dataset: "parken", partner: "gera", purpose: nil, finalizedAt: day)
        report.addContract(dataset: "intern", partner: "erfurt", purpose: "Geheim", finalizedAt: day)
        report.addTransfers(dataset: "parken", partner: "erfurt", count: 4)
        report.addTransfers(dataset: "parken", partner: "weimar", count: 9)
        return report
    }

    @Test func contractsAreAggregatedPerDatasetAndPartnerAndOnlyListedOnesShown() {
        let listed = Self.report().listed { ["erfurt": "Stadt Erfurt"][$0] }
        #expect(listed.datasets.map(\.title) == ["Parken"])
        #expect(listed.partnerships.count == 2)
        let erfurt = listed.partnerships[0]
        #expect(erfurt.partnerName == "Stadt Erfurt" && erfurt.contracts == 3 && erfurt.transfers == 4)
        #expect(erfurt.purposes == ["Statistik", "Planung"] && erfurt.since == Self.day.addingTimeInterval(-86_400))
        let gera = listed.partnerships[1]
        #expect(gera.partnerName == "gera" && gera.purposes.isEmpty && gera.transfers == 0)
        #expect(!listed.partnerships.contains { $0.dataset == "intern" || $0.partner == "weimar" })

        var many = TransparencyReport(member: .init(id: "a", name: "A"), generatedAt: Self.day)
        for index in 0..<50 {
            many.addContract(dataset: "d", partner: "p", purpose: "Zweck \(index) " + String(repeating: "x", count: 1000), finalizedAt: Self.day)
        }
        #expect(many.partnerships[0].purposes.count == TransparencyReport.maximumPurposes)
        #expect(many.partnerships[0].purposes.allSatisfy { $0.count <= TransparencyReport.maximumText })
    }

    @Test func thePageEscapesEveryTextAndMarksItsLanguages() {
        var report = Self.report()
        report.member.name = "<b>Stadt</b> \"X\""
        report.datasets[0].title = "<script>alert('t')</script>"
        report.datasets[0].description = "a & b"
        report.addContract(dataset: "parken", partner: "erfurt", purpose: "<img src=x onerror=alert(1)>", finalizedAt: Self.day)
        report.treeHead = .init(size: 7, rootHash: String(repeating: "ab", count: 32), timestamp: Self.day, signed: "eyJ<x>")
        let listed = report.listed { _ in "<i>Erfurt</i>" }
        for language in TransparencyLanguage.allCases {
            let html = TransparencyPage.html(listed, language: language, dcatPath: "/dcat/catalog")
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\">"))
            #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>") && !html.contains("<i>"))
            #expect(!html.contains("eyJ<x>") && html.contains("eyJ&lt;x&gt;"))
            #expect(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;") && html.contains("a &amp; b"))
            #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(html.contains("<td><p lang=\"en\">use</p></td>") && html.contains("<main id=\"main\">"))
            #expect(html.contains("<th scope=\"col\">") && html.contains("<caption>"))
            #expect(!html.contains(" style=") && !html.contains("<style"))
        }
    }

    @Test func theReportIsBuiltAtMostOncePerLifetime() throws {
        let cache = ReportCache()
        let start = ContinuousClock.now
        var builds = 0
        func build() -> TransparencyReport { builds += 1; return Self.report() }
        _ = try cache.value(now: start, build: build)
        _ = try cache.value(now: start + .seconds(1), build: build)
        #expect(builds == 1)
        _ = try cache.value(now: start + ReportCache.lifetime, build: build)
        #expect(builds == 2)
    }

    static func configuration() -> ConnectorConfiguration {
        ConnectorConfiguration(memberId: "jena", participantId: "urn:verbund:t:jena",
                               federation: .init(root: "r.pem", registry: "reg.jws", crl: "crl.pem"), keyFile: "k.pem",
                               certificateFile: "c.pem", listen: "0.0.0.0:8443", endpoint: "https://jena.example/dsp",
                               management: "127.0.0.1:8444", dataDirectory: "data")
    }

    @Test func thePublicSettingsAreCheckedByName() {
        var good = Self.configuration()
        good.publicListen = "0.0.0.0:8080"
        good.publicTLS = .init(certificate: "public.pem", key: "public.key")
        good.publicBaseURL = "https://transparenz.jena.example/verbund"
        good.publicCatalog = .init(title: "Offene Daten Jena", contributorID: "http://dcat-ap.de/def/contributors/stadtJena")
        #expect(good.validate().isEmpty, "\(good.validate())")
        #expect(good.resolvingPaths(against: "/etc/verbund").publicTLS == .init(certificate: "/etc/verbund/public.pem",
                                                                               key: "/etc/verbund/public.key"))
        let cases: [(String, (inout ConnectorConfiguration) -> Void)] = [
            ("publicListen", { $0.publicListen = "somewhere" }),
            ("publicTLS", { $0.publicListen = nil; $0.publicBaseURL = nil }),
            ("publicTLS.certificate", { $0.publicTLS?.certificate = "" }),
            ("publicTLS.key", { $0.publicTLS?.key = "" }),
            ("publicBaseURL", { $0.publicBaseURL = "https://t.example/?x=1" }),
            ("publicBaseURL", { $0.publicBaseURL = "ftp://t.example/" }),
            ("publicCatalog.contributorID", { $0.publicCatalog?.contributorID = "https://example.org/me" }),
            ("publicCatalog.homepage", { $0.publicCatalog?.homepage = "nowhere" }),
            ("publicCatalog.title", { $0.publicCatalog?.title = " " }),
        ]
        for (field, change) in cases {
            var bad = good
            change(&bad)
            #expect(bad.validate().map(\.field).contains(field), "\(field): \(bad.validate())")
        }
        var unlistened = Self.configuration()
        unlistened.publicBaseURL = "https://t.example"
        #expect(unlistened.validate().map(\.field) == ["publicBaseURL"])
    }

    static func publish(_ change: (inout DatasetPublication) -> Void) throws(CatalogPublishError) -> DatasetRecord {
        var publication = DatasetPublication(file: "/srv/x.csv", title: "Parken", description: "Belegung", id: "parken")
        change(&publication)
        return try publication.record(publisher: .init(id: "urn:verbund:t:jena", name: "Jena"), spatial: [], now: day,
                                      digest: { _ throws(CatalogPublishError) in (1, String(repeating: "a", count: 64)) })
    }

    @Test func publishTakesTemporalAccessRightsAndConformsTo() throws {
        let record = try Self.publish {
            $0.temporal = .init(start: "2024-01-01", end: "2024-12-31T23:59:59Z")
            $0.accessRights = "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"
            $0.conformsTo = ["https://schema.example.org/parken", "https://schema.example.org/parken"]
        }
        #expect(record.temporal?.start == XSDDateTime.parse("2024-01-01") && record.temporal?.end == XSDDateTime.parse("2024-12-31T23:59:59Z"))
        #expect(record.metadata?.accessRights == "http://publications.europa.eu/resource/authority/access-right/RESTRICTED")
        #expect(record.metadata?.conformsTo == ["https://schema.example.org/parken"])
        let dataset = try CatalogRendering.dataset(record, service: DataService(id: "urn:s", endpointURL: "https://x/dsp"), inlineService: true)
        #expect(dataset.properties["dct:accessRights"] == ["@id": "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"])
        #expect(dataset.properties["dct:conformsTo"] == [["@id": "https://schema.example.org/parken"]])
        #expect(dataset.properties["dct:temporal"] != nil)
    }

    @Test func publishRefusesWhatIsMissingOrMalformedNamingTheField() {
        let cases: [(String, (inout DatasetPublication) -> Void)] = [
            ("description", { $0.description = nil }),
            ("description", { $0.description = " \n " }),
            ("accessRights", { $0.accessRights = "PUBLIC" }),
            ("accessRights", { $0.accessRights = "http://publications.europa.eu/resource/authority/access-right/OPEN" }),
            ("temporal", { $0.temporal = .init() }),
            ("temporal", { $0.temporal = .init(start: "2025-01-02", end: "2025-01-01") }),
            ("temporal.start", { $0.temporal = .init(start: "2025-13-01") }),
            ("temporal.end", { $0.temporal = .init(end: "gestern") }),
            ("conformsTo", { $0.conformsTo = ["kein iri"] }),
            ("conformsTo", { $0.conformsTo = ["https://x.example/<a>"] }),
            ("conformsTo", { $0.conformsTo = (0...20).map { "https://x.example/\($0)" } }),
        ]
        for (field, change) in cases {
            do {
                _ = try Self.publish(change)
                Issue.record("published despite a bad \(field)")
            } catch {
                guard case let .invalidField(name, _) = error else { Issue.record("\(error)"); continue }
                #expect(name == field, "\(error)")
            }
        }
    }

    @Test func theAPIRefusesAPublicationWithoutDescriptionNamingIt() throws {
        let federation = try FederationFixture(members: ["a"])
        let harness = try RouteHarness(federation, member: "a", modules: [CatalogModule(crawls: false)])
        let answer = try harness.management(.post, "/api/catalog/datasets", body: Array(#"{"file":"/tmp/x.csv","title":"X"}"#.utf8))
        #expect(answer.code == 400 && answer.text.contains("description: a dataset needs a description"), "\(answer.text)")
        let typed = try harness.management(.post, "/api/catalog/datasets",
                                           body: Array(#"{"file":"/tmp/x.csv","title":"X","description":"D","transparency":"ja"}"#.utf8))
        #expect(typed.code == 400 && typed.text.contains("transparency"), "\(typed.text)")
    }
}
