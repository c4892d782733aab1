import Foundation

/// Why a dataset record cannot be published in a catalog.
package enum CatalogRenderingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// DSP requires at least one Offer per dataset.
    case noOffer(dataset: String)
    /// An offer uses something the policy evaluator cannot enforce (fail closed).
    case unpublishablePolicy(dataset: String, offer: String, PolicyValidationError)
    /// Two offers of the dataset share an `@id`; DSP requires each to be unique.
    case duplicateOfferID(dataset: String, offer: String)

    package var description: String {
        switch self {
        case .noOffer(let dataset):
            return "dataset \(dataset) has no usage offer; add at least one policy before publishing it"
        case .unpublishablePolicy(let dataset, let offer, let error):
            return "dataset \(dataset), offer \(offer) cannot be published: \(error)"
        case .duplicateOfferID(let dataset, let offer):
            return "dataset \(dataset) lists offer \(offer) twice; offer ids must be unique"
        }
    }
}

/// Renders Verbund's dataset records as DSP 2025-1 `Dataset` and `Catalog` objects with DCAT-AP.de metadata.
/// Offers are normalised and validated first, so nothing unenforceable is published.
package enum CatalogRendering {
    /// The transfer formats Verbund serves (docs/design.md §16 "Data plane").
    package static let formats = ["HttpData-PULL", "HttpData-PUSH"]

    /// The catalog answer to a `CatalogRequestMessage`: each distribution holds `service` inline (a reference by id
    /// would be a plain string, which RDF reads as a literal, not a `dcat:DataService`; docs/dcat-ap-de.md).
    package static func catalog(id: String, participantId: String, service: DataService, records: [DatasetRecord],
                               properties: [String: JSONValue] = [:]) throws(CatalogRenderingError) -> Catalog {
        var datasets: [Dataset] = []
        for record in records {
            datasets.append(try dataset(record, service: service, inlineService: true))
        }
        return Catalog(id: id, participantId: participantId, dataset: datasets, service: [service],
                       properties: properties)
    }

    /// One dataset. `inlineService` writes the data service into each distribution, as the answer to
    /// `GET /catalog/datasets/:id` needs (there is no enclosing catalog listing the service).
    package static func dataset(_ record: DatasetRecord, service: DataService,
                               inlineService: Bool) throws(CatalogRenderingError) -> Dataset {
        guard !record.offers.isEmpty else { throw .noOffer(dataset: record.id) }
        var offers: [Offer] = []
        for offer in record.offers {
            let normalized = offer.normalized().withoutTarget
            do {
                try PolicyValidator.validate(normalized)
            } catch {
                throw .unpublishablePolicy(dataset: record.id, offer: offer.id, error)
            }
            if offers.contains(where: { $0.id == offer.id }) {
                throw .duplicateOfferID(dataset: record.id, offer: offer.id)
            }
            offers.append(normalized)
        }
        let access: Distribution.AccessService = inlineService ? .inline(service) : .reference(service.id)
        // DCAT-AP.de makes `dcat:accessURL` mandatory: the DSP endpoint the data is reached through.
        var properties = distributionProperties(record)
        properties[DCATTerm.accessURL] = reference(service.endpointURL)
        let distributions = formats.map { format in
            Distribution(format: format, accessService: access, properties: properties)
        }
        return Dataset(id: record.id, hasPolicy: offers, distribution: distributions,
                       properties: datasetProperties(record))
    }

    static func datasetProperties(_ record: DatasetRecord) -> [String: JSONValue] {
        var properties: [String: JSONValue] = [DCATTerm.title: text(record.title, record.language)]
        if let description = record.description {
            properties[DCATTerm.description] = text(description, record.language)
        }
        if !record.keywords.isEmpty {
            properties[DCATTerm.keyword] = .array(record.keywords.map { text($0, record.language) })
        }
        if !record.themes.isEmpty { properties[DCATTerm.theme] = .array(record.themes.map(reference)) }
        if let publisher = record.publisher {
            properties[DCATTerm.publisher] = .object([
                "@id": .string(publisher.id), "@type": .string(DCATTerm.agent), DCATTerm.name: .string(publisher.name),
            ])
        }
        if let issued = record.issued { properties[DCATTerm.issued] = dateTime(issued) }
        if let modified = record.modified { properties[DCATTerm.modified] = dateTime(modified) }
        if !record.spatial.isEmpty { properties[DCATTerm.spatial] = .array(record.spatial.map(reference)) }
        if let frequency = record.accrualPeriodicity { properties[DCATTerm.accrualPeriodicity] = reference(frequency) }
        if let rights = record.metadata?.accessRights { properties[DCATTerm.accessRights] = reference(rights) }
        if let identifier = record.metadata?.identifier { properties[DCATTerm.identifier] = .string(identifier) }
        if let availability = record.metadata?.availability { properties[DCATTerm.availability] = reference(availability) }
        if let standards = record.metadata?.conformsTo, !standards.isEmpty {
            properties[DCATTerm.conformsTo] = .array(standards.map(reference))
        }
        if let temporal = record.temporal, temporal.start != nil || temporal.end != nil {
            var period: [String: JSONValue] = ["@type": .string(DCATTerm.periodOfTime)]
            if let start = temporal.start { period[DCATTerm.startDate] = dateTime(start) }
            if let end = temporal.end { period[DCATTerm.endDate] = dateTime(end) }
            properties[DCATTerm.temporal] = .object(period)
        }
        return properties
    }

    static func distributionProperties(_ record: DatasetRecord) -> [String: JSONValue] {
        var properties: [String: JSONValue] = [:]
        // DCAT-AP.de puts the license on the distribution.
        if let license = record.license { properties[DCATTerm.license] = reference(license) }
        if let byteSize = record.byteSize {
            properties[DCATTerm.byteSize] = typed(String(byteSize), DCATTerm.xsdNonNegativeInteger)
        }
        if let mediaType = record.mediaType {
            properties[DCATTerm.mediaType] = reference(DCATTerm.mediaTypes + mediaType)
        }
        if let checksum = record.checksumSHA256 {
            properties[DCATTerm.checksum] = .object([
                "@type": .string(DCATTerm.checksumClass),
                DCATTerm.checksumAlgorithm: reference(DCATTerm.sha256),
                DCATTerm.checksumValue: typed(checksum.lowercased(), DCATTerm.xsdHexBinary),
            ])
        }
        return properties
    }

    static func text(_ value: String, _ language: String) -> JSONValue {
        .object(["@value": .string(value), "@language": .string(language)])
    }

    static func reference(_ iri: String) -> JSONValue {
        .object(["@id": .string(iri)])
    }

    static func typed(_ value: String, _ type: String) -> JSONValue {
        .object(["@value": .string(value), "@type": .string(type)])
    }

    static func dateTime(_ date: Date) -> JSONValue {
        typed(XSDDateTime.format(date), DCATTerm.xsdDateTime)
    }
}
