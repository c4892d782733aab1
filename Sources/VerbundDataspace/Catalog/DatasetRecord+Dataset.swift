import Foundation

extension DatasetRecord {
    /// Reads a record back from a peer's catalog dataset, for local browsing and querying of crawled
    /// catalogs. Properties that are missing or in another shape are left empty; the offers are kept as listed.
    package init(dataset: Dataset) {
        let properties = dataset.properties
        let distribution = dataset.distribution.first?.properties ?? [:]
        func text(_ value: JSONValue?) -> String? {
            value?.stringValue ?? value?["@value"]?.stringValue
        }
        func texts(_ value: JSONValue?) -> [String] {
            guard let value else { return [] }
            return (value.arrayValue ?? [value]).compactMap(text)
        }
        func references(_ value: JSONValue?) -> [String] {
            guard let value else { return [] }
            return (value.arrayValue ?? [value]).compactMap { $0["@id"]?.stringValue ?? $0.stringValue }
        }
        func date(_ value: JSONValue?) -> Date? { text(value).flatMap(XSDDateTime.parse) }

        let mediaType = references(distribution[DCATTerm.mediaType]).first.map { iri in
            iri.hasPrefix(DCATTerm.mediaTypes) ? String(iri.dropFirst(DCATTerm.mediaTypes.count)) : iri
        }
        let checksum = distribution[DCATTerm.checksum]
        let publisher = properties[DCATTerm.publisher].flatMap { value -> Publisher? in
            guard let id = value["@id"]?.stringValue else { return nil }
            return Publisher(id: id, name: text(value[DCATTerm.name]) ?? id)
        }
        let temporal = properties[DCATTerm.temporal].map {
            TemporalCoverage(start: date($0[DCATTerm.startDate]), end: date($0[DCATTerm.endDate]))
        }
        self.init(
            id: dataset.id,
            title: text(properties[DCATTerm.title]) ?? dataset.id,
            description: text(properties[DCATTerm.description]),
            language: properties[DCATTerm.title]?["@language"]?.stringValue ?? "de",
            keywords: texts(properties[DCATTerm.keyword]),
            themes: references(properties[DCATTerm.theme]),
            license: references(distribution[DCATTerm.license]).first,
            publisher: publisher,
            issued: date(properties[DCATTerm.issued]),
            modified: date(properties[DCATTerm.modified]),
            byteSize: text(distribution[DCATTerm.byteSize]).flatMap { Int64($0) },
            mediaType: mediaType,
            checksumSHA256: text(checksum?[DCATTerm.checksumValue]),
            spatial: references(properties[DCATTerm.spatial]),
            temporal: temporal,
            offers: dataset.hasPolicy,
            accrualPeriodicity: references(properties[DCATTerm.accrualPeriodicity]).first)
    }
}
