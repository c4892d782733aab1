// Catalog protocol requests and errors of DSP 2025-1.

/// C → P: asks for the catalog. `filter` is implementation-specific; a provider that does not support the
/// given filter answers 400 with a `CatalogError`.
package struct CatalogRequestMessage: Sendable, Hashable {
    package static let type = "CatalogRequestMessage"
    package var id: String?
    package var filter: [JSONValue]

    package init(id: String? = nil, filter: [JSONValue] = []) {
        self.id = id
        self.filter = filter
    }
}

/// C → P: asks for one dataset; over HTTPS this is just `GET /catalog/datasets/:id`.
package struct DatasetRequestMessage: Sendable, Hashable {
    package static let type = "DatasetRequestMessage"
    package var id: String?
    package var dataset: String

    package init(id: String? = nil, dataset: String) {
        self.id = id
        self.dataset = dataset
    }
}

/// P → C: why a catalog or dataset request failed.
package struct CatalogError: Sendable, Hashable, Error {
    package static let type = "CatalogError"
    package var id: String?
    package var code: String?
    package var reason: [String]

    package init(id: String? = nil, code: String? = nil, reason: [String] = []) {
        self.id = id
        self.code = code
        self.reason = reason
    }
}

extension CatalogRequestMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        filter = try keyed.decodeIfPresent([JSONValue].self, forKey: "filter") ?? []
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        if !filter.isEmpty { try keyed.encode(filter, forKey: "filter") }
    }
}

extension DatasetRequestMessage: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        dataset = try keyed.string("dataset")
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encode(dataset, forKey: "dataset")
    }
}

extension CatalogError: Codable {
    package init(from decoder: any Decoder) throws {
        let keyed = try decoder.dspMessageFields(type: Self.type)
        id = try keyed.optionalString("@id")
        code = try keyed.optionalString("code")
        reason = try keyed.reasons()
    }

    package func encode(to encoder: any Encoder) throws {
        var keyed = try encoder.dspMessageFields(type: Self.type, id: id)
        try keyed.encodeReasons(code: code, reasons: reason)
    }
}
