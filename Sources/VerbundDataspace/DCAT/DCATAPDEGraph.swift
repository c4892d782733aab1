import Foundation

/// Builds the DCAT-AP.de graph of a city's catalog (one page of it) from its dataset records, following the profile
/// it declares. docs/dcat-ap-de.md has the mapping table; the SHACL shapes of `shared/dcat-ap-de` are the proof.
package struct DCATAPDEGraph {
    package var catalog: DCATCatalogDescription
    package var profile: DCATAPDEProfile

    package init(catalog: DCATCatalogDescription, profile: DCATAPDEProfile) {
        self.catalog = catalog
        self.profile = profile
    }

    typealias NS = RDFNamespace
    static let rdfType = NS.rdf + "type"
    static let xsdDateTime = NS.xsd + "dateTime"

    package func graph(_ records: [DatasetRecord], page: DCATPage? = nil) -> RDFGraph {
        var graph = RDFGraph()
        let catalogNode = RDFTerm.iri(DCATIRI.encode(catalog.catalogIRI))
        let service = RDFTerm.iri(DCATIRI.encode(catalog.serviceIRI))
        let publisher = agent(catalog.publisher, into: &graph)
        graph.add(catalogNode, Self.rdfType, .iri(NS.dcat + "Catalog"))
        graph.add(catalogNode, NS.dct + "title", .text(catalog.title, "de"))
        graph.add(catalogNode, NS.dct + "description", .text(catalog.description, "de"))
        graph.add(catalogNode, NS.dct + "publisher", publisher)
        graph.add(catalogNode, NS.dct + "conformsTo", .iri(profile.specification))
        graph.add(catalogNode, NS.dct + "language", .iri(Self.language("de")))
        graph.add(catalogNode, NS.foaf + "homepage", catalog.homepage.map { .iri(DCATIRI.encode($0)) })
        graph.add(catalogNode, NS.dcatde + "contributorID", catalog.contributorID.map { .iri(DCATIRI.encode($0)) })
        addGeocoding(catalog.spatial, level: nil, to: catalogNode, into: &graph)
        graph.add(catalogNode, NS.dcat + "service", service)
        graph.add(service, Self.rdfType, .iri(NS.dcat + "DataService"))
        graph.add(service, NS.dct + "title", .text("Dataspace Protocol endpoint of \(catalog.title)", "en"))
        graph.add(service, NS.dct + "publisher", publisher)
        graph.add(service, NS.dcat + "endpointURL", service)
        graph.add(service, NS.dct + "conformsTo", .iri("https://w3id.org/dspace/2025/1"))
        for (index, record) in records.enumerated() {
            let dataset = RDFTerm.iri(DCATIRI.resolve(record.id, base: catalog.datasetBase))
            graph.add(catalogNode, NS.dcat + "dataset", dataset)
            graph.add(service, NS.dcat + "servesDataset", dataset)
            add(record, index: index, as: dataset, service: service, into: &graph)
        }
        if let page { add(page, into: &graph) }
        return graph
    }

    /// Blank-node labels carry the record's position, never its id: two ids that differ only in characters a label
    /// cannot hold must not share a contact point.
    private func add(_ record: DatasetRecord, index: Int, as dataset: RDFTerm, service: RDFTerm, into graph: inout RDFGraph) {
        let meta = record.metadata ?? DatasetMetadata()
        let language = record.language
        graph.add(dataset, Self.rdfType, .iri(NS.dcat + "Dataset"))
        graph.add(dataset, NS.dct + "title", .text(record.title, language))
        graph.add(dataset, NS.dct + "title", meta.titleEnglish.map { .text($0, "en") })
        graph.add(dataset, NS.dct + "description", .text(record.description ?? record.title, language))
        graph.add(dataset, NS.dct + "description", meta.descriptionEnglish.map { .text($0, "en") })
        guard case .iri(let datasetIRI) = dataset else { return }
        graph.add(dataset, NS.dct + "identifier", .text(meta.identifier ?? datasetIRI))
        for keyword in record.keywords.compactMap(CKANKeyword.fitted) {
            graph.add(dataset, NS.dcat + "keyword", .text(keyword, language))
        }
        for theme in record.themes { graph.add(dataset, NS.dcat + "theme", .iri(DCATIRI.encode(theme))) }
        let publisher = record.publisher.map { agent($0, into: &graph) } ?? agent(catalog.publisher, into: &graph)
        graph.add(dataset, NS.dct + "publisher", publisher)
        graph.add(dataset, NS.dcatde + "contributorID",
                  (meta.contributorID ?? catalog.contributorID).map { .iri(DCATIRI.encode($0)) })
        graph.add(dataset, NS.dct + "issued", record.issued.map { .typed(XSDDateTime.format($0), Self.xsdDateTime) })
        graph.add(dataset, NS.dct + "modified", record.modified.map { .typed(XSDDateTime.format($0), Self.xsdDateTime) })
        graph.add(dataset, NS.dct + "language", .iri(Self.language(language)))
        graph.add(dataset, NS.dct + "accrualPeriodicity", record.accrualPeriodicity.map { .iri(DCATIRI.encode($0)) })
        addGeocoding(record.spatial, level: meta.politicalGeocodingLevel, to: dataset, into: &graph)
        if let temporal = record.temporal, temporal.start != nil || temporal.end != nil {
            let period = RDFTerm.blank("temporal\(index)")
            graph.add(dataset, NS.dct + "temporal", period)
            graph.add(period, Self.rdfType, .iri(NS.dct + "PeriodOfTime"))
            graph.add(period, NS.dcat + "startDate", temporal.start.map { .typed(XSDDateTime.format($0), Self.xsdDateTime) })
            graph.add(period, NS.dcat + "endDate", temporal.end.map { .typed(XSDDateTime.format($0), Self.xsdDateTime) })
        }
        if let contact = meta.contactPoint {
            let node = RDFTerm.blank("contact\(index)")
            graph.add(dataset, NS.dcat + "contactPoint", node)
            graph.add(node, Self.rdfType, .iri(NS.vcard + "Organization"))
            graph.add(node, NS.vcard + "fn", .text(contact.name))
            graph.add(node, NS.vcard + "hasEmail", contact.email.map { .iri(DCATIRI.encode("mailto:" + $0)) })
            graph.add(node, NS.vcard + "hasTelephone", contact.phone.map {
                .iri(DCATIRI.encode("tel:" + $0.filter { !$0.isWhitespace }))
            })
            graph.add(node, NS.vcard + "hasURL", contact.url.map { .iri(DCATIRI.encode($0)) })
        }
        graph.add(dataset, NS.dcat + "landingPage", meta.landingPage.map { .iri(DCATIRI.encode($0)) })
        // Open data names its public download; everything else is metadata only, reached under a contract.
        let download = catalog.downloadURLs[record.id]
        graph.add(dataset, NS.dct + "accessRights",
                  .iri(DCATIRI.encode(meta.accessRights ?? (download == nil ? Self.restricted : Self.publicAccess))))
        for standard in meta.conformsTo ?? [] { graph.add(dataset, NS.dct + "conformsTo", .iri(DCATIRI.encode(standard))) }
        graph.add(dataset, "http://data.europa.eu/r5r/availability", meta.availability.map { .iri(DCATIRI.encode($0)) })
        for (property, agent) in [(profile.maintainerProperty, meta.maintainer), (profile.originatorProperty, meta.originator)] {
            guard let agent else { continue }
            let node = RDFTerm.blank((property == profile.maintainerProperty ? "maintainer" : "originator") + "\(index)")
            graph.add(dataset, property, node)
            graph.add(node, Self.rdfType, .iri(NS.foaf + "Agent"))
            graph.add(node, NS.foaf + "name", .text(agent.name))
            graph.add(node, NS.foaf + "mbox", agent.email.map { .iri(DCATIRI.encode("mailto:" + $0)) })
            graph.add(node, NS.foaf + "homepage", agent.homepage.map { .iri(DCATIRI.encode($0)) })
        }
        let distribution = RDFTerm.iri(datasetIRI + (datasetIRI.contains("#") ? "-distribution" : "#distribution"))
        graph.add(dataset, NS.dcat + "distribution", distribution)
        addDistribution(record, meta, index: index, distribution, service: service, download: download, into: &graph)
    }

    static let accessRights = "http://publications.europa.eu/resource/authority/access-right/"
    static let publicAccess = accessRights + "PUBLIC"
    static let restricted = accessRights + "RESTRICTED"

    private func addDistribution(_ record: DatasetRecord, _ meta: DatasetMetadata, index: Int, _ distribution: RDFTerm,
                                 service: RDFTerm, download: String?, into graph: inout RDFGraph) {
        graph.add(distribution, Self.rdfType, .iri(NS.dcat + "Distribution"))
        graph.add(distribution, NS.dct + "title", .text(meta.distributionTitle ?? record.title, record.language))
        if let download {
            graph.add(distribution, NS.dcat + "accessURL", .iri(DCATIRI.encode(download)))
            graph.add(distribution, NS.dcat + "downloadURL", .iri(DCATIRI.encode(download)))
        } else {
            graph.add(distribution, NS.dcat + "accessURL", service)
            graph.add(distribution, NS.dct + "description", .text(
                "Nur über einen Vertrag im Datenraum: Mitglieder des Verbunds fragen den Datensatz über das Dataspace "
                + "Protocol am Endpunkt \(catalog.serviceIRI) an; andere wenden sich an die Kontaktstelle.", "de"))
        }
        graph.add(distribution, NS.dcat + "accessService", service)
        graph.add(distribution, NS.dct + "license", record.license.map { .iri(DCATIRI.encode($0)) })
        if let mediaType = record.mediaType {
            graph.add(distribution, NS.dcat + "mediaType", .iri(DCATIRI.encode("https://www.iana.org/assignments/media-types/" + mediaType)))
            graph.add(distribution, NS.dct + "format", DCATFileType.iri(forMediaType: mediaType).map { .iri($0) })
        }
        graph.add(distribution, NS.dcat + "byteSize", record.byteSize.map { .typed(String($0), profile.byteSizeDatatype) })
        graph.add(distribution, NS.dct + "issued", record.issued.map { .typed(XSDDateTime.format($0), Self.xsdDateTime) })
        graph.add(distribution, NS.dct + "modified", record.modified.map { .typed(XSDDateTime.format($0), Self.xsdDateTime) })
        if let checksum = record.checksumSHA256 {
            let node = RDFTerm.blank("checksum\(index)")
            graph.add(distribution, NS.spdx + "checksum", node)
            graph.add(node, Self.rdfType, .iri(NS.spdx + "Checksum"))
            graph.add(node, NS.spdx + "algorithm", .iri(NS.spdx + "checksumAlgorithm_sha256"))
            graph.add(node, NS.spdx + "checksumValue", .typed(checksum.lowercased(), NS.xsd + "hexBinary"))
        }
    }

    /// 3.0: the keys as `dct:spatial`. 2.0: `dcatde:politicalGeocodingURI` plus the level of each key's list.
    private func addGeocoding(_ spatial: [String], level: String?, to node: RDFTerm, into graph: inout RDFGraph) {
        for iri in spatial {
            switch profile {
            case .v3:
                graph.add(node, NS.dct + "spatial", .iri(DCATIRI.encode(iri)))
            case .v2:
                guard let derived = level ?? Self.geocodingLevel(of: iri) else {
                    graph.add(node, NS.dct + "spatial", .iri(DCATIRI.encode(iri)))
                    continue
                }
                graph.add(node, NS.dcatde + "politicalGeocodingURI", .iri(DCATIRI.encode(iri)))
                graph.add(node, NS.dcatde + "politicalGeocodingLevelURI", .iri(DCATIRI.encode(derived)))
            }
        }
    }

    /// The dcat-ap.de geocoding level of a key IRI from one of its key lists (`…/politicalGeocoding/<list>/<key>`).
    static func geocodingLevel(of iri: String) -> String? {
        let base = "http://dcat-ap.de/def/politicalGeocoding/"
        guard iri.hasPrefix(base) else { return nil }
        let list = iri.dropFirst(base.count).split(separator: "/").first.map(String.init) ?? ""
        let levels = ["stateKey": "state", "governmentDistrictKey": "administrativeDistrict", "districtKey": "district",
                      "municipalAssociationKey": "municipality", "municipalityKey": "municipality", "regionalKey": "municipality"]
        return levels[list].map { base + "Level/" + $0 }
    }

    private func agent(_ publisher: DatasetRecord.Publisher, into graph: inout RDFGraph) -> RDFTerm {
        let node: RDFTerm = DCATIRI.isAbsolute(publisher.id) ? .iri(DCATIRI.encode(publisher.id)) : .blank("agent_" + publisher.id)
        graph.add(node, Self.rdfType, .iri(NS.foaf + "Agent"))
        graph.add(node, NS.foaf + "name", .text(publisher.name))
        return node
    }

    private func add(_ page: DCATPage, into graph: inout RDFGraph) {
        let node = RDFTerm.iri(DCATIRI.encode(page.iri))
        let hydra = NS.hydra
        graph.add(node, Self.rdfType, .iri(hydra + "PartialCollectionView"))
        graph.add(node, Self.rdfType, .iri(hydra + "PagedCollection"))
        graph.add(node, hydra + "totalItems", .typed(String(page.totalItems), NS.xsd + "integer"))
        graph.add(node, hydra + "itemsPerPage", .typed(String(page.itemsPerPage), NS.xsd + "integer"))
        for (terms, link) in [(["first", "firstPage"], page.first), (["last", "lastPage"], page.last),
                              (["next", "nextPage"], page.next), (["previous", "previousPage"], page.previous)] {
            guard let link else { continue }
            for term in terms { graph.add(node, hydra + term, .iri(DCATIRI.encode(link))) }
        }
    }

    /// EU language authority IRI for a BCP 47 primary tag Verbund's records use.
    static func language(_ tag: String) -> String {
        let codes = ["de": "DEU", "en": "ENG", "fr": "FRA", "pl": "POL", "cs": "CES", "da": "DAN", "nl": "NLD"]
        let primary = tag.split(separator: "-").first.map { $0.lowercased() } ?? "de"
        return "http://publications.europa.eu/resource/authority/language/" + (codes[primary] ?? "DEU")
    }
}

/// EU file-type authority IRIs (`http://publications.europa.eu/resource/authority/file-type/…`) for the media types
/// Verbund guesses at publish.
package enum DCATFileType {
    static let types = [
        "text/csv": "CSV", "application/json": "JSON", "application/geo+json": "GEOJSON", "application/xml": "XML",
        "text/plain": "TXT", "application/pdf": "PDF", "application/zip": "ZIP", "application/vnd.apache.parquet": "PARQUET",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX", "application/geopackage+sqlite3": "GPKG",
    ]

    package static func iri(forMediaType mediaType: String) -> String? {
        let bare = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return types[bare].map { "http://publications.europa.eu/resource/authority/file-type/" + $0 }
    }
}
