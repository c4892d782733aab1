import Foundation

/// The DCAT-AP.de version an export declares and follows. They differ in political geocoding (3.0 puts the key in
/// `dct:spatial`; 2.0 wants `dcatde:politicalGeocodingURI` with `dcatde:politicalGeocodingLevelURI`), in the datatype
/// of `dcat:byteSize` (3.0 `xsd:nonNegativeInteger`, 2.0 `xsd:decimal`) and in the `dct:conformsTo` of the catalog.
package enum DCATAPDEProfile: String, Sendable, CaseIterable {
    case v2 = "2.0"
    case v3 = "3.0"

    /// The specification IRI written as the catalog's `dct:conformsTo`.
    package var specification: String {
        switch self {
        case .v2: return "http://dcat-ap.de/def/dcatde/2.0"
        case .v3: return "http://dcat-ap.de/def/dcatde/3.0"
        }
    }

    /// Who maintains and who originated a dataset: 3.0 deprecates `dcatde:maintainer`/`dcatde:originator`
    /// (`v3.0/dcat-ap-de-deprecated.ttl`) for GeoDCAT-AP's `geodcatap:custodian`/`geodcatap:originator`.
    package var maintainerProperty: String {
        self == .v2 ? RDFNamespace.dcatde + "maintainer" : RDFNamespace.geodcatap + "custodian"
    }

    package var originatorProperty: String {
        self == .v2 ? RDFNamespace.dcatde + "originator" : RDFNamespace.geodcatap + "originator"
    }

    package var byteSizeDatatype: String {
        switch self {
        case .v2: return RDFNamespace.xsd + "decimal"
        case .v3: return RDFNamespace.xsd + "nonNegativeInteger"
        }
    }
}

/// The catalog-level description of a city's harvest export (connector.json `catalog`, or derived from the member).
package struct DCATCatalogDescription: Sendable, Hashable {
    package var title: String
    package var description: String
    package var publisher: DatasetRecord.Publisher
    package var homepage: String?
    /// `dcatde:contributorID` IRI, e.g. `http://dcat-ap.de/def/contributors/…`.
    package var contributorID: String?
    /// Political geocoding IRIs of the catalog, e.g. the member's municipality key.
    package var spatial: [String]
    /// The connector's DSP endpoint URL: the data service's `dcat:endpointURL`, every distribution's
    /// `dcat:accessURL`, and the base the relative dataset and offer ids are resolved against.
    package var endpoint: String
    /// The public download URL of each open dataset, by dataset id (`<publicBaseURL>/open/<id>`). A dataset listed
    /// here gets it as `dcat:downloadURL` and `dcat:accessURL` and is PUBLIC; every other is metadata only: RESTRICTED
    /// unless its record says otherwise, reached through the DSP data service under a contract.
    package var downloadURLs: [String: String] = [:]

    package init(title: String, description: String, publisher: DatasetRecord.Publisher, homepage: String? = nil,
                 contributorID: String? = nil, spatial: [String] = [], endpoint: String, downloadURLs: [String: String] = [:]) {
        self.downloadURLs = downloadURLs
        self.title = title
        self.description = description
        self.publisher = publisher
        self.homepage = homepage
        self.contributorID = contributorID
        self.spatial = spatial
        self.endpoint = endpoint
    }

    /// Datasets are at `<endpoint>/catalog/datasets/<id>` (the DSP dataset route answers there).
    package var datasetBase: String { catalogIRI + "/datasets/" }
    package var catalogIRI: String { (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + "/catalog" }
    package var serviceIRI: String { endpoint }
}

/// One page of a paged export (Hydra Core: `hydra:PartialCollectionView`, with the older `hydra:PagedCollection`
/// terms CKAN's ckanext-dcat reads). Links are absolute; `next` is absent on the last page.
package struct DCATPage: Sendable, Hashable {
    package var iri: String
    package var first: String
    package var last: String
    package var next: String?
    package var previous: String?
    package var totalItems: Int
    package var itemsPerPage: Int

    package init(iri: String, first: String, last: String, next: String?, previous: String?, totalItems: Int, itemsPerPage: Int) {
        self.iri = iri
        self.first = first
        self.last = last
        self.next = next
        self.previous = previous
        self.totalItems = totalItems
        self.itemsPerPage = itemsPerPage
    }
}

/// Absolute IRIs for the ids of the DCAT views. The DSP `@id`s stay as peers know them; in the DCAT-AP.de graph an
/// id that is already absolute (it has a scheme, like `urn:uuid:…`) is kept, a relative one (`jena-parkhaus`,
/// `jena-parkhaus#offer`) is resolved against the dataset base (RFC 3986 §5.2; the ids hold no `/`, `?` or `..`).
/// Characters an IRI cannot hold (RFC 3987 §2.2: space, `<>"{}|\^` and controls) are percent-encoded.
package enum DCATIRI {
    package static func resolve(_ id: String, base: String) -> String {
        encode(isAbsolute(id) ? id : base + id)
    }

    package static func isAbsolute(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), let first = text.first, first.isASCII, first.isLetter else { return false }
        return text[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }

    static func encode(_ iri: String) -> String { RDFLabel.iri(iri) }
}
