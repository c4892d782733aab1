import Foundation
import VerbundDataspace
@testable import VerbundConnector

/// Five realistic datasets of one city (Nürnberg, a GovData contributor), published through the real publish path
/// (`DatasetPublication.record`, with the file's size and SHA-256 given instead of read), with the further DCAT-AP.de
/// metadata a city fills in. The catalog description is what connector.json and the member record give.
enum DCATFixture {
    static let participant = "urn:verbund:franken:nuernberg"
    static let publisher = DatasetRecord.Publisher(id: participant, name: "Stadt Nürnberg")
    static let municipality = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/09564000"
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let theme = "http://publications.europa.eu/resource/authority/data-theme/"

    static let catalog = DCATCatalogDescription(
        title: "Offene Daten der Stadt Nürnberg",
        description: "Datensätze, die die Stadt Nürnberg über ihren Verbund-Connector bereitstellt.",
        publisher: publisher, homepage: "https://www.nuernberg.de/internet/opendata/",
        contributorID: "http://dcat-ap.de/def/contributors/stadtNuernberg", spatial: [municipality],
        endpoint: "https://verbund.nuernberg.example/dsp",
        downloadURLs: [budget: OpenDownload.url(base: "https://opendata.nuernberg.example", id: budget)])

    /// The open dataset of the fixture (the city's budget, listed with a public download URL).
    static let budget = "urn:uuid:6f1c2b4e-8a1d-4c8e-9f27-3d5b0e7a9c11"

    struct Sample {
        var id: String
        var file: String
        var title: String
        var description: String
        var keywords: [String]
        var theme: String
        var license: String
        var size: Int64
        var metadata: DatasetMetadata
        var temporal: DatasetRecord.TemporalCoverage?
        var refreshEvery: String?
    }

    static let contact = DatasetMetadata.ContactPoint(name: "Amt für Digitalisierung, Open Data", email: "opendata@stadt.nuernberg.example",
                                                      phone: "+49 911 231-0")

    static let samples: [Sample] = [
        Sample(id: "nuernberg-parkhaus-belegung", file: "/srv/data/parkhaeuser.csv", title: "Parkhausbelegung Nürnberg",
               description: "Freie Stellplätze der städtischen Parkhäuser, alle 15 Minuten.",
               keywords: ["Verkehr", "Parken", "Echtzeit"], theme: theme + "TRAN",
               license: "http://dcat-ap.de/def/licenses/dl-by-de/2.0", size: 1_482_113,
               metadata: DatasetMetadata(titleEnglish: "Car park occupancy Nuremberg", contactPoint: contact,
                                         landingPage: "https://www.nuernberg.de/internet/opendata/parken.html"),
               refreshEvery: "15m"),
        Sample(id: "nuernberg-luftqualitaet", file: "/srv/data/luft.json", title: "Luftqualität Nürnberg",
               description: "Stündliche Messwerte für NO2, PM10 und PM2.5 an drei Messstationen.",
               keywords: ["Umwelt", "Luftqualität"], theme: theme + "ENVI",
               license: "http://dcat-ap.de/def/licenses/cc-by/4.0", size: 98_211,
               metadata: DatasetMetadata(contactPoint: contact, conformsTo: ["https://www.umweltbundesamt.de/daten/luft"]),
               temporal: .init(start: Date(timeIntervalSince1970: 1_767_225_600), end: nil), refreshEvery: "1h"),
        Sample(id: "nuernberg-radzaehlung", file: "/srv/data/rad.csv", title: "Radzählstellen Nürnberg",
               description: "Stündliche Zählungen an sechs Radzählstellen.\nQuelle: Verkehrsplanungsamt.",
               keywords: ["Verkehr", "Radverkehr"], theme: theme + "TRAN",
               license: "http://dcat-ap.de/def/licenses/dl-zero-de/2.0", size: 230_000,
               metadata: DatasetMetadata(contactPoint: DatasetMetadata.ContactPoint(name: "Verkehrsplanungsamt", email: "radverkehr@stadt.nuernberg.example",
                                                                                   phone: "+49 911 231-4600"),
                                         landingPage: "https://www.nuernberg.de/internet/verkehrsplanung/radverkehr.html")),
        Sample(id: "urn:uuid:6f1c2b4e-8a1d-4c8e-9f27-3d5b0e7a9c11", file: "/srv/data/haushalt-2026.xlsx",
               title: "Haushaltsplan 2026", description: "Erträge und Aufwendungen nach Produktgruppen.",
               keywords: ["Haushalt", "Finanzen"], theme: theme + "GOVE",
               license: "http://dcat-ap.de/def/licenses/dl-by-de/2.0", size: 2_400_000,
               metadata: DatasetMetadata(contactPoint: DatasetMetadata.ContactPoint(name: "Kämmerei", email: "kaemmerei@stadt.nuernberg.example"),
                                         identifier: "HH-2026", contributorID: "http://dcat-ap.de/def/contributors/stadtNuernberg",
                                         accessRights: "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
                                         availability: "http://publications.europa.eu/resource/authority/planned-availability/STABLE",
                                         maintainer: .init(name: "Kämmerei der Stadt Nürnberg", email: "kaemmerei@stadt.nuernberg.example",
                                                           homepage: "https://www.nuernberg.de/internet/kaemmerei/"),
                                         originator: .init(name: "Stadtrat Nürnberg"))),
        Sample(id: "nuernberg-baumkataster", file: "/srv/data/baeume.geojson", title: "Baumkataster Nürnberg",
               description: "Standorte, Arten und Pflanzjahre der Straßenbäume \"im Stadtgebiet\" <Stand 2026>.",
               keywords: ["Umwelt", "Bäume", "Geodaten"], theme: theme + "ENVI",
               license: "http://dcat-ap.de/def/licenses/cc-by/4.0", size: 12_345_678,
               metadata: DatasetMetadata(contactPoint: contact,
                                         availability: "http://publications.europa.eu/resource/authority/planned-availability/AVAILABLE",
                                         maintainer: .init(name: "Servicebetrieb Öffentlicher Raum", homepage: "https://www.nuernberg.de/internet/soer/"))),
    ]

    static func records() throws -> [DatasetRecord] {
        try samples.enumerated().map { index, sample in
            var publication = DatasetPublication(
                file: sample.file, title: sample.title, description: sample.description, keywords: sample.keywords,
                theme: sample.theme, license: sample.license, id: sample.id)
            publication.refreshEvery = sample.refreshEvery
            let sha = String(repeating: String(format: "%02x", index + 10), count: 32)
            var record = try publication.record(publisher: publisher, spatial: [municipality], now: now,
                                                digest: { _ throws(CatalogPublishError) in (sample.size, sha) })
            record.metadata = sample.metadata
            record.temporal = sample.temporal
            return record
        }
    }
}
