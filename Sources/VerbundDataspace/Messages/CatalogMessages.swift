// Catalog protocol requests and errors of DSP 2025-1.

/// C → P: asks for the catalog. `filter` is implementation-specific; a provider that does not support the
/// given filter answers 400 with a `CatalogError`.
public struct CatalogRequestMessage: Sendable, Hashable {
    public static let type = "CatalogRequestMessage"
    public var id: String?
    public var filter: [JSONValue]

    public init(id: String? = nil, filter: [JSONValue] = []) {
        self.id = id
        self.filter = filter
    }
}

/// C → P: asks for one dataset; over HTTPS this is just `GET /catalog/datasets/:id`.
public struct DatasetRequestMessage: Sendable, Hashable {
    public static let type = "DatasetRequestMessage"
    public var id: String?
    public var dataset: String

    public init(id: String? = nil, dataset: String) {
        self.id = id
        self.dataset = dataset
    }
}

/// P → C: why a catalog or dataset request failed.
public struct CatalogError: Sendable, Hashable, Error {
    public static let type = "CatalogError"
    public var id: String?
    public var code: String?
    public var reason: [String]

    public init(id: String? = nil, code: String? = nil, reason: [String] = []) {
        self.id = id
        self.code = code
        self.reason = reason
    }
}

extension CatalogRequestMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        filter = try keyed.decodeIfPresent([JSONValue].self, forKey: "filter") ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        if !filter.isEmpty { try keyed.encode(filter, forKey: "filter") }
    }
}

extension DatasetRequestMessage: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        dataset = try keyed.string("dataset")
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encode(dataset, forKey: "dataset")
    }
}

extension CatalogError: Codable {
    public init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        code = try keyed.optionalString("code")
        reason = try keyed.reasons()
    }

    public func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encodeReasons(code: code, reasons: reason)
    }
}
