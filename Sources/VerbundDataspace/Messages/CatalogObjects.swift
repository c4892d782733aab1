// The DCAT objects of a DSP 2025-1 catalog (Catalog Protocol, Response Types). Terms the protocol does not name
// (DCAT-AP.de metadata such as `dct:title`) are kept in `properties`, keyed as written, and survive decode and encode.

/// A catalog: the root answer to a `CatalogRequestMessage` (then `participantId` is required) or nested.
package struct Catalog: Sendable, Hashable {
    package static let type = "Catalog"
    package var id: String
    package var participantId: String?
    package var dataset: [Dataset]
    package var service: [DataService]
    package var catalog: [Catalog]
    package var properties: [String: JSONValue]

    package init(id: String, participantId: String?, dataset: [Dataset] = [], service: [DataService] = [],
                catalog: [Catalog] = [], properties: [String: JSONValue] = [:]) {
        self.id = id
        self.participantId = participantId
        self.dataset = dataset
        self.service = service
        self.catalog = catalog
        self.properties = properties
    }
}

/// A dataset with at least one Offer (without `target`) and at least one distribution.
package struct Dataset: Sendable, Hashable {
    package static let type = "Dataset"
    package var id: String
    package var hasPolicy: [Offer]
    package var distribution: [Distribution]
    package var properties: [String: JSONValue]

    package init(id: String, hasPolicy: [Offer], distribution: [Distribution], properties: [String: JSONValue] = [:]) {
        self.id = id
        self.hasPolicy = hasPolicy
        self.distribution = distribution
        self.properties = properties
    }
}

/// How a dataset is delivered: a transfer `format` (e.g. `HttpData-PULL`) through a data service.
package struct Distribution: Sendable, Hashable {
    package static let type = "Distribution"
    package var format: String
    package var accessService: AccessService
    package var hasPolicy: [Offer]
    package var properties: [String: JSONValue]

    /// A data service by its `@id` or written inline.
    package enum AccessService: Sendable, Hashable {
        case reference(String)
        case inline(DataService)

        package var id: String {
            switch self {
            case .reference(let id): return id
            case .inline(let service): return service.id
            }
        }
    }

    package init(format: String, accessService: AccessService, hasPolicy: [Offer] = [],
                properties: [String: JSONValue] = [:]) {
        self.format = format
        self.accessService = accessService
        self.hasPolicy = hasPolicy
        self.properties = properties
    }
}

/// A connector endpoint: `endpointURL` is the DSP base URL of the version the catalog was served through.
package struct DataService: Sendable, Hashable {
    package static let type = "DataService"
    package var id: String
    package var endpointURL: String
    package var endpointDescription: String?
    package var properties: [String: JSONValue]

    package init(id: String, endpointURL: String, endpointDescription: String? = nil,
                properties: [String: JSONValue] = [:]) {
        self.id = id
        self.endpointURL = endpointURL
        self.endpointDescription = endpointDescription
        self.properties = properties
    }
}
