// The DCAT objects of a DSP 2025-1 catalog (Catalog Protocol, Response Types). Terms the protocol does not name
// (DCAT-AP.de metadata such as `dct:title`) are kept in `properties`, keyed as written, and survive decode and encode.

/// A catalog: the root answer to a `CatalogRequestMessage` (then `participantId` is required) or nested.
public struct Catalog: Sendable, Hashable {
    public static let type = "Catalog"
    public var id: String
    public var participantId: String?
    public var dataset: [Dataset]
    public var service: [DataService]
    public var catalog: [Catalog]
    public var properties: [String: JSONValue]

    public init(id: String, participantId: String?, dataset: [Dataset] = [], service: [DataService] = [],
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
public struct Dataset: Sendable, Hashable {
    public static let type = "Dataset"
    public var id: String
    public var hasPolicy: [Offer]
    public var distribution: [Distribution]
    public var properties: [String: JSONValue]

    public init(id: String, hasPolicy: [Offer], distribution: [Distribution], properties: [String: JSONValue] = [:]) {
        self.id = id
        self.hasPolicy = hasPolicy
        self.distribution = distribution
        self.properties = properties
    }
}

/// How a dataset is delivered: a transfer `format` (e.g. `HttpData-PULL`) through a data service.
public struct Distribution: Sendable, Hashable {
    public static let type = "Distribution"
    public var format: String
    public var accessService: AccessService
    public var hasPolicy: [Offer]
    public var properties: [String: JSONValue]

    /// A data service by its `@id` or written inline.
    public enum AccessService: Sendable, Hashable {
        case reference(String)
        case inline(DataService)

        public var id: String {
            switch self {
            case .reference(let id): return id
            case .inline(let service): return service.id
            }
        }
    }

    public init(format: String, accessService: AccessService, hasPolicy: [Offer] = [],
                properties: [String: JSONValue] = [:]) {
        self.format = format
        self.accessService = accessService
        self.hasPolicy = hasPolicy
        self.properties = properties
    }
}

/// A connector endpoint: `endpointURL` is the DSP base URL of the version the catalog was served through.
public struct DataService: Sendable, Hashable {
    public static let type = "DataService"
    public var id: String
    public var endpointURL: String
    public var endpointDescription: String?
    public var properties: [String: JSONValue]

    public init(id: String, endpointURL: String, endpointDescription: String? = nil,
                properties: [String: JSONValue] = [:]) {
        self.id = id
        self.endpointURL = endpointURL
        self.endpointDescription = endpointDescription
        self.properties = properties
    }
}
