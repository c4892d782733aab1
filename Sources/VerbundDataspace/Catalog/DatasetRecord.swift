import Foundation

/// A city's own description of a dataset it publishes, with the DCAT-AP.de properties municipal portals use
/// (DCAT 3 and Dublin Core terms), its checksum and its usage offers. `CatalogRendering` turns it into the DSP
/// `Dataset` object of the catalog protocol.
package struct DatasetRecord: Sendable, Hashable, Codable {
    package var id: String
    package var title: String
    package var description: String?
    /// BCP 47 language of title, description and keywords.
    package var language: String
    package var keywords: [String]
    /// Theme IRIs, e.g. `http://publications.europa.eu/resource/authority/data-theme/TRAN`.
    package var themes: [String]
    /// License IRI, e.g. `http://dcat-ap.de/def/licenses/dl-by-de/2.0`.
    package var license: String?
    package var publisher: Publisher?
    package var issued: Date?
    package var modified: Date?
    package var byteSize: Int64?
    /// IANA media type, e.g. `text/csv`.
    package var mediaType: String?
    /// SHA-256 of the data, lowercase hex.
    package var checksumSHA256: String?
    /// Spatial coverage IRIs, e.g. `http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16051000`.
    package var spatial: [String]
    package var temporal: TemporalCoverage?
    /// The further DCAT-AP.de metadata (contact point, landing page, …); nil on records published before it existed.
    package var metadata: DatasetMetadata?
    /// Usage offers, written without `target` (the dataset is the target).
    package var offers: [Offer]
    /// For file datasets: the SHA-256 of the snapshot served now (lowercase hex); changes with each refresh.
    package var version: String?
    /// How often the dataset is refreshed, as an EU frequency IRI
    /// (`http://publications.europa.eu/resource/authority/frequency/DAILY`); rendered as `dct:accrualPeriodicity`.
    package var accrualPeriodicity: String?
    /// What a transfer of this dataset serves; nil is a file (records written before API datasets existed).
    package var kind: DatasetKind? = nil

    package struct Publisher: Sendable, Hashable, Codable {
        package var id: String
        package var name: String

        package init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    package struct TemporalCoverage: Sendable, Hashable, Codable {
        package var start: Date?
        package var end: Date?

        package init(start: Date?, end: Date?) {
            self.start = start
            self.end = end
        }
    }

    package init(
        id: String, title: String, description: String? = nil, language: String = "de", keywords: [String] = [],
        themes: [String] = [], license: String? = nil, publisher: Publisher? = nil, issued: Date? = nil,
        modified: Date? = nil, byteSize: Int64? = nil, mediaType: String? = nil, checksumSHA256: String? = nil,
        spatial: [String] = [], temporal: TemporalCoverage? = nil, metadata: DatasetMetadata? = nil,
        offers: [Offer] = [], version: String? = nil, accrualPeriodicity: String? = nil
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.language = language
        self.keywords = keywords
        self.themes = themes
        self.license = license
        self.publisher = publisher
        self.issued = issued
        self.modified = modified
        self.byteSize = byteSize
        self.mediaType = mediaType
        self.checksumSHA256 = checksumSHA256
        self.spatial = spatial
        self.temporal = temporal
        self.metadata = metadata
        self.offers = offers
        self.version = version
        self.accrualPeriodicity = accrualPeriodicity
    }
}
