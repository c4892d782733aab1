/// The DCAT-AP.de property keys Verbund writes. `dct:`, `dcat:` and `xsd:` are prefixes of the DSP 2025-1
/// context itself, so these compact IRIs expand with that context alone (the DSP TCK expands catalogs with
/// nothing else). SPDX and FOAF have no prefix there, and the 2025-1 schema allows only strings in
/// `@context`, so their terms are written as full IRIs.
enum DCATTerm {
    static let title = "dct:title"
    static let description = "dct:description"
    static let keyword = "dcat:keyword"
    static let theme = "dcat:theme"
    static let license = "dct:license"
    static let publisher = "dct:publisher"
    static let issued = "dct:issued"
    static let modified = "dct:modified"
    static let spatial = "dct:spatial"
    static let accrualPeriodicity = "dct:accrualPeriodicity"
    static let temporal = "dct:temporal"
    static let periodOfTime = "dct:PeriodOfTime"
    static let startDate = "dcat:startDate"
    static let endDate = "dcat:endDate"
    static let accessRights = "dct:accessRights"
    static let conformsTo = "dct:conformsTo"
    static let identifier = "dct:identifier"
    /// DCAT-AP's planned availability; `dcatap:` is no prefix of the DSP context.
    static let availability = "http://data.europa.eu/r5r/availability"
    static let accessURL = "dcat:accessURL"
    static let byteSize = "dcat:byteSize"
    static let mediaType = "dcat:mediaType"
    static let checksum = "http://spdx.org/rdf/terms#checksum"
    static let checksumClass = "http://spdx.org/rdf/terms#Checksum"
    static let checksumAlgorithm = "http://spdx.org/rdf/terms#algorithm"
    static let sha256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
    static let checksumValue = "http://spdx.org/rdf/terms#checksumValue"
    static let agent = "http://xmlns.com/foaf/0.1/Agent"
    static let name = "http://xmlns.com/foaf/0.1/name"
    static let mediaTypes = "https://www.iana.org/assignments/media-types/"
    static let xsdDateTime = "xsd:dateTime"
    static let xsdNonNegativeInteger = "xsd:nonNegativeInteger"
    static let xsdHexBinary = "xsd:hexBinary"
}
